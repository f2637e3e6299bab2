import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part, Query } from "../../../src/ir/query.js";
import { printKql } from "../../../src/query/kql/kql-printer.js";
import { parseKql } from "../../../src/query/kql/kql-parser.js";
import { stripSpans } from "./strip-spans.js";

const T = (value: string): Part => ({ kind: "text", value });
const ANY: Part = { kind: "any" };
const m = (field: string, ...parts: Part[]): Query => ({ kind: "match", field, value: { kind: "string", parts }, caseSensitive: true });
const mi = (field: string, ...parts: Part[]): Query => ({ kind: "match", field, value: { kind: "string", parts }, caseSensitive: false });
const kw = (caseSensitive: boolean, ...parts: Part[]): Query => ({ kind: "keyword", value: { kind: "string", parts }, caseSensitive });
const and = (...children: Query[]): Query => ({ kind: "and", children });
const or = (...children: Query[]): Query => ({ kind: "or", children });
const not = (child: Query): Query => ({ kind: "not", child });
const a = m("a", T("1"));
const b = m("b", T("2"));
const c = m("c", T("3"));

/** [name, IR, expected text, expected issues as `severity code`] */
const cases: readonly [string, Query, string, string[]][] = [
  ["match", m("process.name", T("cmd.exe")), "process.name:cmd.exe", []],
  ["multi-token text is quoted (phrase on text fields)", m("f", T("Invoke-Mimikatz")), 'f:"Invoke-Mimikatz"', []],
  ["single-token text with dots stays bare", m("f", T("svchost.exe")), "f:svchost.exe", []],
  ["range with a quoted date", { kind: "range", field: "t", op: "gt", value: { kind: "string", parts: [T("2020-01-01T00:00:00")] } }, 't > "2020-01-01T00:00:00"', []],
  ["range with a wildcard is refused", { kind: "range", field: "t", op: "gt", value: { kind: "string", parts: [ANY] } }, "t > <unsupported range>", ["error kql/unsupported-range"]],
  ["wildcard", m("f", ANY, T("cmd"), ANY), "f:*cmd*", []],
  ["exists", { kind: "exists", field: "user.name" }, "user.name:*", []],
  ["null match is not exists", { kind: "match", field: "f", value: { kind: "null" }, caseSensitive: true }, "not f:*", []],
  ["all", { kind: "all" }, "*:*", []],
  ["none", { kind: "none" }, "not *:*", []],
  ["range", { kind: "range", field: "n", op: "gte", value: { kind: "number", value: 10, raw: "10" } }, "n >= 10", []],
  ["range date math", { kind: "range", field: "@timestamp", op: "lt", value: { kind: "string", parts: [T("now-1d")] } }, "@timestamp < now-1d", []],
  ["and of or: or is parenthesised", and(a, or(b, c)), "a:1 and (b:2 or c:3)", []],
  ["or of and: no parentheses", or(and(a, b), c), "a:1 and b:2 or c:3", []],
  ["not of and", not(and(a, b)), "not (a:1 and b:2)", []],
  ["and of not", and(not(a), b), "not a:1 and b:2", []],
  ["not of not", not(not(a)), "not (not a:1)", []],
  ["or run on one field", or(m("f", T("a")), m("f", T("b")), m("f", T("c"))), "f:(a or b or c)", []],
  ["or runs split by other fields", or(m("f", T("a")), m("f", T("b")), c, m("f", T("d"))), "f:(a or b) or c:3 or f:d", []],
  ["value group inside and", and(a, or(m("f", T("x")), m("f", T("y")))), "a:1 and f:(x or y)", []],
  ["nested", { kind: "nested", path: "p", query: and(m("p.c", T("x")), m("p.d", T("y"))) }, "p:{ c:x and d:y }", []],
  ["keyword", kw(false, T("hello world")), '"hello world"', []],
  ["keyword wildcard is refused (a field-less query_string)", kw(false, T("pow"), ANY), "pow*", ["error kql/keyword-wildcard"]],
  ["wildcard with inner space on a keyword field", m("process.name", ANY, T(" -i "), ANY), "process.name:* -i *", []],
  ["wildcard with inner space on an ECS wildcard field is refused", m("process.command_line", ANY, T(" -i "), ANY), "process.command_line:* -i *", ["error kql/wildcard-whitespace"]],
  ["wildcard with inner space on a field ECS does not define is refused", m("winlog.event_data.Query", T("select "), ANY, T(" from x")), "winlog.event_data.Query:select * from x", ["error kql/wildcard-whitespace"]],
  ["wildcard without space on an ECS wildcard field", m("process.command_line", ANY, T("-enc"), ANY), "process.command_line:*-enc*", []],
  ["cidr", { kind: "cidr", field: "source.ip", cidr: "10.0.0.0/8" }, 'source.ip:"10.0.0.0/8"', ["warning kql/cidr-assumes-ip"]],
  ["case-insensitive match warns", mi("f", T("Cmd")), "f:Cmd", ["warning kql/case-sensitive-match"]],
  ["case-insensitive match of caseless text is exact", mi("f", T("123")), "f:123", []],
  ["case-sensitive keyword warns", kw(true, T("Abc")), "Abc", ["warning kql/case-insensitive-keyword"]],
  ["regex", { kind: "regex", field: "f", pattern: "a.*", dialect: "pcre", caseSensitive: true }, "<unsupported regex>", ["error kql/unsupported-regex"]],
  ["one-char wildcard", m("f", T("a"), { kind: "one" }), "f:a?", ["error kql/single-char-wildcard"]],
  ["fieldref", { kind: "fieldref", field: "a", other: "b", caseSensitive: true }, "<unsupported fieldref>", ["error kql/unsupported-fieldref"]],
  ["compare", { kind: "compare", op: "eq", left: { kind: "field", field: "a", optional: false }, right: { kind: "literal", value: { kind: "number", value: 1, raw: "1" } } }, "<unsupported compare>", ["error kql/unsupported-compare"]],
  ["sequence", { kind: "sequence", by: [], steps: [{ query: a, by: [] }] }, "<unsupported sequence>", ["error kql/unsupported-sequence"]],
  ["opaque kuery is carried", { kind: "opaque", language: "kuery", text: "a:1 or b:2" }, "(a:1 or b:2)", []],
  ["opaque esql is refused", { kind: "opaque", language: "esql", text: "from x" }, "<unsupported opaque>", ["error kql/unsupported-opaque"]],
  ["wildcard with edge space is refused", m("process.name", T(" a"), ANY), 'process.name:" a*"', ["error kql/edge-whitespace"]],
];

