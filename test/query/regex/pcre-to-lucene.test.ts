/**
 * pcreToLucene keeps what a pattern matches: for random PCRE patterns over a small alphabet and
 * random values, the PCRE search and the translated Lucene pattern agree (both run through the
 * evaluator's own dialect translations to JS RegExp). Patterns with anchors and word boundaries
 * inside them are either translated exactly or refused, never approximated.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { translateLucene, translatePcre } from "../../../src/query/regex/regex-dialects.js";
import { luceneToPcre } from "../../../src/query/regex/lucene-to-pcre.js";
import { pcreToLucene } from "../../../src/query/regex/pcre-to-lucene.js";

const plainAtom = fc.oneof(
  fc.constantFrom("a", "b", ".", "\\d", "\\w", "\\s", "[ab]", "[^a]", "\\.", "\\(", "x", "@", "#", "&", "<", '"', "{", "]"),
  fc.constantFrom("(a|b)", "(?:ab|c)"),
);
const assertionAtom = fc.constantFrom("(^|a)", "(a|$)", "\\b", "\\B", "(?:\\.|\\b)", "(^a|b)", "(a$|b)", "(?:1|\\b)", "(\\b|x)");
const quantifier = fc.constantFrom("", "*", "+", "?", "*?", "+?", "{1,2}", "{1,2}?", "{2}");
// An assertion-holding group is repeated only a bounded number of times (as in real rules).
const boundedQuantifier = fc.constantFrom("", "", "", "?", "{2}", "{1,2}");
const piece = fc.oneof(
  { arbitrary: fc.tuple(plainAtom, quantifier).map(([a, q]) => a + q), weight: 4 },
  { arbitrary: fc.tuple(assertionAtom, boundedQuantifier).map(([a, q]) => (a.startsWith("(") ? a + q : a)), weight: 1 },
);
const pattern = fc
  .tuple(fc.constantFrom("", "", "^", "\\A"), fc.array(piece, { minLength: 1, maxLength: 5 }), fc.constantFrom("", "", "$", "\\Z", "\\z"), fc.constantFrom("", "(?i)", "(?s)", "(?is)"))
  .map(([start, parts, end, flags]) => `${flags}${start}${parts.join("")}${end}`);
const value = fc.string({ unit: fc.constantFrom("a", "b", "A", "x", "1", " ", ".", "\n", "(", "@", "#", "&", "<", '"', "c", "{", "]", "_"), maxLength: 8 });

function agree(p: string, values: readonly string[]): void {
  const lucene = pcreToLucene(p);
  if (!lucene.ok) return;
  const pcre = translatePcre(p, { caseSensitive: true });
  const luc = translateLucene(lucene.pattern, { caseSensitive: !lucene.caseInsensitive });
  assert.ok(pcre.ok && luc.ok, `${p} → ${lucene.pattern}`);
  if (!pcre.ok || !luc.ok) return;
  for (const v of values) assert.is(luc.re.test(v), pcre.re.test(v), `${JSON.stringify(p)} → ${JSON.stringify(lucene.pattern)} on ${JSON.stringify(v)}`);
}

test("PCRE search and its Lucene translation agree on every value", () => {
  let translated = 0;
  fc.assert(
    fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 6 }), (p, values) => {
      if (pcreToLucene(p).ok) translated++;
      agree(p, values);
    }),
    { seed: 20261125, numRuns: 3000 },
  );
  // Refusing everything would pass the agreement above; most patterns must translate.
  assert.ok(translated > 2400, `only ${translated} of 3000 patterns translated`);
});

test("patterns without assertions inside always translate", () => {
  const plain = fc.tuple(fc.boolean(), fc.array(fc.tuple(plainAtom, quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }), fc.boolean());
  fc.assert(
    fc.property(plain, ([start, parts, end]) => {
      const p = `${start ? "^" : ""}${parts.join("")}${end ? "$" : ""}`;
      const r = pcreToLucene(p);
      assert.ok(r.ok, `refused ${p}: ${r.ok ? "" : r.reason}`);
    }),
    { seed: 20261125, numRuns: 500 },
  );
});

// Shapes found in SigmaHQ rules that Lucene cannot say directly.
const CORPUS_SHAPES: readonly [string, readonly string[]][] = [
  ["(^0oa.*|[a-z0-9.]+@[a-z0-9.-]+\\.[a-z]{2,10})", ["0oa12", "x0oa1", "bob@example.com", "bob@example", "a\n0oa"]],
  ["(^|\\/)\\.[^.\\/]", [".bashrc", "/tmp/.x", "/tmp/..", "a.b", "x/.", "./x"]],
  ["(^[a-zA-Z]{4}$)|(^[a-zA-Z]{8}$)", ["abcd", "abcde", "abcdefgh", "abcd1", " abcd"]],
  ["https?://(?:(?:25[0-5]|(?:2[0-4]|1\\d|[1-9])?\\d)(?:\\.|\\b)){4}", ["http://1.2.3.4", "http://1.2.3.4/x", "http://1.2.3.45x", "http://1.2.3.4.", "x http://10.0.0.255 y", "http://1.2.3", "http://0121.04.0174.012"]],
];

test("corpus shapes with inner anchors and word boundaries translate exactly", () => {
  for (const [p, values] of CORPUS_SHAPES) {
    const r = pcreToLucene(p);
    assert.ok(r.ok, `refused ${p}: ${r.ok ? "" : r.reason}`);
    agree(p, values);
  }
});

test("hostile patterns: deep nesting and branch explosions are refused quickly, never a throw", () => {
  for (const p of ["(".repeat(100_000) + "a" + ")".repeat(100_000), "(?:".repeat(5000) + "a" + ")".repeat(5000), "(\\b|a){8}(\\b|b){8}", "((^|a)(^|b)(^|c)(^|d)(^|e)(^|f)(^|g))"]) {
    const r = pcreToLucene(p);
    assert.not.ok(r.ok, p.slice(0, 20));
  }
  assert.ok(pcreToLucene("(".repeat(100) + "a" + ")".repeat(100)).ok);
});

test("rulecast's own Lucene regexes written to Sigma (`(?s)^(?:…)\\z`) translate back to what they were", () => {
  const values = ["a", "ab", "a\nb", "C:\\x\\a.exe", "a.exe", "x  y\tz", "", "ab\n", "12", "-fu x"];
  for (const l of [".*([24][0-9]{3}).*", "([^ \t]*[ \t]){2}.*", "(.*\\\\)?([a-z0-9]\\.exe)", "a.*", "a.b", "-[^-]*[uz][^-]*", "@"]) {
    const pcre = luceneToPcre(l);
    assert.ok(pcre.ok, l);
    if (!pcre.ok) continue;
    const back = pcreToLucene(pcre.pattern);
    assert.ok(back.ok, `${l} → ${pcre.pattern}: ${back.ok ? "" : back.reason}`);
    if (!back.ok) continue;
    const before = translateLucene(l, { caseSensitive: true });
    const after = translateLucene(back.pattern, { caseSensitive: true });
    assert.ok(before.ok && after.ok, l);
    if (before.ok && after.ok) for (const v of values) assert.is(after.re.test(v), before.re.test(v), `${l} → ${back.pattern} on ${JSON.stringify(v)}`);
  }
  // `\z` is the very end: nothing may follow it, not even a newline `$` would allow.
  agree("a\\z", ["a", "a\n", "ba", "ab"]);
  agree("(?s)a.b", ["a\nb", "axb", "ab"]);
});

test("what Lucene cannot say is refused by name", () => {
  for (const p of ["a(?=b)", "a++", "(?<n>a)", "\\1", "\\b", "(a|\\b)+", "a^b", "(a|.)\\bb", "\\b.a"]) {
    assert.not.ok(pcreToLucene(p).ok, p);
  }
});

test.run();
