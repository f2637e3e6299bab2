import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../../src/eval/evaluate.js";
import type { Part, Query } from "../../../src/ir/query.js";
import { parseLucene } from "../../oracles/lucene/lucene-parser.js";
import { printLucene } from "../../../src/query/lucene/lucene-printer.js";
import { luceneRegexOfParts } from "../../../src/query/lucene/lucene-escape.js";

const text = (value: string): Part => ({ kind: "text", value });
const ANY: Part = { kind: "any" };
const m = (field: string, parts: Part[], caseSensitive = true): Query => ({ kind: "match", field, value: { kind: "string", parts }, caseSensitive });

function prints(q: Query, expected: string): void {
  const r = printLucene(q);
  assert.equal(r.issues, []);
  assert.is(r.text, expected);
  assert.ok(parseLucene(r.text).ok, r.text);
}

test("values: phrase when exact, escaped term for wildcards, two-case regex when case-insensitive", () => {
  prints(m("process.name", [text("cmd.exe")]), 'process.name:"cmd.exe"');
  prints(m("process.name", [ANY, text("\\cmd (x).exe")]), "process.name:*\\\\cmd\\ \\(x\\).exe");
  prints(m("process.name", [ANY, text(".exe")], false), "process.name:/.*\\.[eE][xX][eE]/");
  prints(m("a", [ANY, text("x<y")]), "a:/.*x\\<y/");
  prints(m("a", [text("AND")]), 'a:"AND"');
  prints(m("a", []), 'a:/""/');
  // U+3000 is whitespace to the query string parser; other space characters are escaped as well.
  prints(m("a", [ANY, text("\u3000\u00a0\u2000"), ANY]), "a:*\\\u3000\\\u00a0\\\u2000*");
  prints(m("a", [text("AND"), ANY]), "a:AND*");
  prints(m("a", [text("a/b"), ANY]), "a:a\\/b*");
  prints({ kind: "match", field: "n", value: { kind: "number", value: -1, raw: "-1" }, caseSensitive: true }, "n:\\-1");
});

test("case-insensitive regexes list both cases of each letter, in and out of classes", () => {
  prints({ kind: "regex", field: "a", pattern: "c.d[^a-f0-9]x", dialect: "lucene", caseSensitive: false }, "a:/[cC].[dD][^A-Fa-f0-9][xX]/");
  prints({ kind: "regex", field: "a", pattern: "(?i)^cmd", dialect: "pcre", caseSensitive: true }, "a:/([cC][mM][dD]).*/");
  prints({ kind: "regex", field: "a", pattern: "[-a]", dialect: "lucene", caseSensitive: false }, "a:/[-aA]/");
});

test("structure: every group parenthesised, negations beside a positive clause", () => {
  const a = m("a", [text("1")]);
  const b = m("b", [text("2")]);
  prints({ kind: "not", child: a }, '*:* AND NOT a:"1"');
  prints({ kind: "and", children: [a, { kind: "not", child: b }] }, '(a:"1" AND NOT b:"2")');
  prints({ kind: "or", children: [a, { kind: "not", child: b }] }, '(a:"1" OR (*:* AND NOT b:"2"))');
  prints({ kind: "and", children: [{ kind: "not", child: a }, { kind: "not", child: b }] }, '(*:* AND NOT a:"1" AND NOT b:"2")');
  prints({ kind: "or", children: [{ kind: "and", children: [a, b] }, a] }, '((a:"1" AND b:"2") OR a:"1")');
  prints({ kind: "match", field: "a", value: { kind: "null" }, caseSensitive: true }, "*:* AND NOT _exists_:a");
  prints({ kind: "range", field: "n", op: "lt", value: { kind: "number", value: 5, raw: "5" } }, "n:{* TO 5}");
});

test("what Lucene cannot say is an error", () => {
  const codes = (q: Query) => printLucene(q).issues.filter((i) => i.severity === "error").map((i) => i.code);
  assert.equal(codes({ kind: "keyword", value: { kind: "string", parts: [text("x")] }, caseSensitive: false }), ["lucene/unsupported-keyword"]);
  assert.equal(codes({ kind: "fieldref", field: "a", other: "b", caseSensitive: true }), ["lucene/unsupported-fieldref"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: '"abc"', dialect: "lucene", caseSensitive: false }), ["lucene/regex-case"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: "[0-z]", dialect: "lucene", caseSensitive: false }), ["lucene/regex-case"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: "a(?=b)", dialect: "pcre", caseSensitive: true }), ["lucene/regex-dialect"]);
  assert.equal(codes(m("a<b", [text("x")])), ["lucene/field-name"]);
});

test("the reader refuses what the query string parser reads differently than it looks", () => {
  for (const t of ['a:"1" OR NOT b:"2"', 'NOT a:"1"', '(NOT a:"1")', 'a:"1" AND b:"2" OR c:"3"', 'a:"1" b:"2"', "cmd.exe", "a:x~2"]) {
    assert.not.ok(parseLucene(t).ok, t);
  }
});

/** Values made from the pattern itself with case flipped, so a case-insensitive match is tested where it matters. */
const PIECES = ["cmd", "EXE", "Tmp", "é", "x y", ".", "*", "\\"];
const caseCase = fc
  .tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }), fc.constantFrom("exact", "prefix", "suffix", "contains"), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), fc.constantFrom("", "zz", "Q"))
  .map(([pieces, shape, flips, filler]) => {
    const t = pieces.join("");
    const parts: Part[] = shape === "exact" ? [text(t)] : shape === "prefix" ? [text(t), ANY] : shape === "suffix" ? [ANY, text(t)] : [ANY, text(t), ANY];
    const flipped = [...t].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join("");
    const value = shape === "exact" ? flipped : shape === "prefix" ? flipped + filler : shape === "suffix" ? filler + flipped : filler + flipped + filler;
    return { parts, value };
  });

test("case-insensitive patterns keep every case variant of their text, and nothing else", () => {
  fc.assert(
    fc.property(caseCase, fc.boolean(), fc.boolean(), ({ parts, value }, cs, asRegex) => {
      const pattern = luceneRegexOfParts(parts);
      const q: Query = asRegex ? { kind: "regex", field: "f", pattern, dialect: "lucene", caseSensitive: cs } : m("f", parts, cs);
      const r = printLucene(q);
      assert.equal(r.issues, []);
      const back = parseLucene(r.text);
      if (!back.ok) throw new Error(`${r.text}: ${back.error.message}`);
      for (const v of [value, value + "!", "other"]) {
        const want = evaluate(q, { f: v });
        const got = evaluate(back.value, { f: v });
        assert.ok(want.ok && got.ok);
        if (want.ok && got.ok) assert.is(got.matched, want.matched, `${r.text} on ${JSON.stringify(v)}`);
      }
    }),
    { seed: 20261125, numRuns: 800 },
  );
});

test.run();
