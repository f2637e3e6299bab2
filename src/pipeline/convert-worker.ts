/**
 * A worker thread of a conversion pool: it loads templates and mappings once, then reads and
 * converts every share of files it is sent. Results are plain data (structured-clone safe); the
 * main thread assembles them.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadMappings } from "../mapping/mappings.js";
import { loadTemplates } from "../render/templates.js";
import type { TargetName, TargetOptions } from "../targets/target.js";
import { convertRule } from "./convert.js";
import { readRules, type SourceText } from "./read-rules.js";

export interface WorkerSetup {
  readonly options: TargetOptions;
  readonly templatesDir?: string;
}

export interface WorkerJob {
  readonly id: number;
  readonly sources: readonly SourceText[];
  readonly targets: readonly TargetName[];
}

const setup = workerData as WorkerSetup;
const ctx = { templates: loadTemplates(setup.templatesDir), mappings: loadMappings(), options: setup.options };
parentPort?.on("message", (job: WorkerJob) => {
  const read = readRules(job.sources);
  const results = read.rules.map((r) => {
    const res = convertRule(r, job.targets, ctx);
    // The intended documents are for tests; they need not cross threads.
    return { ...res, files: res.files.map((f) => ({ path: f.path, content: f.content, target: f.target, ...(f.rule ? { rule: f.rule } : {}) })) };
  });
  parentPort?.postMessage({ id: job.id, readDiagnostics: read.diagnostics, ruleCount: read.rules.length, results });
});
