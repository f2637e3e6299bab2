/**
 * A worker thread's half of a parallel conversion: read its share of the files and convert each
 * rule. Results are plain data (structured-clone safe); the main thread assembles them.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadMappings } from "../mapping/mappings.js";
import { loadTemplates } from "../render/templates.js";
import type { TargetName, TargetOptions } from "../targets/target.js";
import { convertRule } from "./convert.js";
import { readRules, type SourceText } from "./read-rules.js";

export interface WorkerInput {
  readonly sources: readonly SourceText[];
  readonly targets: readonly TargetName[];
  readonly options: TargetOptions;
  readonly templatesDir?: string;
}

const input = workerData as WorkerInput;
const ctx = { templates: loadTemplates(input.templatesDir), mappings: loadMappings(), options: input.options };
const read = readRules(input.sources);
const results = read.rules.map((r) => {
  const res = convertRule(r, input.targets, ctx);
  // The intended documents are for tests; they need not cross threads.
  return { ...res, files: res.files.map(({ document: _d, ...f }) => f) };
});
parentPort?.postMessage({ readDiagnostics: read.diagnostics, ruleCount: read.rules.length, results });
