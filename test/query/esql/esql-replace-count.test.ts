/**
 * REPLACE counting a Java regex's matches (esql-replace-count.ts): what reads, what stays refused,
 * and that the IR read matches what the ES|QL evaluator (REPLACE with Java's regex semantics) says
 * of the query as written, on events made of the pattern's own pieces, line terminators and the mark.
 * Kibana's parser accepts every query read here.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches } from "../../../src/eval/esql-run.js";
import { compileQuery } from "../../../src/eval/evaluate.js";
import type { Query } from "../../../src/ir/query.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { stripSpans } from "../eql/strip-spans.js";

const F = "powershell.file.script_block_text";

/** The corpus's spelling: mark each match, then count the marks. */
function counting(regex: string, bound: string, mark = "🔥"): string {
  return `FROM logs-* | EVAL tmp = REPLACE(${F}, """${regex}""", "${mark}")
| EVAL n = LENGTH(tmp) - LENGTH(REPLACE(tmp, "${mark}", ""))
| WHERE n ${bound}`;
}

function read(text: string): Query {
  const r = readEsql(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  if (r.value.kind !== "ir") throw new Error(`${text}: refused ${r.value.refusal.code} ${r.value.refusal.message}`);
  return stripSpans(r.value.query);
}

const hit = (pattern: string, mark = "🔥"): Query => ({
  kind: "or",
  children: [
    { kind: "regex", field: F, pattern, dialect: "pcre", caseSensitive: true },
    { kind: "match", field: F, value: { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: mark }, { kind: "any" }] }, caseSensitive: true },
  ],
});

test("a count of at least one mark reads as: the regex finds a match, or the value already holds the mark", () => {
  assert.equal(read(counting("a+b", ">= 1")), hit("a+b"));
  assert.equal(read(counting("a+b", "> 0")), hit("a+b"));
  assert.equal(read(counting("a+b", "!= 0")), hit("a+b"));
  assert.equal(read(counting("a+b", "<= 0").replace("WHERE n <= 0", "WHERE 1 <= n")), hit("a+b"));
  // A two-character mark counts two per match: 1 and 2 both say "some".
  assert.equal(read(counting("a+b", ">= 2", "##")), hit("a+b", "##"));
});

test("no mark reads as the negation where the field has a value", () => {
  const none: Query = { kind: "and", children: [{ kind: "exists", field: F }, { kind: "not", child: hit("a+b") }] };
  assert.equal(read(counting("a+b", "== 0")), none);
  assert.equal(read(counting("a+b", "< 1")), none);
});

test("Java's regex is written as PCRE with the same meaning: `.` stops at every Java line terminator, `(?i)` folds ASCII letters, a possessive quantifier before a character it cannot take is greedy", () => {
  assert.equal(read(counting("x.y", ">= 1")), hit("x[^\\n\\r\u0085\u2028\u2029]y"));
  assert.equal(read(counting("(?i)iex\\s", ">= 1")), hit("[iI][eE][xX]\\s"));
  assert.equal(read(counting("\\$\\{(\\w++`){2,}\\w++\\}", ">= 1")), hit("\\$\\{(\\w+`){2,}\\w+\\}"));
  assert.equal(read(counting("\\[\\d++,\\d++\\]", ">= 1")), hit("\\[\\d+,\\d+\\]"));
});

test("a count past one is REPLACE's own scan as one regex: the leftmost match the regex prefers, taken whole, then on after it", () => {
  const scan = (re: string, k: number): Query => ({ kind: "regex", field: F, pattern: `\\A(?:(?>[\\d\\D]*?(?:${re}|🔥))){${k}}`, dialect: "pcre", caseSensitive: true });
  assert.equal(read(counting("a+b", ">= 5")), scan("a+b", 5));
  assert.equal(read(counting("a+b", "> 4")), scan("a+b", 5));
  const present: Query = { kind: "exists", field: F };
  assert.equal(read(counting("a+b", "< 5")), { kind: "and", children: [present, { kind: "not", child: scan("a+b", 5) }] });
  assert.equal(read(counting("a+b", "== 2")), { kind: "and", children: [scan("a+b", 2), { kind: "not", child: scan("a+b", 3) }] });
  assert.equal(read(counting("a+b", "!= 0")), read(counting("a+b", ">= 1")));
  assert.equal(read(counting("a+b", "== 0")), read(counting("a+b", "< 1")));
});

