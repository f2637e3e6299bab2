/**
 * Reading and converting spread over a pool of worker threads (one per core), for large rule sets.
 * Files are split into contiguous jobs in sorted order and results are put back in that order, so
 * the assembled result (bundle order, diagnostics order) is the same as a sequential run. Sigma correlations and filters may name rules in
 * other files, so a set with either runs sequentially. A pool lives as long as its owner keeps
 * it: workers load their modules once and stay warm across runs.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ConvertContext } from "./convert.js";
import { assembleResults, convertRules, type ConvertResult, type RuleResult } from "./convert.js";
import type { WorkerJob, WorkerSetup } from "./convert-worker.js";
import { readRules, type SourceText } from "./read-rules.js";

export interface SourcesResult {
  readonly readDiagnostics: Diagnostic[];
  readonly ruleCount: number;
  readonly result: ConvertResult;
}

interface Share {
  readonly readDiagnostics: Diagnostic[];
  readonly ruleCount: number;
  readonly results: RuleResult[];
}

export interface ConversionPool {
  convert(sources: readonly SourceText[], targets: readonly string[], ctx: ConvertContext): Promise<SourcesResult>;
  close(): Promise<void>;
}

/** Below this many files per worker, sending them costs more than converting them here. */
const MIN_FILES_PER_WORKER = 250;
/**
 * Files per job: small enough that the workers finish together (rules differ in cost; a worker
 * that runs out takes the next job) and that the main thread takes in finished jobs while the
 * workers still convert, large enough that messages stay few.
 */
const FILES_PER_JOB = 200;

export function createConversionPool(setup: WorkerSetup, threads = availableParallelism()): ConversionPool {
  const workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(new URL("./convert-worker.js", import.meta.url), { workerData: setup }));
  let next = 0;
  const run = (w: Worker, job: WorkerJob) =>
    new Promise<Share>((resolve, reject) => {
      const onMessage = (m: Share & { id: number }) => {
        if (m.id !== job.id) return;
        w.off("message", onMessage);
        w.off("error", reject);
        resolve(m);
      };
      w.on("message", onMessage);
      w.once("error", reject);
      w.postMessage(job);
    });
  return {
    async convert(sources, targets, ctx) {
      const n = Math.min(workers.length, Math.floor(sources.length / MIN_FILES_PER_WORKER));
      if (n < 2 || sources.some((s) => /^(correlation|filter)\s*:/m.test(s.text))) {
        const read = readRules(sources);
        return { readDiagnostics: read.diagnostics, ruleCount: read.rules.length, result: convertRules(read.rules, targets, ctx) };
      }
      // Contiguous jobs in file order, handed out as workers free up; results are kept in job order.
      const jobs = Math.max(n, Math.round(sources.length / FILES_PER_JOB));
      const size = Math.ceil(sources.length / jobs);
      const shares: Share[] = [];
      let taken = 0;
      const drain = async (w: Worker): Promise<void> => {
        while (taken * size < sources.length) {
          const i = taken++;
          shares[i] = await run(w, { id: next++, sources: sources.slice(i * size, (i + 1) * size), targets });
        }
      };
      // Two jobs in flight per worker, so a worker never waits for its next job to arrive.
      await Promise.all(workers.slice(0, n).flatMap((w) => [drain(w), drain(w)]));
      return {
        readDiagnostics: shares.flatMap((o) => o.readDiagnostics),
        ruleCount: shares.reduce((a, o) => a + o.ruleCount, 0),
        result: assembleResults(shares.flatMap((o) => o.results), targets, ctx),
      };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
