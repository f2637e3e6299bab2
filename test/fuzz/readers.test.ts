/**
 * Fuzzing in CI: random and mutated inputs (seeded from the corpus) for every reader, with a fixed
 * seed and few runs so CI stays quick; `npm run fuzz` runs the same properties 100,000 times each.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { FUZZ_TARGETS, fuzzTarget, type TargetName } from "./fuzz-targets.js";

/** Runs per reader: sized so all of them together take a few seconds on a slow CI machine. */
const RUNS: Readonly<Record<TargetName, number>> = {
  kql: 3000,
  eql: 3000,
  esql: 3000,
  "sigma-condition": 3000,
  "rule-yaml": 500,
  "sigma-yaml": 600,
  toml: 600,
  ndjson: 600,
};

for (const name of FUZZ_TARGETS) {
  test(`${name}: ${RUNS[name]} fuzzed inputs, no throw, no hang, every error positioned`, () => {
    const target = fuzzTarget(name);
    const details = fc.check(fc.property(target.input, (text) => target.check(text) === undefined), { seed: 8, numRuns: RUNS[name] });
    if (details.failed) {
      const text = details.counterexample?.[0] ?? "";
      assert.unreachable(`${name} (seed 8, path ${details.counterexample ? details.counterexamplePath : "?"}): ${target.check(text)} on ${JSON.stringify(text.slice(0, 300))}`);
    }
    assert.is(details.numRuns, RUNS[name]);
  });
}

test.run();
