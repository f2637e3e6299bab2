/**
 * luceneToPcre keeps what a pattern matches: for random Lucene patterns over a small alphabet and
 * random values, the whole-value Lucene match and the translated PCRE search agree (both through
 * the evaluator's own dialect translations).
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { translateLucene, translatePcre } from "../../../src/query/regex/regex-dialects.js";
import { luceneToPcre } from "../../../src/query/regex/lucene-to-pcre.js";

// `(*a)`, `(?b|+)`, `({a)`: where an atom is due, Lucene reads a quantifier character as itself.
const atom = fc.constantFrom("a", "b", ".", "[ab]", "[^a]", "\\.", "\\(", "x", "(a|b)", "(ab|c)", "@", "(*a)", "(?b|+)", "({a)");
const piece = fc.tuple(atom, fc.constantFrom("", "*", "+", "?", "{1,2}")).map(([a, q]) => a + q);
const pattern = fc
  .tuple(fc.constantFrom("", "*", "?", "+"), fc.array(piece, { minLength: 1, maxLength: 5 }))
  .map(([lead, ps]) => lead + ps.join(""));
const value = fc.string({ unit: fc.constantFrom("a", "b", "x", "c", ".", "(", "\n", " "), maxLength: 8 });

test("a Lucene pattern and its PCRE translation agree on every value", () => {
  fc.assert(
    fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 6 }), (p, values) => {
      const pcre = luceneToPcre(p);
      assert.ok(pcre.ok, `refused ${p}`);
      if (!pcre.ok) return;
      const luc = translateLucene(p, { caseSensitive: true });
      const re = translatePcre(pcre.pattern, { caseSensitive: true });
      assert.ok(luc.ok && re.ok, `${p} → ${pcre.pattern}`);
      if (!luc.ok || !re.ok) return;
      for (const v of values) assert.is(re.re.test(v), luc.re.test(v), `${JSON.stringify(p)} → ${JSON.stringify(pcre.pattern)} on ${JSON.stringify(v)}`);
    }),
    { seed: 20261125, numRuns: 1500 },
  );
});

test("what PCRE would read differently is refused by name", () => {
  for (const p of ["a&b", "~a", "<1-5>", "a#", '"x"', "\\d", "a^b", "a**", "a?+", "a+?", "a{2}{3}", "a{x}"]) assert.not.ok(luceneToPcre(p).ok, p);
});

// Elastic's persistence_web_server_potential_command_injection has `rlike "*sh.{1,2}-c*"`: Lucene
// reads the first `*` as the character (nothing precedes it to repeat). PCRE rejects it unescaped.
test("a quantifier character where an atom is due is that character", () => {
  assert.equal(luceneToPcre("*sh.{1,2}-c*"), { ok: true, pattern: "(?s)^(?:\\*sh.{1,2}-c*)\\z" });
  assert.equal(luceneToPcre("(?:a)"), { ok: true, pattern: "(?s)^(?:(\\?:a))\\z" });
  assert.equal(luceneToPcre("a|+b"), { ok: true, pattern: "(?s)^(?:a|\\+b)\\z" });
  const luc = translateLucene("*sh.{1,2}-c*", { caseSensitive: true });
  assert.ok(luc.ok && luc.re.test("*sh -c") && !luc.re.test("bash -c"));
});

test.run();
