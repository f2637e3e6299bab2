import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part, Query } from "../../../src/ir/query.js";
import { parseKql } from "../../../src/query/kql/kql-parser.js";
import { stripSpans } from "./strip-spans.js";

const T = (value: string): Part => ({ kind: "text", value });
const ANY: Part = { kind: "any" };
const m = (field: string, ...parts: Part[]): Query => ({
  kind: "match",
  field,
  value: { kind: "string", parts },
  caseSensitive: true,
});
const kw = (...parts: Part[]): Query => ({ kind: "keyword", value: { kind: "string", parts }, caseSensitive: false });
const and = (...children: Query[]): Query => ({ kind: "and", children });
const or = (...children: Query[]): Query => ({ kind: "or", children });
const not = (child: Query): Query => ({ kind: "not", child });

function parsed(text: string): Query {
  const r = parseKql(text);
  if (!r.ok) assert.unreachable(`${text}: ${r.error.code} ${r.error.message} @${r.error.offset}`);
  return r.ok ? r.value : { kind: "none" };
}
const ir = (text: string): Query => stripSpans(parsed(text));

test("field:value is a case-sensitive match, with span", () => {
  assert.equal(parsed("process.name:cmd.exe"), {
    kind: "match",
    field: "process.name",
    value: { kind: "string", parts: [T("cmd.exe")] },
    caseSensitive: true,
    span: { start: 0, end: 20 },
  });
});

test("spaces around `:` and inside an unquoted value", () => {
  assert.equal(ir("f : a b  c "), m("f", T("a b  c")));
});

test("and/or/not are case-insensitive", () => {
  assert.equal(ir("a:1 AND b:2 Or NoT c:3"), or(and(m("a", T("1")), m("b", T("2"))), not(m("c", T("3")))));
});

test("precedence: `a and b or c` is (a and b) or c", () => {
  assert.equal(ir("a and b or c"), or(and(kw(T("a")), kw(T("b"))), kw(T("c"))));
  assert.equal(ir("a and (b or c)"), and(kw(T("a")), or(kw(T("b")), kw(T("c")))));
});

test("precedence: `not a and b` is (not a) and b", () => {
  assert.equal(ir("not a and b"), and(not(kw(T("a"))), kw(T("b"))));
  assert.equal(ir("not (a and b)"), not(and(kw(T("a")), kw(T("b")))));
});

test("parentheses keep the inner node and its span", () => {
  const q = parsed("( a:b )");
  assert.equal(q.span, { start: 2, end: 5 });
});

test("value group with or, span of each value and of the whole", () => {
  const q = parsed("f:(a or b)");
  assert.equal(stripSpans(q), or(m("f", T("a")), m("f", T("b"))));
  assert.equal(q.span, { start: 0, end: 10 });
  assert.equal(q.kind === "or" ? q.children.map((c) => c.span) : [], [
    { start: 3, end: 4 },
    { start: 8, end: 9 },
  ]);
});

test("value group with and / not / nesting", () => {
  assert.equal(ir("f:(a and b)"), and(m("f", T("a")), m("f", T("b"))));
  assert.equal(ir("f:(not a)"), not(m("f", T("a"))));
  assert.equal(ir('f:(a or (b and not "c"))'), or(m("f", T("a")), and(m("f", T("b")), not(m("f", T("c"))))));
});

test("quoted phrase: `*` is literal, escapes \\\" \\\\ \\t \\n \\u", () => {
  assert.equal(ir('f:"a *b"'), m("f", T("a *b")));
  assert.equal(ir('f:"q\\"b\\\\s\\tt\\nn\\u0041"'), m("f", T('q"b\\s\tt\nnA')));
});

test("quoted: a backslash before another character is itself (Kibana `[^\"]`)", () => {
  assert.equal(ir('f:"C:\\Windows\\x"'), m("f", T("C:\\Windows\\x")));
});

test("unquoted wildcard and escaped specials", () => {
  assert.equal(ir("f:*cmd*.exe"), m("f", ANY, T("cmd"), ANY, T(".exe")));
  assert.equal(ir("f:a\\*b\\:\\(\\)\\<\\>\\{\\}\\\"\\\\"), m("f", T('a*b:()<>{}"\\')));
});

test("`?` is a literal character", () => {
  assert.equal(ir("f:a?b"), m("f", T("a?b")));
});

test("escaped keywords `\\or` `\\and` are literal; `\\not` is a newline then `ot`", () => {
  assert.equal(ir("f:a \\or b \\AND c"), m("f", T("a or b AND c")));
  assert.equal(ir("f:a\\not"), m("f", T("a\not")));
});

