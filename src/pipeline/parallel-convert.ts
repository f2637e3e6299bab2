/**
 * Reading and converting spread over worker threads (`--jobs`): the input files are cut into
 * jobs of consecutive files, handed to the workers as they free up (convert-worker.ts), and every
 * file's result is given back on this thread in input order, whatever order the jobs finish in.
 * The caller writes them as it would have written its own: the output, its order and the
 * diagnostics are a single thread's, byte for byte. Jobs finished ahead of the next one to give
 * back wait in a bounded window, so memory stays bounded by a few jobs' outputs.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ContextSetup } from "./conversion-setup.js";
import type { RuleResult } from "./convert.js";
import type { InputFile } from "./input-files.js";
import type { FileReadSetup } from "./read-input-file.js";

/** What a worker is started with: plain data. */
export interface PoolSetup {
  readonly context: ContextSetup;
  readonly read: FileReadSetup;
  readonly targets: readonly string[];
}

export interface PoolJob {
  readonly id: number;
  readonly files: readonly InputFile[];
}

/** One input file: why it could not be read, or its read diagnostics and each rule's result. */
export type FileConverted =
  | { readonly failure: Diagnostic }
  | { readonly path: string; readonly diagnostics: readonly Diagnostic[]; readonly results: readonly RuleResult[] };

export interface PoolReply {
  readonly id: number;
  /** The job's files up to the one that threw, if one did. */
  readonly files: readonly FileConverted[];
  /** An unexpected failure converting the next file (a bug): the run stops there. */
  readonly error?: { readonly message: string; readonly stack?: string };
}

/** Files per job, at most: enough that messages stay few, few enough that the workers finish together. */
const MAX_JOB_FILES = 32;
/** Jobs in flight per worker: it never waits for its next job to arrive. */
const PER_WORKER = 2;
/** Jobs done ahead of the next one to give back, per worker, before no more are sent. */
const AHEAD_PER_WORKER = 4;

/**
 * Converts `files` on `threads` workers; `onFile(index, result)` is called on this thread for
 * every file in input order. Rejects with the first failure in input order (a worker's, or one
 * `onFile` throws), after the files before it were given back, as a single thread would.
 */
export function convertInPool(files: readonly InputFile[], setup: PoolSetup, threads: number, onFile: (index: number, file: FileConverted) => void): Promise<void> {
  const size = Math.max(1, Math.min(MAX_JOB_FILES, Math.ceil(files.length / (threads * 8))));
  const jobCount = Math.ceil(files.length / size);
  if (jobCount === 0) return Promise.resolve();
  const workers = Array.from({ length: Math.min(threads, jobCount) }, () => new Worker(new URL("./convert-worker.js", import.meta.url), { workerData: setup }));
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  const done = new Map<number, PoolReply>();
  let nextToSend = 0;
  let nextToGive = 0;
  let settled = false;
  return new Promise<void>((resolve, reject) => {
    const stop = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((w) => w.terminate())).then(outcome, outcome);
    };
    const send = () => {
      for (const w of workers) {
        while (inFlight.get(w)! < PER_WORKER && nextToSend < jobCount && nextToSend - nextToGive < workers.length * AHEAD_PER_WORKER) {
          const id = nextToSend++;
          inFlight.set(w, inFlight.get(w)! + 1);
          const job: PoolJob = { id, files: files.slice(id * size, (id + 1) * size) };
          w.postMessage(job);
        }
      }
    };
    const give = () => {
      for (let r = done.get(nextToGive); r; r = done.get(nextToGive)) {
        done.delete(nextToGive);
        r.files.forEach((f, k) => onFile(r!.id * size + k, f));
        if (r.error) throw Object.assign(new Error(r.error.message), r.error.stack ? { stack: r.error.stack } : {});
        nextToGive++;
      }
    };
    for (const w of workers) {
      w.on("message", (reply: PoolReply) => {
        if (settled) return;
        inFlight.set(w, inFlight.get(w)! - 1);
        done.set(reply.id, reply);
        try {
          give();
        } catch (e) {
          stop(() => reject(e));
          return;
        }
        if (nextToGive === jobCount) stop(resolve);
        else send();
      });
      w.on("error", (e) => stop(() => reject(e)));
      w.on("exit", (code) => stop(() => reject(new Error(`a conversion worker stopped unexpectedly (exit code ${code})`))));
    }
    send();
  });
}

/**
 * `--jobs auto` starts worker threads from this many input files on. Measured on the 2-core
 * machine shared with other sessions (test/bench/README.md, "Worker pool"), wall time with two
 * workers against one thread, three targets: 210 files 1.6-2.1x (slower), 1,183 files 1.07-1.08x,
 * SigmaHQ's 3,141 files 0.80x and 0.98x, three copies 0.77x and 1.85x. A worker costs ~1 s of CPU
 * to start (modules, templates, mappings, cold code) and the pool 10-20 % more CPU and about twice
 * the peak memory: below a few thousand files it never pays, above it it may.
 */
export const AUTO_POOL_MIN_FILES = 3000;

/** Worker threads for `--jobs` (`auto` or a count) and this many input files; 1: none. Auto: one per core (none on one core). */
export function poolThreads(jobs: string, files: number): number {
  if (jobs !== "auto") return Number(jobs);
  return files >= AUTO_POOL_MIN_FILES ? Math.max(1, availableParallelism()) : 1;
}
