/**
 * The SPL printer's whole-value regex (`anchoredRegex`, used in `match()` where a wildcard pattern
 * cannot be a search term) matches exactly the values the pattern means. PCRE's `$` also holds
 * before a final newline, so an anchored `…$` would take `a.exe\n` for `*.exe`; the evaluator reads
 * the regex as PCRE does.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part } from "../../../src/ir/query.js";
import { translatePcre } from "../../../src/query/regex/regex-dialects.js";
import { anchoredRegex } from "../../../src/query/spl/spl-tokens.js";

const part = fc.oneof(
  fc.constant<Part>({ kind: "any" }),
  fc.constant<Part>({ kind: "one" }),
  fc.string({ unit: fc.constantFrom("a", ".", "\\", "\n", "$"), minLength: 1, maxLength: 2 }).map((value): Part => ({ kind: "text", value })),
);
const value = fc.string({ unit: fc.constantFrom("a", ".", "\\", "\n", "$", "b"), maxLength: 6 });

/** The pattern's own meaning: the whole value, `any` any run of characters (newlines too), `one` one. */
function wholeValue(parts: readonly Part[], v: string): boolean {
  const body = parts.map((p) => (p.kind === "any" ? "[\\s\\S]*" : p.kind === "one" ? "[\\s\\S]" : p.value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))).join("");
  return new RegExp(`^(?:${body})$`).test(v);
}

test("anchoredRegex matches the whole value only, a final newline included", () => {
  const exe: Part[] = [{ kind: "any" }, { kind: "text", value: ".exe" }];
  const re = translatePcre(anchoredRegex(exe), { caseSensitive: true });
  assert.ok(re.ok);
  if (!re.ok) return;
  assert.ok(re.re.test("a.exe"));
  assert.not.ok(re.re.test("a.exe\n"));
});

test("anchoredRegex, as PCRE, agrees with the pattern on every value", () => {
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), fc.array(value, { minLength: 1, maxLength: 6 }), (parts, values) => {
      const re = translatePcre(anchoredRegex(parts), { caseSensitive: true });
      assert.ok(re.ok);
      if (!re.ok) return;
      for (const v of values) assert.is(re.re.test(v), wholeValue(parts, v), `${anchoredRegex(parts)} on ${JSON.stringify(v)}`);
    }),
    { seed: 20261203, numRuns: 1000 },
  );
});

test.run();
