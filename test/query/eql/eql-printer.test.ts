import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part, Query, Value } from "../../../src/ir/query.js";
import { parseEql } from "../../../src/query/eql/eql-parser.js";
import { printEql } from "../../../src/query/eql/eql-printer.js";
import { evaluate } from "../../../src/eval/evaluate.js";
import { stripSpans } from "./strip-spans.js";

const txt = (value: string): Part => ({ kind: "text", value });
const ANY: Part = { kind: "any" };
const ONE: Part = { kind: "one" };
const str = (...parts: Part[]): Value => ({ kind: "string", parts });
const num = (value: number): Value => ({ kind: "number", value, raw: String(value) });
const m = (field: string, value: Value, caseSensitive = true): Query => ({ kind: "match", field, value, caseSensitive });
const cat = (c: string): Query => m("event.category", str(txt(c)));
const and = (...children: Query[]): Query => ({ kind: "and", children });
const or = (...children: Query[]): Query => ({ kind: "or", children });
const not = (child: Query): Query => ({ kind: "not", child });

function printsClean(q: Query, expected: string): void {
  const r = printEql(q);
  assert.equal(r.issues, []);
  assert.is(r.text, expected);
  const back = parseEql(r.text);
  if (!back.ok) return assert.unreachable(`${r.text}: ${back.error.message}`);
  assert.equal(stripSpans(back.value), q, "re-parses to the same IR");
}

function printsError(q: Query, code: string): void {
  const r = printEql(q);
  assert.ok(r.issues.some((i) => i.severity === "error" && i.code === code), JSON.stringify(r.issues));
}

test("category from a top-level conjunct, else any where", () => {
  printsClean(and(cat("process"), m("a", str(txt("x")))), 'process where a == "x"');
  // Not first: printed first, so it re-parses with the conjuncts in another order.
  const moved = printEql(and(m("a", str(txt("x"))), cat("process"), m("b", num(1))));
  assert.equal(moved, { text: 'process where a == "x" and b == 1', issues: [] });
  printsClean(cat("process"), "process where true");
  printsClean(cat("my-cat"), '"my-cat" where true');
  printsClean(m("a", num(1)), "any where a == 1");
  printsClean({ kind: "all" }, "any where true");
  printsClean(and(cat("file"), { kind: "none" }), "file where false");
  // A case-insensitive category test is not a category.
  printsClean(m("event.category", str(txt("process")), false), 'any where event.category : "process"');
});

test("operators by case-sensitivity and wildcards", () => {
  printsClean(m("f", str(txt("a*"))), 'any where f == "a*"');
  printsClean(m("f", str(txt("a")), false), 'any where f : "a"');
  printsClean(m("f", str(txt("a?")), false), 'any where f in~ ("a?")');
  printsClean(m("f", str(txt("a"), ANY)), 'any where f like "a*"');
  printsClean(m("f", str(ANY, txt("a"), ONE), false), 'any where f : "*a?"');
  printsClean(not(m("f", str(txt("a")))), 'any where f != "a"');
  printsClean(not(m("f", str(txt("a")), false)), 'any where not f : "a"');
  printsClean(m("f", { kind: "null" }), "any where f == null");
  printsClean(not(m("f", { kind: "null" })), "any where not f == null");
  printsClean({ kind: "exists", field: "f" }, "any where f != null");
  printsClean({ kind: "range", field: "f", op: "gte", value: num(3) }, "any where f >= 3");
  printsClean({ kind: "regex", field: "f", pattern: 'a\\d"x', dialect: "lucene", caseSensitive: false }, 'any where f regex~ """a\\d"x"""');
  printsClean({ kind: "cidr", field: "ip", cidr: "10.0.0.0/8" }, 'any where cidrMatch(ip, "10.0.0.0/8")');
  // Elastic's Python EQL library rejects a bare address in cidrMatch.
  assert.is(printEql({ kind: "cidr", field: "ip", cidr: "10.0.0.1" }).text, 'any where cidrMatch(ip, "10.0.0.1/32")');
  assert.is(printEql({ kind: "cidr", field: "ip", cidr: "::1" }).text, 'any where cidrMatch(ip, "::1/128")');
  assert.is(printEql(or({ kind: "cidr", field: "ip", cidr: "10.0.0.1" }, { kind: "cidr", field: "ip", cidr: "fe80::1" })).text, 'any where cidrMatch(ip, "10.0.0.1/32", "fe80::1/128")');
  // Read back, a bare address is its block.
  const back = parseEql('any where cidrMatch(ip, "10.0.0.1", "::1")');
  assert.ok(back.ok);
  if (back.ok) assert.equal(stripSpans(back.value), or({ kind: "cidr", field: "ip", cidr: "10.0.0.1/32" }, { kind: "cidr", field: "ip", cidr: "::1/128" }));
});

