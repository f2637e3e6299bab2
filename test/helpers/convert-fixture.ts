/**
 * In-process conversion for tests: the same pipeline the CLI runs, on files read in place, with
 * the built-in targets and every setting at its declared default unless a test says otherwise.
 */
import { readFileSync } from "node:fs";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { loadMappings, type Mappings } from "../../src/mapping/mappings.js";
import { defaultOptionValues, type OptionValue } from "../../src/options/option-spec.js";
import { convertRules, type ConvertContext, type ConvertResult } from "../../src/pipeline/convert.js";
import { readRules, type ReadAll } from "../../src/pipeline/read-rules.js";
import { loadTemplates } from "../../src/render/templates.js";
import { BUILTIN_TARGETS, type BuiltinTargetName } from "../../src/targets/registry.js";
import { declaredMappings, declaredOptions } from "../../src/targets/target.js";

export type TargetName = BuiltinTargetName;

/** Every built-in target, in registry order. */
export const TARGET_NAMES: readonly TargetName[] = BUILTIN_TARGETS.targets.map((t) => t.name);

let mappings: Mappings | undefined;

/** Settings by key (`{ elasticLanguage: "lucene" }`), on top of the declared defaults. */
export function testContext(options: Readonly<Record<string, OptionValue>> = {}): ConvertContext {
  mappings ??= loadMappings({}, declaredMappings(BUILTIN_TARGETS));
  return {
    targets: BUILTIN_TARGETS.targets,
    templates: loadTemplates(),
    mappings,
    options: { ...defaultOptionValues(declaredOptions(BUILTIN_TARGETS)), ...options },
    vars: {},
  };
}

export interface Converted {
  readonly read: ReadAll;
  readonly result: ConvertResult;
  /** Every diagnostic, one formatted line each. */
  readonly lines: string[];
}

export function convertFiles(paths: readonly string[], targets: readonly TargetName[] = TARGET_NAMES, options: Readonly<Record<string, OptionValue>> = {}): Converted {
  const read = readRules(paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") })));
  const result = convertRules(read.rules, targets, testContext(options));
  const lines = [...read.diagnostics, ...result.diagnostics].map(formatDiagnostic);
  return { read, result, lines };
}