test("removing a regex's matches shortens the value exactly where it has one (the ES|QL printer's form for a regex Lucene cannot say)", () => {
  const found: Query = { kind: "regex", field: F, pattern: "a(?=b)", dialect: "pcre", caseSensitive: true };
  const removed = `LENGTH(REPLACE(${F}, "a(?=b)", ""))`;
  assert.equal(read(`FROM x | WHERE ${removed} < LENGTH(${F})`), found);
  assert.equal(read(`FROM x | WHERE LENGTH(${F}) > ${removed}`), found);
  assert.equal(read(`FROM x | WHERE ${removed} == LENGTH(${F})`), { kind: "and", children: [{ kind: "exists", field: F }, { kind: "not", child: found }] });
  assert.equal(read(`FROM x | WHERE NOT ${removed} < LENGTH(${F})`), { kind: "and", children: [{ kind: "exists", field: F }, { kind: "not", child: found }] });
  // Never longer: `>` never holds, `<=` wherever there is a value.
  assert.equal(read(`FROM x | WHERE ${removed} > LENGTH(${F})`), { kind: "none" });
  assert.equal(read(`FROM x | WHERE ${removed} <= LENGTH(${F})`), { kind: "exists", field: F });
  // What the printer writes for a regex Lucene cannot say, and reads back as it was.
  const printed = printEsql(found, { indices: ["logs-*"] });
  assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
  assert.match(printed.text, `${removed} < LENGTH(${F})`);
  assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
  assert.equal(read(printed.text), found);
  const negated = printEsql({ kind: "not", child: found }, { indices: ["logs-*"] });
  assert.equal(read(negated.text), read(`FROM x | WHERE ${removed} == LENGTH(${F}) OR ${F} IS NULL`));
  // A regex that can match nothing, or that Java reads otherwise (`$`), stays an error of the printer.
  for (const pattern of ["(?=a)", "a(?=b)$"]) {
    const p = printEsql({ ...found, pattern }, { indices: ["logs-*"] });
    assert.ok(p.issues.some((i) => i.severity === "error" && i.code === "esql/regex-dialect"), pattern);
  }
});

/** Refusals: the query, the code, a fragment of the message. */
const REFUSED: readonly (readonly [string, string, string])[] = [
  // Counting past one match of a regex that can match nothing: Java's scan steps on by one character there.
  [counting("a*", ">= 2"), "esql/unsupported-function", "can match nothing"],
  [counting("a+b", ">= 5000"), "esql/too-complex", "more than 1000"],
  // `#` + a match's `##` + `#` holds two `##`: a mark of two characters is counted otherwise than the matches.
  [counting("a+b", ">= 4", "##"), "esql/unsupported-function", "one character"],
  [`FROM x | WHERE LENGTH(REPLACE(${F}, "a?", "")) < LENGTH(${F})`, "esql/unsupported-function", "can match nothing"],
  // Java's `$` also holds before a final line terminator.
  [counting("a$", ">= 1"), "esql/unsupported-regex", "anchor"],
  // `\w++\w` can never match, `\w+\w` can: not the same.
  [counting("\\w++\\w", ">= 1"), "esql/unsupported-regex", "possessive"],
  [counting("(?<=a)b", ">= 1"), "esql/unsupported-regex", "look-behind"],
  [counting("\\bx", ">= 1"), "esql/unsupported-regex", "\\b"],
  // A mark that is a regex of its own is not removed as written.
  [counting("a+b", ">= 1", "."), "esql/unsupported-function", "REPLACE"],
  // A count compared with something other than a number, and REPLACE used otherwise.
  [`FROM x | WHERE REPLACE(${F}, "a", "") == "b"`, "esql/unsupported-function", "REPLACE"],
  [`FROM x | EVAL t = REPLACE(TO_LOWER(${F}), "a", "#") | WHERE LENGTH(t) - LENGTH(REPLACE(t, "#", "")) >= 1`, "esql/unsupported-function", "on a field"],
];

for (const [text, code, fragment] of REFUSED) {
  test(`refused: ${code}: ${JSON.stringify(text.split("\n")[0]!.slice(0, 70))}…`, () => {
    const r = readEsql(text);
    if (!r.ok) return assert.unreachable(r.error.message);
    if (r.value.kind !== "refused") return assert.unreachable(JSON.stringify(r.value.query));
    assert.is(r.value.refusal.code, code, r.value.refusal.message);
    assert.ok(r.value.refusal.message.includes(fragment), r.value.refusal.message);
  });
}