test("runs of same-field matches in an or print as one list", () => {
  printsClean(or(m("f", str(txt("a"))), m("f", str(txt("b")))), 'any where f in ("a", "b")');
  printsClean(or(m("f", str(txt("a")), false), m("f", str(txt("b"), ANY), false)), 'any where f : ("a", "b*")');
  printsClean(or(m("f", str(txt("a"))), m("f", str(txt("b"), ANY))), 'any where f like ("a", "b*")');
  printsClean(not(or(m("f", str(txt("a")), false), m("f", str(txt("b")), false))), 'any where f not in~ ("a", "b")');
  printsClean(
    or(m("f", str(txt("a"))), m("g", num(1)), m("f", str(txt("b"))), m("f", num(2))),
    'any where f == "a" or g == 1 or f in ("b", 2)',
  );
  printsClean(or({ kind: "cidr", field: "ip", cidr: "a" }, { kind: "cidr", field: "ip", cidr: "b" }), 'any where cidrMatch(ip, "a", "b")');
});

test("precedence: an or inside an and is grouped, not binds tightest", () => {
  const a = m("a", num(1));
  const b = m("b", num(2));
  const c = m("c", num(3));
  printsClean(and(or(a, b), c), "any where (a == 1 or b == 2) and c == 3");
  printsClean(or(and(a, b), c), "any where a == 1 and b == 2 or c == 3");
  printsClean(not(and(a, b)), "any where not (a == 1 and b == 2)");
  printsClean(and(cat("process"), or(a, b)), "process where a == 1 or b == 2");
  printsClean(and(cat("process"), or(a, b), c), "process where (a == 1 or b == 2) and c == 3");
  // The two readings differ: without parentheses this would be or(a, and(b, c)).
  const parsed = parseEql(printEql(and(or(a, b), c)).text);
  assert.ok(parsed.ok && parsed.value.kind === "and");
});

test("expressions keep arithmetic precedence and optional fields", () => {
  const f = (field: string, optional = false) => ({ kind: "field", field, optional }) as const;
  const lit = (n: number) => ({ kind: "literal", value: num(n) }) as const;
  printsClean(
    {
      kind: "compare",
      op: "eq",
      left: { kind: "arith", op: "*", left: { kind: "arith", op: "+", left: f("a"), right: lit(1) }, right: lit(2) },
      right: { kind: "arith", op: "-", left: lit(7), right: { kind: "arith", op: "-", left: lit(1), right: lit(2) } },
    },
    "any where (a + 1) * 2 == 7 - (1 - 2)",
  );
  printsClean(
    { kind: "compare", op: "gt", left: { kind: "call", name: "length", caseInsensitive: true, args: [f("x", true)] }, right: lit(3) },
    "any where length~(?x) > 3",
  );
});

test("escaping: quotes, backslashes, newlines, control characters, backtick names", () => {
  printsClean(m("f", str(txt('a"b\\c\nd\te\r'))), 'any where f == "a\\"b\\\\c\\nd\\te\\r"');
  printsClean(m("f", str(txt("\u0001"))), 'any where f == "\\u{01}"');
  // Invisible format characters too (U+202E right-to-left override, U+200B zero-width space).
  printsClean(m("f", str(txt("a\u202eb\u200b"))), 'any where f == "a\\u{202e}b\\u{200b}"');
  printsClean(m("my-field.x", num(1)), "any where `my-field.x` == 1");
  printsClean(m("a`b", num(1)), "any where `a``b` == 1");
  printsClean(m("1st", num(1)), "any where `1st` == 1");
  printsClean(m("x.sequence", num(1)), "any where `x.sequence` == 1");
  printsClean(m("@timestamp", num(1)), "any where @timestamp == 1");
});

