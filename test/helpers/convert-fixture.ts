/**
 * In-process conversion for tests: the same pipeline the CLI runs, on files read in place.
 */
import { readFileSync } from "node:fs";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { loadMappings, type Mappings } from "../../src/mapping/mappings.js";
import { convertRules, TARGET_NAMES, type ConvertResult } from "../../src/pipeline/convert.js";
import { readRules, type ReadAll } from "../../src/pipeline/read-rules.js";
import { loadTemplates } from "../../src/render/templates.js";
import type { TargetContext, TargetName, TargetOptions } from "../../src/targets/target.js";

let mappings: Mappings | undefined;

export function testContext(options: Partial<TargetOptions> = {}): TargetContext {
  mappings ??= loadMappings();
  return { templates: loadTemplates(), mappings, options: { elasticLanguage: "eql", unmapped: "error", ...options } };
}

export interface Converted {
  readonly read: ReadAll;
  readonly result: ConvertResult;
  /** Every diagnostic, one formatted line each. */
  readonly lines: string[];
}

export function convertFiles(paths: readonly string[], targets: readonly TargetName[] = TARGET_NAMES, options: Partial<TargetOptions> = {}): Converted {
  const read = readRules(paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") })));
  const result = convertRules(read.rules, targets, testContext(options));
  const lines = [...read.diagnostics, ...result.diagnostics].map(formatDiagnostic);
  return { read, result, lines };
}
