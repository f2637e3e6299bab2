/**
 * The conversion context made from plain data: the CLI makes its own from the settings this way,
 * and each worker of the pool (parallel-convert.ts) makes the same one from the same data.
 */
import type { MappingOverrides } from "../mapping/mappings.js";
import { loadMappings } from "../mapping/mappings.js";
import type { OptionValues } from "../options/option-spec.js";
import { loadTemplates } from "../render/templates.js";
import { declaredMappings, type TargetRegistry } from "../targets/target.js";
import type { ConvertContext } from "./convert.js";

export interface ContextSetup {
  /** Absolute folder of a user's templates. */
  readonly templatesDir?: string;
  readonly maxTemplateBytes: number;
  readonly mappings: MappingOverrides;
  readonly options: OptionValues;
  readonly vars: Readonly<Record<string, unknown>>;
}

export function contextFrom(setup: ContextSetup, registry: TargetRegistry): ConvertContext {
  return {
    targets: registry.targets,
    templates: loadTemplates(setup.templatesDir, setup.maxTemplateBytes),
    mappings: loadMappings(setup.mappings, declaredMappings(registry)),
    options: setup.options,
    vars: setup.vars,
  };
}
