import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part, Query, Value } from "../../../src/ir/query.js";
import { parseEql } from "../../../src/query/eql/eql-parser.js";
import { stripSpans } from "./strip-spans.js";

function ok(text: string): Query {
  const r = parseEql(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message} at ${r.error.offset}`);
  return r.value;
}
const ir = (text: string): Query => stripSpans(ok(text));

const txt = (value: string): Part => ({ kind: "text", value });
const ANY: Part = { kind: "any" };
const ONE: Part = { kind: "one" };
const str = (...parts: Part[]): Value => ({ kind: "string", parts });
const num = (value: number, raw = String(value)): Value => ({ kind: "number", value, raw });
const m = (field: string, value: Value, caseSensitive: boolean): Query => ({ kind: "match", field, value, caseSensitive });
const cat = (c: string): Query => m("event.category", str(txt(c)), true);
const any = (cond: string): Query => ir(`any where ${cond}`);

test("category where condition → and[category match, condition]", () => {
  assert.equal(ir('process where process.name == "cmd.exe"'), {
    kind: "and",
    children: [cat("process"), m("process.name", str(txt("cmd.exe")), true)],
  });
});

test("any where c → c; quoted and raw categories; where true", () => {
  assert.equal(ir("any where a == 1"), m("a", num(1), true));
  assert.equal(ir('"my-cat" where true'), cat("my-cat"));
  assert.equal(ir('""".my.cat""" where true'), cat(".my.cat"));
  assert.equal(ir("any where true"), { kind: "all" });
  assert.equal(ir("any where false"), { kind: "none" });
  assert.equal(ir("file where false"), { kind: "and", children: [cat("file"), { kind: "none" }] });
});

test("conjuncts of the condition join the category's and flat", () => {
  const q = ir('file where a == "x" and (b == "y" and c == "z")');
  assert.is(q.kind, "and");
  if (q.kind === "and") assert.is(q.children.length, 4);
});

test("`:` is case-insensitive with * and ? wildcards; lists become or", () => {
  assert.equal(any('f : "a*b?"'), m("f", str(txt("a"), ANY, txt("b"), ONE), false));
  assert.equal(any('f : ("a", "b*")'), {
    kind: "or",
    children: [m("f", str(txt("a")), false), m("f", str(txt("b"), ANY), false)],
  });
});

test("== is case-sensitive with a literal *; != is not(match); null and existence", () => {
  assert.equal(any('f == "a*"'), m("f", str(txt("a*")), true));
  assert.equal(any('f != "a"'), { kind: "not", child: m("f", str(txt("a")), true) });
  assert.equal(any("f == null"), m("f", { kind: "null" }, true));
  assert.equal(any("?f != null"), { kind: "exists", field: "f", optional: true });
  assert.equal(any("f != null"), { kind: "exists", field: "f" });
  assert.equal(any("f == true"), m("f", { kind: "boolean", value: true }, true));
});

test("like / like~ / regex / regex~", () => {
  assert.equal(any('f like "A*"'), m("f", str(txt("A"), ANY), true));
  assert.equal(any('f like~ ("a?", "b")'), {
    kind: "or",
    children: [m("f", str(txt("a"), ONE), false), m("f", str(txt("b")), false)],
  });
  assert.equal(any('f regex "a[0-9]+"'), { kind: "regex", field: "f", pattern: "a[0-9]+", dialect: "lucene", caseSensitive: true });
  assert.equal(any('f regex~ """a\\d"""'), { kind: "regex", field: "f", pattern: "a\\d", dialect: "lucene", caseSensitive: false });
});

test("in / in~ / not in / not in~ are literal lookups", () => {
  assert.equal(any('f in ("a*", 2)'), { kind: "or", children: [m("f", str(txt("a*")), true), m("f", num(2), true)] });
  assert.equal(any('f in~ ("A")'), m("f", str(txt("A")), false));
  assert.equal(any('f not in ("a", "b")'), {
    kind: "not",
    child: { kind: "or", children: [m("f", str(txt("a")), true), m("f", str(txt("b")), true)] },
  });
  assert.equal(any('f not in~ ("a")'), { kind: "not", child: m("f", str(txt("a")), false) });
});

test("number comparisons → range; literal on the left is turned round", () => {
  assert.equal(any("f > 5"), { kind: "range", field: "f", op: "gt", value: num(5) });
  assert.equal(any("f <= -2.5"), { kind: "range", field: "f", op: "lte", value: num(-2.5, "-2.5") });
  assert.equal(any("5 < f"), { kind: "range", field: "f", op: "gt", value: num(5) });
  assert.equal(any('f >= "b"'), { kind: "range", field: "f", op: "gte", value: str(txt("b")) });
});

test("functions and arithmetic → compare / predicate with Exprs", () => {
  assert.equal(any("length(?f) > 3"), {
    kind: "compare",
    op: "gt",
    left: { kind: "call", name: "length", caseInsensitive: false, args: [{ kind: "field", field: "f", optional: true }] },
    right: { kind: "literal", value: num(3) },
  });
  assert.equal(any("a + 1 * 2 == 7"), {
    kind: "compare",
    op: "eq",
    left: {
      kind: "arith",
      op: "+",
      left: { kind: "field", field: "a", optional: false },
      right: { kind: "arith", op: "*", left: { kind: "literal", value: num(1) }, right: { kind: "literal", value: num(2) } },
    },
    right: { kind: "literal", value: num(7) },
  });
  assert.equal(any("a == b"), {
    kind: "compare",
    op: "eq",
    left: { kind: "field", field: "a", optional: false },
    right: { kind: "field", field: "b", optional: false },
  });
  assert.equal(any('between~(a, "x", "y") == "z"').kind, "compare");
  assert.equal(any('STRINGCONTAINS(concat(a, b), "x")'), {
    kind: "predicate",
    expr: {
      kind: "call",
      name: "stringContains",
      caseInsensitive: false,
      args: [
        { kind: "call", name: "concat", caseInsensitive: false, args: [{ kind: "field", field: "a", optional: false }, { kind: "field", field: "b", optional: false }] },
        { kind: "literal", value: str(txt("x")) },
      ],
    },
  });
});

test("startsWith / endsWith / stringContains on a field → wildcard match", () => {
  assert.equal(any('startsWith(f, "x*")'), m("f", str(txt("x*"), ANY), true));
  assert.equal(any('endsWith~(f, "x")'), m("f", str(ANY, txt("x")), false));
  assert.equal(any('stringContains(f, "x")'), m("f", str(ANY, txt("x"), ANY), true));
});

test("cidrMatch → or of cidr", () => {
  assert.equal(any('cidrMatch(ip, "10.0.0.0/8", "192.168.0.0/16")'), {
    kind: "or",
    children: [
      { kind: "cidr", field: "ip", cidr: "10.0.0.0/8" },
      { kind: "cidr", field: "ip", cidr: "192.168.0.0/16" },
    ],
  });
  assert.equal(any('cidrmatch(ip, "::1/128")'), { kind: "cidr", field: "ip", cidr: "::1/128" });
});

test("and binds tighter than or; not tighter than and; parentheses group", () => {
  const a = m("a", num(1), true);
  const b = m("b", num(2), true);
  const c = m("c", num(3), true);
  assert.equal(any("a == 1 or b == 2 and c == 3"), { kind: "or", children: [a, { kind: "and", children: [b, c] }] });
  assert.equal(any("(a == 1 or b == 2) and c == 3"), { kind: "and", children: [{ kind: "or", children: [a, b] }, c] });
  assert.equal(any("not a == 1 and b == 2"), { kind: "and", children: [{ kind: "not", child: a }, b] });
  assert.equal(any("not (a == 1 and b == 2)"), { kind: "not", child: { kind: "and", children: [a, b] } });
});

test("strings: escapes, unicode, raw; backtick and optional fields; comments", () => {
  assert.equal(any('f == "a\\"b\\\\c\\n\\t\\r\\u{41}\\u{0001F600}"'), m("f", str(txt('a"b\\c\n\t\rA😀')), true));
  assert.equal(any('f == """C:\\x"y"""'), m("f", str(txt('C:\\x"y')), true));
  assert.equal(any('`my-field`.`a``b` == "x"'), m("my-field.a`b", str(txt("x")), true));
  assert.equal(any('?f == "x" // trailing\n and /* inner */ g == 1'), {
    kind: "and",
    children: [{ ...m("f", str(txt("x")), true), optional: true }, m("g", num(1), true)],
  });
  assert.equal(any("event.sequence == 1"), m("event.sequence", num(1), true));
});