test("a keyword ends an unquoted value; `or` inside a word does not", () => {
  assert.equal(ir("f:for x or y"), or(m("f", T("for x")), kw(T("y"))));
});

test("a keyword needs a space before it: `a or or b` searches `or b`", () => {
  assert.equal(ir("a or or b"), or(kw(T("a")), kw(T("or b"))));
  assert.equal(ir("a and"), kw(T("a and")));
});

test("unquoted `true` `false` are booleans (Kibana's typed literals), except on ECS string fields; `null` and quoted words stay text", () => {
  const b = (field: string, value: boolean): Query => ({ kind: "match", field, value: { kind: "boolean", value }, caseSensitive: true });
  assert.equal(ir("f:null or g:true or h:false"), or(m("f", T("null")), b("g", true), b("h", false)));
  assert.equal(ir('g:"true"'), m("g", T("true")));
  assert.equal(ir("gcp.audit.request.spec.hostNetwork:true"), b("gcp.audit.request.spec.hostNetwork", true));
  assert.equal(ir("process.code_signature.trusted:true"), b("process.code_signature.trusted", true));
  assert.equal(ir("process.name:true"), m("process.name", T("true")));
});

test("field:* is exists; *:* is all", () => {
  assert.equal(parsed("user.name:*"), { kind: "exists", field: "user.name", span: { start: 0, end: 11 } });
  assert.equal(ir("*:*"), { kind: "all" });
  assert.equal(ir("f:**"), m("f", ANY, ANY));
  assert.equal(ir('f:"*"'), m("f", T("*")));
});

test("ranges: < <= > >= with string values", () => {
  const r = (op: "lt" | "lte" | "gt" | "gte", field: string, value: string): Query => ({
    kind: "range",
    field,
    op,
    value: { kind: "string", parts: [T(value)] },
  });
  assert.equal(ir("a < \"1\" and b<=x2 and c > now-1d and d >= \"2020-01-01\""), and(r("lt", "a", "1"), r("lte", "b", "x2"), r("gt", "c", "now-1d"), r("gte", "d", "2020-01-01")));
  assert.equal(parsed("n >= 10").span, { start: 0, end: 7 });
});

test("ranges: an unquoted number is a number, except on ECS string and date fields", () => {
  const n = (op: "lt" | "lte" | "gt" | "gte", field: string, raw: string): Query => ({ kind: "range", field, op, value: { kind: "number", value: Number(raw), raw } });
  assert.equal(ir("network.packets <= 2"), n("lte", "network.packets", "2"));
  assert.equal(ir("destination.port >= 5800 and destination.port <= 5810"), and(n("gte", "destination.port", "5800"), n("lte", "destination.port", "5810")));
  assert.equal(ir("x > -1.5"), n("gt", "x", "-1.5"));
  // ES compares these as text or dates: the bound stays what it says.
  assert.equal(ir("process.name > 5"), { kind: "range", field: "process.name", op: "gt", value: { kind: "string", parts: [T("5")] } });
  assert.equal(ir("@timestamp > 2020"), { kind: "range", field: "@timestamp", op: "gt", value: { kind: "string", parts: [T("2020")] } });
});

test("nested query names full fields, at every depth", () => {
  assert.equal(ir("p:{ c:x and d:{ e:y } }"), {
    kind: "nested",
    path: "p",
    query: and(m("p.c", T("x")), { kind: "nested", path: "p.d", query: m("p.d.e", T("y")) }),
  });
  assert.equal(parsed("p:{c:x}").span, { start: 0, end: 7 });
});

test("bare value is a case-insensitive keyword; may contain spaces", () => {
  assert.equal(parsed(" hello world "), {
    kind: "keyword",
    value: { kind: "string", parts: [T("hello world")] },
    caseSensitive: false,
    span: { start: 1, end: 12 },
  });
  assert.equal(ir("*"), kw(ANY));
});

test("wildcard and quoted field names", () => {
  assert.equal(ir("process.*:x"), m("process.*", T("x")));
  assert.equal(ir('"a b":x'), m("a b", T("x")));
});

test("empty and blank queries are all", () => {
  assert.equal(parsed(""), { kind: "all", span: { start: 0, end: 0 } });
  assert.equal(ir(" \n\t"), { kind: "all" });
});

test("whitespace includes NBSP, tabs and newlines around keywords", () => {
  assert.equal(ir("a:1\n  and\tb:2\u00a0or c:3"), or(and(m("a", T("1")), m("b", T("2"))), m("c", T("3"))));
});

test.run();
