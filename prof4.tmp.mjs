import fc from "fast-check";
import { fuzzTarget, FUZZ_TARGETS } from "./dist/test/fuzz/fuzz-targets.js";
for (const name of ["rule-yaml", "sigma-yaml", "toml", "ndjson"]) {
  const t0 = performance.now();
  const target = fuzzTarget(name);
  const t1 = performance.now();
  const samples = fc.sample(target.input, { seed: 8, numRuns: 300 });
  const t2 = performance.now();
  for (const s of samples) target.check(s);
  const t3 = performance.now();
  console.log(name, "setup", Math.round(t1 - t0), "gen", Math.round(t2 - t1), "check300", Math.round(t3 - t2));
}
