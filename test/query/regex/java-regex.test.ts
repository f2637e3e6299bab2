/**
 * Java regexes (ES|QL REPLACE): the JS form keeps Java's meaning where JS differs (line
 * terminators, `\s`, ASCII-only `(?i)`, possessive quantifiers), the PCRE form for the IR finds the
 * same matches as the JS form (through the evaluator's PCRE translation), and what neither can hold
 * is refused by name.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { javaRegexToJs, javaRegexToPcre } from "../../../src/query/regex/java-regex.js";
import { translatePcre } from "../../../src/query/regex/regex-dialects.js";

function finds(pattern: string, s: string): boolean {
  const r = javaRegexToJs(pattern);
  if (!r.ok) throw new Error(`${pattern}: ${r.reason}`);
  r.value.lastIndex = 0;
  return r.value.test(s);
}

test("Java's `.` stops at every line terminator, and only there", () => {
  for (const t of ["\n", "\r", "\u0085", "\u2028", "\u2029"]) assert.not.ok(finds("a.b", `a${t}b`), JSON.stringify(t));
  for (const c of ["x", "\t", "\u000b", "é", "🔥"]) assert.ok(finds("a.b", `a${c}b`), JSON.stringify(c));
});

test("`\\s` is Java's six ASCII spaces, not Unicode's", () => {
  for (const c of [" ", "\t", "\n", "\u000b", "\f", "\r"]) assert.ok(finds("a\\sb", `a${c}b`), JSON.stringify(c));
  for (const c of ["\u00a0", "\u2028", "\u3000"]) assert.not.ok(finds("a\\sb", `a${c}b`), JSON.stringify(c));
  assert.not.ok(finds("a\\Sb", "a b"));
  assert.ok(finds("a[\\s,]b", "a,b") && finds("a[\\s,]b", "a\u000bb") && !finds("a[\\s,]b", "a\u00a0b"));
});

test("a leading `(?i)` folds ASCII letters only, as Java's default case-insensitivity does", () => {
  assert.ok(finds("(?i)insert", "INSERT") && finds("(?i)[a-c]x", "Bx") && finds("(?i)[^a]", "b"));
  assert.not.ok(finds("(?i)[^a]", "A"));
  // The Kelvin sign and the long s fold to k and s in Unicode, not in Java's ASCII folding.
  assert.not.ok(finds("(?i)k", "\u212a"));
  assert.not.ok(finds("(?i)s", "\u017f"));
  assert.not.ok(finds("é", "É"));
  // Under `(?i)` a letter beyond ASCII stays in its case in Java, not in the IR: refused.
  for (const p of ["(?i)é", "(?i)[à-ÿ]", "(?i)[^é]"]) assert.not.ok(javaRegexToJs(p).ok || javaRegexToPcre(p).ok, p);
});

test("a possessive quantifier gives nothing back", () => {
  assert.not.ok(finds("a++a", "aaa"));
  assert.ok(finds("a+a", "aaa"));
  assert.not.ok(finds("(?:ab)++ab", "ababab"));
  assert.ok(finds("\\$\\{(\\w++`){2,}\\w++\\}", "${a`b`c}"));
  assert.not.ok(finds("[a-z]*+z", "xyz"));
});

test("what Java, PCRE and JS read differently is refused by name", () => {
  const refused: readonly (readonly [string, string])[] = [
    ["^a", "anchor"], ["a$", "anchor"], ["\\bx", "\\b"], ["(?<=a)b", "look-behind"], ["(?i:a)", "inline flags"], ["a(?i)b", "inline flags"],
    ["[a&&b]", "intersection"], ["[a[b]]", "nested"], ["\\p{L}", "\\p"], ["(a)\\1", "\\1"], ["\\x41", "\\x"], ["\\Qa\\E", "\\Q"],
    ["a{2", "repetition"], ["*a", "nothing to repeat"], ["(a", "unbalanced"], ["a)", "unbalanced"], ["[]a]", "`]`"],
  ];
  for (const [p, fragment] of refused) {
    for (const r of [javaRegexToJs(p), javaRegexToPcre(p)]) {
      assert.not.ok(r.ok, p);
      if (!r.ok) assert.ok(r.reason.includes(fragment), `${p}: ${r.reason}`);
    }
  }
});

test("PCRE for the IR: possessive only where greedy is the same, `.` as the class Java means", () => {
  const pcre = (p: string) => {
    const r = javaRegexToPcre(p);
    return r.ok ? r.value.pattern : `refused: ${r.reason}`;
  };
  assert.is(pcre("\\w++\\}"), "\\w+\\}");
  assert.is(pcre("\\[\\d++,\\d++\\]"), "\\[\\d+,\\d+\\]");
  assert.is(pcre("x\\d++"), "x\\d+");
  assert.is(pcre("a.b"), "a[^\\n\\r\u0085\u2028\u2029]b");
  assert.is(pcre("['\"][A-Za-z0-9.-]+"), "['\"][A-Za-z0-9.\\-]+");
  for (const p of ["\\w++\\w", "\\w++(a)", "\\w++\\}?", "(?i)[a-z]++A", "(ab)++c", "\\d++\\w"]) assert.match(pcre(p), /^refused: a possessive/, p);
  // `(?i)` written out: no engine's caseless mode folds more than Java's ASCII letters then.
  assert.is(pcre("(?i)In[a-c]x\\d"), "[iI][nN][a-cA-C][xX]\\d");
  assert.is(pcre("(?i)[^e]"), "[^eE]");
  // `\A`, atomic groups, look-aheads are the same in both.
  assert.is(pcre("\\A(?:(?>[\\d\\D]*?(?:ab|#))){3}(?!x)"), "\\A(?:(?>[\\d\\D]*?(?:ab|#))){3}(?!x)");
  const len = (p: string) => {
    const r = javaRegexToPcre(p);
    return r.ok ? r.value.minLength : -1;
  };
  assert.equal(["a", "a|", "(ab){2,}c", "x(?=yy)", "a*", "(a|bc)+d?", "\\A", "[ab]{3}(?!x)", "(?:a|)b"].map(len), [1, 0, 5, 1, 0, 1, 0, 3, 1]);
});

const atoms = fc.constantFrom("a", "b", ".", "\\s", "\\S", "\\w", "\\d", "[ab]", "[^a]", "[\\s,]", "\\.", "(a|bc)", "(?:ab)", "(?!a)", "(?=b)", "`", ",", "(?>a|ab)", "(?>a+)", "[\\d\\D]");
const quantifiers = fc.constantFrom("", "", "*", "+", "?", "{1,2}", "*?", "++", "*+");
const javaPattern = fc.tuple(fc.boolean(), fc.array(fc.tuple(atoms, quantifiers), { minLength: 1, maxLength: 5 })).map(([ci, ps]) => (ci ? "(?i)" : "") + ps.map(([a, q]) => a + q).join(""));
const text = fc.string({ unit: fc.constantFrom("a", "A", "b", "c", "é", "É", ".", ",", "`", " ", "\u00a0", "\u000b", "\r", "\n", "\u0085", "1", "_"), maxLength: 10 });

test("the PCRE written for the IR finds a match exactly where Java's regex does", () => {
  let compared = 0;
  fc.assert(
    fc.property(javaPattern, fc.array(text, { minLength: 1, maxLength: 8 }), (p, values) => {
      const pcre = javaRegexToPcre(p);
      const js = javaRegexToJs(p);
      if (!js.ok) return true; // JS cannot say a quantified look-ahead: not a pattern the reader meets
      if (!pcre.ok) return /possessive/.test(pcre.reason);
      const ir = translatePcre(pcre.value.pattern, { caseSensitive: true });
      if (!ir.ok) throw new Error(`${p} → ${pcre.value.pattern}: ${ir.reason}`);
      for (const v of values) {
        js.value.lastIndex = 0;
        compared++;
        if (js.value.test(v) !== ir.re.test(v)) throw new Error(`${p} → ${pcre.value.pattern} on ${JSON.stringify(v)}`);
      }
      return true;
    }),
    { seed: 18, numRuns: 3000 },
  );
  assert.ok(compared > 5000, `${compared} values compared`);
});

test.run();