for (const [name, q, text, issues] of cases) {
  test(`print: ${name}`, () => {
    const r = printKql(q);
    assert.is(r.text, text);
    assert.equal(r.issues.map((i) => `${i.severity} ${i.code}`), issues);
  });
}

test("warning says which way case changes the match", () => {
  assert.match(printKql(mi("f", T("A"))).issues[0]?.reason ?? "", /narrows/);
  assert.match(printKql(kw(true, T("A"))).issues[0]?.reason ?? "", /widens/);
});

/** Escaping: the printed text parses back to the same characters. */
const escapes: readonly [string, Part[], string][] = [
  ["double quote", [T('say "hi"')], '"say \\"hi\\""'],
  ["backslash", [T("C:\\Windows")], '"C:\\\\Windows"'],
  ["literal star", [T("a*b")], '"a*b"'],
  ["colon", [T("a:b")], '"a:b"'],
  ["parenthesis", [T("f(x)")], '"f(x)"'],
  ["spaces", [T("a b")], '"a b"'],
  ["keyword words", [T("x or y and not z")], '"x or y and not z"'],
  ["typed word", [T("null")], '"null"'],
  ["pattern with specials", [T('a"b\\c:(d) e'), ANY], 'a\\"b\\\\c\\:\\(d\\) e*'],
  ["pattern with literal star", [T("a*"), ANY], "a\\**"],
  ["pattern with keywords", [ANY, T(" or x and y not z "), ANY], "* \\or x \\and y \\u006eot z *"],
  ["pattern ending in not", [ANY, T("cannot")], "*can\\u006eot"],
  ["control and format characters", [T("a\u0000b\u202ec")], '"a\\u0000b\\u202ec"'],
  ["format character in a pattern", [ANY, T("\u202e"), ANY], "*\\u202e*"],
];

for (const [name, parts, value] of escapes) {
  test(`escape: ${name}`, () => {
    // process.name is keyword: a pattern with spaces is a wildcard query there, not query_string.
    const q = m("process.name", ...parts);
    const r = printKql(q);
    assert.equal(r.issues, []);
    assert.is(r.text, `process.name:${value}`);
    const back = parseKql(r.text);
    assert.ok(back.ok, r.text);
    if (back.ok) assert.equal(stripSpans(back.value), q);
  });
}

test("escape: field names keep `*` as a field wildcard and escape the rest", () => {
  assert.is(printKql(m("process.*", T("x"))).text, "process.*:x");
  assert.is(printKql(m("a:b", T("x"))).text, "a\\:b:x");
  assert.is(printKql(m("null", T("x"))).text, '"null":x');
  assert.is(printKql(m(" a", T("x"))).text, '" a":x');
});

test.run();
