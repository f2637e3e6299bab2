/**
 * Reading and converting spread over worker threads (one per core), for large rule sets. Files
 * are split into contiguous shares in sorted order, so the assembled result (bundle order,
 * diagnostics order) is the same as a sequential run. Sigma correlations may name rules in other
 * files, so a set with correlations runs sequentially.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TargetContext, TargetName } from "../targets/target.js";
import { assembleResults, convertRules, type ConvertResult, type RuleResult } from "./convert.js";
import { readRules, type SourceText } from "./read-rules.js";

export interface SourcesResult {
  readonly readDiagnostics: Diagnostic[];
  readonly ruleCount: number;
  readonly result: ConvertResult;
}

/** Below this many files a worker's start-up costs more than it saves. */
const MIN_FILES_PER_WORKER = 250;

export async function convertSources(
  sources: readonly SourceText[],
  targets: readonly TargetName[],
  ctx: TargetContext,
  templatesDir?: string,
  threads = availableParallelism(),
): Promise<SourcesResult> {
  const n = Math.min(threads, Math.floor(sources.length / MIN_FILES_PER_WORKER));
  if (n < 2 || sources.some((s) => /^correlation\s*:/m.test(s.text))) {
    const read = readRules(sources);
    return { readDiagnostics: read.diagnostics, ruleCount: read.rules.length, result: convertRules(read.rules, targets, ctx) };
  }
  const size = Math.ceil(sources.length / n);
  const shares = Array.from({ length: n }, (_, i) => sources.slice(i * size, (i + 1) * size));
  const outputs = await Promise.all(
    shares.map(
      (share) =>
        new Promise<{ readDiagnostics: Diagnostic[]; ruleCount: number; results: RuleResult[] }>((resolve, reject) => {
          const w = new Worker(new URL("./convert-worker.js", import.meta.url), {
            workerData: { sources: share, targets, options: ctx.options, ...(templatesDir ? { templatesDir } : {}) },
          });
          w.once("message", resolve);
          w.once("error", reject);
          w.once("exit", (code) => {
            if (code !== 0) reject(new Error(`conversion worker exited with code ${code}`));
          });
        }),
    ),
  );
  return {
    readDiagnostics: outputs.flatMap((o) => o.readDiagnostics),
    ruleCount: outputs.reduce((a, o) => a + o.ruleCount, 0),
    result: assembleResults(outputs.flatMap((o) => o.results), targets, ctx),
  };
}
