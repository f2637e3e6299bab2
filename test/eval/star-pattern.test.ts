/**
 * Wildcard values in the evaluator (`rulecast test`, the semantic checks): a pattern with stars is
 * matched piece by piece, not as one regex of `.*`s, which backtracked for minutes on `*a*a*…*b`
 * against `aaa…`. Law: the result equals the one-regex reading on every input (case, `?` as one
 * code point, line breaks, letters whose case folds across scripts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { Part } from "../../src/ir/query.js";
import { compileParts, partsSource } from "../../src/eval/string-pattern.js";
import { cpuMs } from "../helpers/cpu-time.js";

const LETTERS = ["a", "A", "b", "ς", "σ", "Σ", "k", "K", "\u212a", "ß", "ẞ", "\n", "𝒜", "*", "."];
const part: fc.Arbitrary<Part> = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 3 }).map((xs) => ({ kind: "text" as const, value: xs.join("") })) },
  { weight: 2, arbitrary: fc.constant({ kind: "any" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "one" as const }) },
);
const value = fc.array(fc.constantFrom(...LETTERS), { maxLength: 10 }).map((xs) => xs.join(""));

function oneRegex(parts: readonly Part[], caseSensitive: boolean, contains: boolean): (s: string) => boolean {
  const body = partsSource(parts);
  const re = new RegExp(contains ? body : `^(?:${body})$`, caseSensitive ? "su" : "isu");
  return (s) => re.test(s);
}

test("star patterns match as the one-regex reading does (fast-check, seed 27, 20,000 cases)", () => {
  fc.assert(
    fc.property(fc.array(part, { maxLength: 6 }), value, fc.boolean(), fc.boolean(), (parts, s, cs, contains) => {
      assert.is(compileParts(parts, cs, contains)(s), oneRegex(parts, cs, contains)(s), JSON.stringify({ parts, s, cs, contains }));
    }),
    { seed: 27, numRuns: 20_000 },
  );
});

test("`*a*a*…*b` against a long run of `a` is linear (the one regex took minutes at 14 stars)", () => {
  const parts: Part[] = [...Array.from({ length: 200 }, () => [{ kind: "any" as const }, { kind: "text" as const, value: "a" }]).flat(), { kind: "any" }, { kind: "text", value: "b" }];
  let r: boolean | undefined;
  const ms = cpuMs(() => {
    r = compileParts(parts, false)("a".repeat(100_000));
  });
  assert.is(r, false);
  assert.ok(ms < 2000, `${Math.round(ms)} ms of CPU`);
});

test.run();