test("sequence with by, maxspan, runs, missing events and until", () => {
  const q = ir(`sequence by host.id, ?user.name with maxspan=15m
  [process where true] by process.pid with runs=3
  ![file where true]
  [network where true]
until [process where true]`);
  assert.equal(q, {
    kind: "sequence",
    by: ["host.id", "user.name"],
    maxspan: { value: 15, unit: "m" },
    steps: [
      { query: cat("process"), by: ["process.pid"], runs: 3 },
      { query: cat("file"), by: [], missing: true },
      { query: cat("network"), by: [] },
    ],
    until: { query: cat("process"), by: [] },
  });
  const s = ir("sequence [process where true] with runs=2");
  assert.is(s.kind, "sequence");
});

test("sample by keys", () => {
  assert.equal(ir("sample by host.id [file where true] [process where true]"), {
    kind: "sample",
    by: ["host.id"],
    steps: [{ query: cat("file"), by: [] }, { query: cat("process"), by: [] }],
  });
});

test("pipes head and tail wrap the query", () => {
  assert.equal(ir("any where true | head 5 | tail 2"), {
    kind: "pipe",
    input: { kind: "all" },
    pipes: [{ name: "head", count: 5 }, { name: "tail", count: 2 }],
  });
});

test("spans point into the text", () => {
  const text = 'process where a : "x" and b > 2';
  const q = ok(text);
  assert.equal(q.span, { start: 0, end: text.length });
  if (q.kind !== "and") return assert.unreachable("and");
  const [c, a, b] = q.children;
  assert.equal(c?.span, { start: 0, end: 7 });
  assert.equal(a?.span, { start: 14, end: 21 });
  assert.is(text.slice(b?.span?.start, b?.span?.end), "b > 2");
  const seq = ok("sequence\n  [file where true] by x\n  [any where a == 1]");
  if (seq.kind !== "sequence") return assert.unreachable("sequence");
  const step = seq.steps[0];
  assert.is("sequence\n  [file where true] by x".slice(step?.span?.start, step?.span?.end), "[file where true] by x");
});

test.run();
