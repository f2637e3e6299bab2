import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { evaluate } from "../../src/eval/index.js";

const re = (pattern: string, dialect: "pcre" | "lucene", caseSensitive = true, extra: Partial<Extract<Query, { kind: "regex" }>> = {}): Query => ({
  kind: "regex",
  field: "f",
  pattern,
  dialect,
  caseSensitive,
  ...extra,
});

function run(q: Query, f: unknown): boolean | string {
  const r = evaluate(q, { f });
  return r.ok ? r.matched : `error: ${r.reason}`;
}

const pcre = suite("regex pcre");
pcre("unanchored search, case flag", () => {
  assert.is(run(re("cmd\\.exe", "pcre"), "C:\\cmd.exe /c"), true);
  assert.is(run(re("CMD\\.exe", "pcre"), "cmd.exe"), false);
  assert.is(run(re("CMD\\.exe", "pcre", false), "cmd.exe"), true);
  assert.is(run(re("^a\\d+$", "pcre"), ["x", "a12"]), true);
});
pcre("leading inline flags become RegExp flags", () => {
  assert.is(run(re("(?i)powershell", "pcre"), "PowerShell.exe"), true);
  assert.is(run(re("(?s)a.b", "pcre"), "a\nb"), true);
  assert.is(run(re("a.b", "pcre"), "a\nb"), false);
  assert.is(run(re("a.b", "pcre", true, { dotAll: true }), "a\nb"), true);
  assert.is(run(re("^b", "pcre", true, { multiline: true }), "a\nb"), true);
  assert.is(run(re("^b", "pcre"), "a\nb"), false);
});
pcre("rewritten constructs", () => {
  assert.is(run(re("(?P<x>ab)(?P=x)", "pcre"), "abab"), true);
  assert.is(run(re("\\Aab\\z", "pcre", true, { multiline: true }), "ab"), true);
  assert.is(run(re("\\Aab\\z", "pcre", true, { multiline: true }), "x\nab"), false);
  assert.is(run(re("\\Q1+1\\E", "pcre"), "1+1"), true);
  assert.is(run(re("\\Q1+1\\E", "pcre"), "11"), false);
  assert.is(run(re("^[[:digit:]]+$", "pcre"), "123"), true);
  assert.is(run(re("^[[:digit:]]+$", "pcre"), "12a"), false);
  assert.is(run(re("a(?#note)b", "pcre"), "ab"), true);
  assert.is(run(re("\\x{41}", "pcre"), "A"), true);
  // An atomic group keeps the match it found first: a look-ahead's, taken whole.
  assert.is(run(re("(?>a|ab)c", "pcre"), "abc"), false);
  assert.is(run(re("(?>a|ab)c", "pcre"), "ac"), true);
  assert.is(run(re("(?>a+)a", "pcre"), "aaa"), false);
  assert.is(run(re("(?:(?>a+)|b)+c", "pcre"), "aabac"), true);
});
pcre("unsupported PCRE constructs are error values", () => {
  for (const p of ["a++", "(?>a)\\1", "(?R)", "(?(1)a|b)", "a(?i)b", "(?i:a)", "\\Ga", "a\\Kb", "\\p{L}", "\\h", "(?x) a", "[[:foo:]]"]) {
    const r = run(re(p, "pcre"), "a");
    assert.type(r, "string", p);
    assert.match(r as string, /^error:/, p);
  }
  assert.is(run(re("a+?", "pcre"), "aa"), true); // lazy is fine
});
pcre.run();

const lucene = suite("regex lucene");
lucene("anchored on the whole value", () => {
  assert.is(run(re("cmd", "lucene"), "cmd.exe"), false);
  assert.is(run(re("cmd.*", "lucene"), "cmd.exe"), true);
  assert.is(run(re("c.d\\.exe", "lucene"), "cmd.exe"), true);
  assert.is(run(re("c.d\\.exe", "lucene"), "cmdxexe"), false);
});
lucene("operators . * + ? {} [] | () and quoted strings", () => {
  assert.is(run(re("ab{2,3}c", "lucene"), "abbbc"), true);
  assert.is(run(re("ab{2,3}c", "lucene"), "abc"), false);
  assert.is(run(re("(foo|bar)+", "lucene"), "foobarfoo"), true);
  assert.is(run(re("[a-c]x?", "lucene"), "b"), true);
  assert.is(run(re("[^a-c]", "lucene"), "b"), false);
  assert.is(run(re('"a.b"c', "lucene"), "a.bc"), true);
  assert.is(run(re('"a.b"c', "lucene"), "axbc"), false);
  assert.is(run(re("a^b$", "lucene"), "a^b$"), true); // not anchors in Lucene
  assert.is(run(re("a@", "lucene"), "anything"), true);
});
lucene("case flag", () => {
  assert.is(run(re("abc", "lucene"), "ABC"), false);
  assert.is(run(re("abc", "lucene", false), "ABC"), true);
});
lucene("untranslatable operators and \\d classes are error values", () => {
  for (const p of ["~a", "a&b", "<1-5>", "a#", "\\d+", "\\w"]) {
    const r = run(re(p, "lucene"), "a");
    assert.type(r, "string", p);
  }
});
lucene.run();
