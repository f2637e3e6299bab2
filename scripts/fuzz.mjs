// The long fuzz run: `npm run fuzz [-- RUNS [TARGET...]]`, 100,000 cases per reader by default.
// Same inputs and checks as the CI fuzz tests (test/fuzz/fuzz-targets.ts) but many more runs, and a
// failing case is counted and the run goes on, so the summary gives the total per reader.
import fc from "fast-check";
import { FUZZ_TARGETS, fuzzTarget } from "../dist/test/fuzz/fuzz-targets.js";

const runs = Number(process.argv[2] ?? 100_000);
const names = process.argv.length > 3 ? process.argv.slice(3) : FUZZ_TARGETS;
const SEED = 20240608;
let total = 0;

for (const name of names) {
  if (!FUZZ_TARGETS.includes(name)) {
    console.error(`unknown reader ${name}; readers: ${FUZZ_TARGETS.join(", ")}`);
    process.exit(2);
  }
  const target = fuzzTarget(name);
  const failures = [];
  let slowest = 0;
  const started = performance.now();
  fc.assert(
    fc.property(target.input, (text) => {
      const t0 = performance.now();
      const problem = target.check(text);
      slowest = Math.max(slowest, performance.now() - t0);
      if (problem !== undefined) failures.push({ problem, text: text.slice(0, 200) });
      return true;
    }),
    { seed: SEED, numRuns: runs },
  );
  const seconds = (performance.now() - started) / 1000;
  total += failures.length;
  console.log(`${name}: ${runs} cases, ${failures.length} failures, slowest ${slowest.toFixed(1)} ms, ${seconds.toFixed(1)} s`);
  for (const f of failures.slice(0, 5)) console.log(`  ${f.problem}\n    input: ${JSON.stringify(f.text)}`);
}
console.log(total === 0 ? "fuzz: no failures" : `fuzz: ${total} failures`);
process.exit(total === 0 ? 0 : 1);
