/**
 * A worker thread of the conversion pool (parallel-convert.ts): it builds the conversion context
 * once, then for each job (a run of consecutive input files) reads and converts every file and
 * sends back, per file and in order, what the main thread would have made of it: the read
 * failure, or the read diagnostics and each rule's result. Results are plain data; the main
 * thread assembles, writes and reports. Workers convert with the built-in targets (a registry is
 * code, which cannot be sent to a thread).
 */
import { parentPort, workerData } from "node:worker_threads";
import { BUILTIN_TARGETS } from "../targets/registry.js";
import { contextFrom } from "./conversion-setup.js";
import { convertRule, leanResult } from "./convert.js";
import { heapBound } from "./heap-bound.js";
import type { FileConverted, PoolJob, PoolReply, PoolSetup } from "./parallel-convert.js";
import { readInputFile } from "./read-input-file.js";

const setup = workerData as PoolSetup;
const ctx = contextFrom(setup.context, BUILTIN_TARGETS);
// The same bound as the main thread's: a worker's heap must not grow with the rule set either.
const bound = heapBound();

parentPort?.on("message", (job: PoolJob) => {
  const files: FileConverted[] = [];
  let error: PoolReply["error"];
  try {
    for (const f of job.files) {
      const read = readInputFile(f, setup.read);
      if ("failure" in read) files.push({ failure: read.failure });
      else files.push({ path: read.source.path, diagnostics: [...read.diagnostics], results: read.rules.map((r) => leanResult(convertRule(r, setup.targets, ctx))) });
      bound();
    }
  } catch (e) {
    // Sent after the files before it, so the main thread stops where a single thread would have.
    error = { message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) };
  }
  const reply: PoolReply = { id: job.id, files, ...(error ? { error } : {}) };
  parentPort?.postMessage(reply);
});
