/**
 * A worker thread of a conversion pool: it loads templates and mappings once, then reads and
 * converts every share of files it is sent. Results are plain data (structured-clone safe); the
 * main thread assembles them. Workers convert with the built-in targets (a registry is code, which
 * cannot be sent to a thread).
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadMappings } from "../mapping/mappings.js";
import type { OptionValues } from "../options/option-spec.js";
import { loadTemplates } from "../render/templates.js";
import { BUILTIN_TARGETS } from "../targets/registry.js";
import { convertRule, type ConvertContext } from "./convert.js";
import { readRules, type SourceText } from "./read-rules.js";

export interface WorkerSetup {
  readonly options: OptionValues;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly templatesDir?: string;
}

export interface WorkerJob {
  readonly id: number;
  readonly sources: readonly SourceText[];
  readonly targets: readonly string[];
}

const setup = workerData as WorkerSetup;
const targets = BUILTIN_TARGETS.targets;
const ctx: ConvertContext = {
  targets,
  templates: loadTemplates(setup.templatesDir),
  mappings: loadMappings({}, targets.flatMap((t) => t.mappings)),
  options: setup.options,
  vars: setup.vars ?? {},
};
parentPort?.on("message", (job: WorkerJob) => {
  const read = readRules(job.sources);
  const results = read.rules.map((r) => {
    const res = convertRule(r, job.targets, ctx);
    // The intended documents are for tests; they need not cross threads.
    return { ...res, files: res.files.map((f) => ({ path: f.path, content: f.content, target: f.target, ...(f.rule ? { rule: f.rule } : {}) })) };
  });
  parentPort?.postMessage({ id: job.id, readDiagnostics: read.diagnostics, ruleCount: read.rules.length, results });
});
