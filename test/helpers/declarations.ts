/** What the built-in registry declares, as the config reader and the settings resolver take it. */
import type { ConfigDeclarations } from "../../src/config/config-file.js";
import { TAXONOMY_MAPPINGS } from "../../src/mapping/mappings.js";
import { BUILTIN_TARGETS } from "../../src/targets/registry.js";
import { declaredMappings, declaredOptions } from "../../src/targets/target.js";

export const BUILTIN_CONFIG: ConfigDeclarations = {
  options: declaredOptions(BUILTIN_TARGETS),
  mappings: [...TAXONOMY_MAPPINGS, ...declaredMappings(BUILTIN_TARGETS).map((m) => m.name)],
};

export const BUILTIN_SETTINGS = { options: declaredOptions(BUILTIN_TARGETS), targets: BUILTIN_TARGETS.targets.map((t) => t.name) };