test("literal wildcard characters: affix functions, else a regex that means the same", () => {
  printsClean(m("f", str(txt("a*"), ANY)), 'any where startsWith(f, "a*")');
  printsClean(m("f", str(ANY, txt("a?")), false), 'any where endsWith~(f, "a?")');
  printsClean(m("f", str(ANY, txt("*"), ANY)), 'any where stringContains(f, "*")');
  const mixed = m("f", str(txt("a*."), ANY, txt("b"), { kind: "one" }, txt("@")), false);
  const printed = printEql(mixed);
  assert.equal(printed.issues, []);
  assert.is(printed.text, 'any where f regex~ "a\\\\*\\\\..*b.\\\\@"');
  const back = parseEql(printed.text);
  assert.ok(back.ok);
  if (!back.ok) return;
  for (const [value, expected] of [["a*.xxbZ@", true], ["A*.B!@", true], ["ab.xbZ@", false], ["a*.b@", false], ["a*.\nbZ@", true]] as const) {
    const want = evaluate(mixed, { f: value });
    const got = evaluate(back.value, { f: value });
    assert.ok(want.ok && got.ok);
    if (want.ok && got.ok) {
      assert.is(want.matched, expected, value);
      assert.is(got.matched, expected, value);
    }
  }
});

test("what EQL cannot say is an error issue", () => {
  printsError({ kind: "keyword", value: str(txt("x")), caseSensitive: false }, "eql/keyword");
  printsError({ kind: "nested", path: "p", query: m("p.a", num(1)) }, "eql/nested");
  // ES|QL's LENGTH (code points, null on many values) is not EQL's length: refused by name.
  printsError({ kind: "compare", op: "gt", left: { kind: "call", name: "charLength", caseInsensitive: false, args: [{ kind: "field", field: "x", optional: false }] }, right: { kind: "literal", value: num(3) } }, "eql/function");
  printsError({ kind: "opaque", language: "esql", text: "from x" }, "eql/opaque");
  printsError({ kind: "fieldref", field: "a", other: "b", caseSensitive: true }, "eql/fieldref");
  printsError(
    { kind: "correlation", type: "event_count", rules: [], groupBy: [], condition: [{ op: "gt", value: 1 }] },
    "eql/correlation",
  );
  printsError({ kind: "range", field: "f", op: "lt", value: str(txt("a"), ANY) }, "eql/wildcard-value");
  printsError({ kind: "regex", field: "f", pattern: "a", dialect: "lucene", caseSensitive: true, multiline: true }, "eql/regex-flags");
  // PCRE searches anywhere, Lucene matches the whole value: the pattern is wrapped, `.` kept off newlines.
  const pcre = printEql({ kind: "regex", field: "f", pattern: "a.c", dialect: "pcre", caseSensitive: true });
  assert.equal(pcre.issues, []);
  assert.is(pcre.text, 'any where f regex ".*(a[^\\n]c).*"');
  const anchored = printEql({ kind: "regex", field: "f", pattern: "^a\\d+$", dialect: "pcre", caseSensitive: false });
  assert.is(anchored.text, 'any where f regex~ "(a[0-9]+)(\\n)?"');
  printsError({ kind: "regex", field: "f", pattern: "a(?=b)", dialect: "pcre", caseSensitive: true }, "eql/regex-dialect");
  printsError({ kind: "regex", field: "f", pattern: "(a|.)\\bword", dialect: "pcre", caseSensitive: true }, "eql/regex-dialect");
});

test("sequences, samples and pipes print one step per line", () => {
  const seq: Query = {
    kind: "sequence",
    by: ["host.id", "a-b"],
    maxspan: { value: 30, unit: "s" },
    steps: [
      { query: and(cat("process"), m("a", num(1))), by: ["k"], runs: 2 },
      { query: cat("file"), by: [], missing: true },
      { query: m("x", num(1)), by: [] },
    ],
    until: { query: cat("process"), by: [] },
  };
  printsClean(
    seq,
    [
      "sequence by host.id, `a-b` with maxspan=30s",
      "  [process where a == 1] by k with runs=2",
      "  ![file where true]",
      "  [any where x == 1]",
      "until [process where true]",
    ].join("\n"),
  );
  printsClean(
    { kind: "pipe", input: { kind: "sample", by: ["h"], steps: [{ query: cat("a"), by: [] }, { query: cat("b"), by: ["x"] }] }, pipes: [{ name: "head", count: 5 }] },
    "sample by h\n  [a where true]\n  [b where true] by x\n| head 5",
  );
  printsClean({ kind: "pipe", input: cat("a"), pipes: [{ name: "tail", count: 2 }] }, "a where true | tail 2");
  printsError(and(seq, m("a", num(1))), "eql/nested-statement");
});

test.run();
