/**
 * `npm run bench`: converts the whole SigmaHQ corpus to all three targets in one process and
 * reports rules per second, peak memory, and the ratio to the floor: the time the `yaml` package
 * alone needs to parse the same files, measured in the same run. Figures are ratios within one
 * run, so they compare across machines; absolute times are printed for reference only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseAllDocuments } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { createConversionPool } from "../../src/pipeline/parallel-convert.js";
import { availableParallelism } from "node:os";
import { TARGET_NAMES, testContext } from "../helpers/convert-fixture.js";

const CORPUS = process.argv[2] ?? "../shared/corpus/sigma/rules";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 4);

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".yml") || e.name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

/** CPU time of the round that had the best wall time: every thread of the process, GC helpers too. */
let bestCpu = 0;

async function best(f: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await f();
    const wall = performance.now() - t;
    if (wall < min) {
      const used = process.cpuUsage(c);
      bestCpu = (used.user + used.system) / 1000;
      min = wall;
    }
  }
  return min;
}

const files = walk(CORPUS);
const sources = files.map((path) => ({ path, text: readFileSync(path, "utf8") }));
const ctx = testContext();

const floor = await best(() => {
  for (const s of sources) parseAllDocuments(s.text);
});
const floorCpu = bestCpu;
let converted = 0;
let failed = 0;
let outputs = 0;
const full = await best(() => {
  const read = readRules(sources);
  const r = convertRules(read.rules, TARGET_NAMES, ctx);
  converted = r.outcomes.filter((o) => o.failed.length === 0 && !o.skipped).length;
  failed = r.outcomes.filter((o) => o.failed.length > 0).length + new Set(read.diagnostics.filter((d) => d.severity === "error").map((d) => d.file)).size;
  outputs = r.files.length;
});
const fullCpu = bestCpu;
const readOnly = await best(() => readRules(sources));
const readCpu = bestCpu;

let parallelConverted = 0;
const pool = createConversionPool({ options: ctx.options });
// Unmeasured rounds start the workers and warm their JIT, as the rounds above warmed this thread
// (each worker sees only half the corpus per round, so it needs a few more to reach steady state).
for (let i = 0; i < WARMUP_ROUNDS; i++) await pool.convert(sources, TARGET_NAMES, ctx);
const parallel = await best(async () => {
  const r = await pool.convert(sources, TARGET_NAMES, ctx);
  parallelConverted = r.result.outcomes.filter((o) => o.failed.length === 0 && !o.skipped).length;
});
const parallelCpu = bestCpu;
await pool.close();
if (parallelConverted !== converted) throw new Error(`parallel run converted ${parallelConverted}, sequential ${converted}`);

const rss = process.resourceUsage().maxRSS / 1024;
console.log(`corpus: ${files.length} files (${CORPUS}), targets: ${TARGET_NAMES.join(", ")}, best of ${ROUNDS}`);
console.log(`rules converted to all targets: ${converted}, failed for some target: ${failed}, files written in memory: ${outputs}`);
console.log(`yaml parse floor: ${floor.toFixed(0)} ms`);
console.log(`read (yaml + Sigma → IR): ${readOnly.toFixed(0)} ms = ${(readOnly / floor).toFixed(2)}x floor`);
console.log(`read + convert to ${TARGET_NAMES.length} targets: ${full.toFixed(0)} ms = ${(full / floor).toFixed(2)}x floor, ${Math.round((files.length / full) * 1000)} rules/s`);
console.log(`same, on ${availableParallelism()} warm worker threads (after ${WARMUP_ROUNDS} unmeasured rounds): ${parallel.toFixed(0)} ms = ${(parallel / floor).toFixed(2)}x floor, ${Math.round((files.length / parallel) * 1000)} rules/s`);
// CPU time counts V8's GC helper threads, which a single-threaded run gets for free on the idle
// core; with both cores busy they compete, so CPU / cores bounds what the pool's wall time can be.
const cpuLine = (name: string, cpu: number) => `${name} ${cpu.toFixed(0)} ms = ${(cpu / floor).toFixed(2)}x floor`;
console.log(`CPU time (all threads): ${[cpuLine("floor", floorCpu), cpuLine("read", readCpu), cpuLine("one thread", fullCpu), cpuLine("pool", parallelCpu)].join("; ")}`);
console.log(`pool lower bound from CPU: ${(parallelCpu / availableParallelism()).toFixed(0)} ms = ${(parallelCpu / availableParallelism() / floor).toFixed(2)}x floor`);
console.log(`peak RSS: ${rss.toFixed(0)} MiB`);