/** The corpus's patterns (Elastic's PowerShell obfuscation rules) and a few that try the edges. */
const PATTERNS: readonly (readonly [string, readonly string[]])[] = [
  ["\\$\\{(\\w++`){2,}\\w++\\}", ["${", "}", "a", "`", "ab`", "_", "${ab`cd`ef}"]],
  ["[.&]\\(\\s*(['\"][A-Za-z0-9.-]+['\"]\\s*\\+\\s*)+['\"][A-Za-z0-9.-]+['\"]\\s*\\)", [".", "&", "(", ")", "'", '"', "a", "+", " ", "\u00a0", "\t", "-", ".('ab'+'cd')", "&( 'a' + \"b\" )"]],
  ["(?i)(\\$(?:\\w+|\\w+\\:\\w+)\\[\\d++\\]\\+\\$(?:\\w+|\\w+\\:\\w+)\\[\\d++\\]\\+['\"]x['\"]|\\$(?:\\w+\\:\\w+)\\[\\d++,\\d++,\\d++\\]|\\.name\\[\\d++,\\d++,\\d++\\])", ["$", "a", "env:", "[", "]", "1", ",", "+", "'X'", "'x'", ".NAME", ".name", "\u212a", "$env:x[1]+$env:y[2]+'x'", "$Env:ComSpec[4,15,25]", ".name[3,11,2]"]],
  ["(?i)['\"]['\"].(Insert|Normalize|Chars|substring|Remove|LastIndexOfAny|LastIndexOf|IsNormalized|IndexOfAny|IndexOf)[^\\[]+\\[\\d+,\\d+,\\d+\\]", ["''", '""', ".", "\r", "\u0085", "\n", "insert", "INSERT", "IndexOf", "x", "[1,2,3]", "[", "1,", "''.Insert(foo)[1,2,3]", "\"\".indexof x[10,2,3]"]],
  ["\\$\\w+\\[\\-\\s?1\\.\\.", ["$", "a", "[", "-", " ", "\u000b", "\u2028", "1", "..", ".", "$a[-1..", "$abc[- 1.."]],
  ["a.b", ["a", "b", "\r", "\n", "\u0085", "\u2028", "x"]],
  ["x\\s", ["x", " ", "\u00a0", "\u000b", "\t", "y"]],
  // Where the scan's choices matter: the leftmost match, the alternative the regex prefers, a match that swallows the next.
  ["a|ab", ["a", "b", "ab", "🔥"]],
  ["ab|a", ["a", "b", "ab"]],
  ["a[^x]*|b", ["a", "b", "x", " "]],
  ["aa", ["a", "aa", "b"]],
  ["a(?=a)", ["a", "b"]],
  ["(?i)x\\d{1,2}", ["x", "X", "1", "12", "y"]],
];

/**
 * Marks and the bounds tried with them. The evaluator's PCRE works on UTF-16 code units, so its `.`
 * and negated classes take half of a character beyond U+FFFF, where Java, PCRE (UTF) and Lucene take
 * the whole: a count past one is compared with a mark inside the BMP; with 🔥 only "any" and "none",
 * whose mark test does not depend on it.
 */
const MARKS: readonly (readonly [string, readonly string[]])[] = [
  ["🔥", [">= 1", "== 0"]],
  ["¤", [">= 1", "== 0", ">= 2", "> 2", "< 3", "== 2", "!= 1"]],
];

test("what is read matches what ES|QL's REPLACE (Java's regex) selects, event by event", () => {
  let checked = 0;
  const seen = { true: 0, false: 0 };
  for (const [regex, pieces] of PATTERNS) {
    for (const [mark, bounds] of MARKS) for (const bound of bounds) {
      const text = counting(regex, bound, mark);
      assert.ok(checkEsql(text).ok, `Kibana's parser rejects ${text}`);
      const ast = parseEsqlAst(text);
      if (!ast.ok) return assert.unreachable(ast.error.message);
      const ir = compileQuery(read(text));
      if (!ir.ok) return assert.unreachable(`${regex}: ${ir.reason}`);
      const value = fc.array(fc.constantFrom(...pieces, mark, "ab"), { minLength: 0, maxLength: 12 }).map((xs) => xs.join(""));
      try {
      fc.assert(
        fc.property(fc.option(value, { nil: undefined }), (v) => {
          const event = v === undefined ? {} : { [F]: v };
          const want = esqlMatches(ast.value, event);
          if (!want.ok) throw new Error(want.reason);
          checked++;
          seen[String(want.matched) as "true" | "false"]++;
          if (want.matched !== ir.test(event)) throw new Error(`${regex} ${bound}: ES|QL says ${want.matched}`);
          return true;
        }),
        { seed: 18, numRuns: 400 },
      );
      } catch (e) {
        throw new Error(`${regex} ${bound}: ${(e as Error).message.split("\n").slice(0, 8).join(" ")}`);
      }
    }
  }
  assert.ok(checked >= 30000, `${checked} events`);
  assert.ok(seen.true > 1000 && seen.false > 1000, JSON.stringify(seen));
});

test.run();
