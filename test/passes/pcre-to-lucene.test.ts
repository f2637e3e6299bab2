/**
 * pcreToLucene keeps what a pattern matches: for random PCRE patterns over a small alphabet and
 * random values, the PCRE search and the translated Lucene pattern agree (both run through the
 * evaluator's own dialect translations to JS RegExp).
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { translateLucene, translatePcre } from "../../src/eval/regex-dialects.js";
import { pcreToLucene } from "../../src/passes/pcre-to-lucene.js";

const atom = fc.oneof(
  fc.constantFrom("a", "b", ".", "\\d", "\\w", "\\s", "[ab]", "[^a]", "\\.", "\\(", "x", "@", "#", "&", "<", '"'),
  fc.constantFrom("(a|b)", "(?:ab|c)"),
);
const piece = fc.oneof(
  fc.tuple(atom, fc.constantFrom("", "*", "+", "?", "*?", "+?", "{1,2}", "{1,2}?")).map(([a, q]) => a + q),
);
const pattern = fc
  .tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean())
  .map(([start, parts, end, ci]) => `${ci ? "(?i)" : ""}${start ? "^" : ""}${parts.join("")}${end ? "$" : ""}`);
const value = fc.string({ unit: fc.constantFrom("a", "b", "A", "x", "1", " ", ".", "\n", "(", "@", "#", "&", "<", '"', "c"), maxLength: 8 });

test("PCRE search and its Lucene translation agree on every value", () => {
  fc.assert(
    fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 6 }), (p, values) => {
      const lucene = pcreToLucene(p);
      assert.ok(lucene.ok, `refused ${p}: ${lucene.ok ? "" : lucene.reason}`);
      if (!lucene.ok) return;
      const pcre = translatePcre(p, { caseSensitive: true });
      const luc = translateLucene(lucene.pattern, { caseSensitive: !lucene.caseInsensitive });
      assert.ok(pcre.ok && luc.ok, `${p} → ${lucene.pattern}`);
      if (!pcre.ok || !luc.ok) return;
      for (const v of values) assert.is(luc.re.test(v), pcre.re.test(v), `${JSON.stringify(p)} → ${JSON.stringify(lucene.pattern)} on ${JSON.stringify(v)}`);
    }),
    { seed: 20261125, numRuns: 1500 },
  );
});

test("what Lucene cannot say is refused by name", () => {
  for (const p of ["a(?=b)", "\\bword", "a(^b)", "a++", "(?<n>a)", "\\1"]) {
    assert.not.ok(pcreToLucene(p).ok, p);
  }
});

test.run();
