import fc from "fast-check";
import { fuzzTarget } from "./dist/test/fuzz/fuzz-targets.js";
import { readKibanaNdjson } from "./dist/src/sources/elastic/index.js";
import { convertRules } from "./dist/src/pipeline/convert.js";
import { testContext } from "./dist/test/helpers/convert-fixture.js";
import { readBackProblem } from "./dist/test/helpers/read-back.js";
const target = fuzzTarget("ndjson");
const samples = fc.sample(target.input, { seed: 8, numRuns: 300 });
const ctx = testContext({ unmapped: "keep" });
const rules = samples.map((s) => readKibanaNdjson("f.ndjson", s).rules);
console.log("rules", rules.reduce((a, r) => a + r.length, 0));
for (const t of ["sigma", "splunk", "elastic"]) {
  let conv = 0, rb = 0;
  for (const r of rules) { if (!r.length) continue; const a = performance.now(); const out = convertRules(r, [t], ctx); const b = performance.now(); readBackProblem(out.files); conv += b - a; rb += performance.now() - b; }
  console.log(t, Math.round(conv), Math.round(rb));
}
