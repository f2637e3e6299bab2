/**
 * The ES|QL evaluator's semantics, case by case: three-valued logic, NULL on several values,
 * LIKE/RLIKE, type errors, MV_EXPAND and STATS.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches, runEsql } from "../../src/eval/esql-run.js";
import { javaDoubleToString } from "../../src/eval/esql-values.js";
import type { EsqlQuery } from "../../src/query/esql/esql-ast.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";

function ast(text: string): EsqlQuery {
  const r = parseEsqlAst(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.value;
}

/** Whether `FROM x | WHERE cond` keeps the event. */
function keeps(cond: string, event: Record<string, unknown>): boolean {
  const r = esqlMatches(ast(`FROM x | WHERE ${cond}`), event);
  if (!r.ok) throw new Error(`${cond}: ${r.reason}`);
  return r.matched;
}

function refused(cond: string, event: Record<string, unknown>): string {
  const r = esqlMatches(ast(`FROM x | WHERE ${cond}`), event);
  return r.ok ? "" : r.reason;
}

test("NULL: comparisons with a missing field are NULL, and so is NOT of them", () => {
  assert.is(keeps('a == "x"', {}), false);
  assert.is(keeps('a != "x"', {}), false);
  assert.is(keeps('NOT a == "x"', {}), false);
  assert.is(keeps('a != "x" OR a IS NULL', {}), true);
  assert.is(keeps("a IS NULL", { a: null }), true);
  assert.is(keeps("a IS NULL", { a: [] }), true);
  assert.is(keeps("a IS NULL", { a: [null, null] }), true);
});

test("three-valued AND/OR: FALSE wins over NULL in AND, TRUE in OR", () => {
  assert.is(keeps('a == "x" OR b == "y"', { b: "y" }), true);
  assert.is(keeps('NOT (a == "x" AND b == "y")', { b: "z" }), true);
  assert.is(keeps('NOT (a == "x" AND b == "y")', { b: "y" }), false);
  assert.is(keeps('NOT (a == "x" OR b == "y")', { b: "z" }), false);
});

test("several values: single-value tests are NULL; IS NULL, MV_MAX and conversions see every value", () => {
  const e = { a: ["x", "y"], n: [1, 7] };
  assert.is(keeps('a == "x"', e), false);
  assert.is(keeps('a != "x"', e), false);
  assert.is(keeps('a LIKE "x*"', e), false);
  assert.is(keeps('a IN ("x", "y")', e), false);
  assert.is(keeps("a IS NOT NULL", e), true);
  assert.is(keeps("MV_MAX(n) > 5 AND MV_MIN(n) < 5", e), true);
  assert.is(keeps('TO_LOWER(a) == "x"', e), false);
  assert.is(keeps("MV_COUNT(TO_DOUBLE(a)) IS NULL", e), true);
  assert.is(keeps("n > 5", { n: [7] }), true);
});

test("IN: a NULL item makes a miss NULL", () => {
  assert.is(keeps('a IN ("x", null)', { a: "x" }), true);
  assert.is(keeps('a IN ("x", null)', { a: "y" }), false);
  assert.is(keeps('NOT a IN ("x", null)', { a: "y" }), false);
  assert.is(keeps('NOT a IN ("x", "z")', { a: "y" }), true);
});

test("LIKE: case-sensitive, `*` and `?` (one code point), `\\` escapes `*`, `?`, `\\` only", () => {
  assert.is(keeps('a LIKE "C*"', { a: "cmd" }), false);
  assert.is(keeps('a LIKE "?"', { a: "🔥" }), true);
  assert.is(keeps('a LIKE "a\\\\*"', { a: "a*" }), true);
  assert.is(keeps('a LIKE "a\\\\*"', { a: "ab" }), false);
  assert.is(keeps('a LIKE """C:\\\\W*"""', { a: "C:\\Windows" }), true);
  assert.is(keeps('a LIKE "*"', { a: "line\nbreak" }), true);
  assert.match(refused('a LIKE """C:\\Windows"""', { a: "x" }), "escape character");
});

test("RLIKE: a Lucene regex on the whole value", () => {
  assert.is(keeps('a RLIKE "b"', { a: "abc" }), false);
  assert.is(keeps('a RLIKE ".*b.*"', { a: "abc" }), true);
  assert.is(keeps('a RLIKE """[0-9]{3}\\.x"""', { a: "123.x" }), true);
});

test("types: a string and a number do not compare", () => {
  assert.match(refused('n == "5"', { n: 5 }), "type error");
  assert.match(refused("a > 5", { a: "7" }), "type error");
  assert.is(keeps("TO_DOUBLE(a) > 5", { a: "7" }), true);
  assert.is(keeps("TO_DOUBLE(a) > 5", { a: "seven" }), false);
  assert.is(keeps('TO_STRING(n) == "5"', { n: 5 }), true);
  assert.is(keeps('TO_STRING(n) == "3.5"', { n: 3.5 }), true);
});

test("functions: CIDR_MATCH, CASE (NULL as false), COALESCE, LENGTH in characters, KQL", () => {
  assert.is(keeps('CIDR_MATCH(TO_IP(ip), "10.0.0.0/8", "::1")', { ip: "::1" }), true);
  assert.is(keeps('CIDR_MATCH(TO_IP(ip), "10.0.0.0/8")', { ip: "not an ip" }), false);
  assert.is(keeps('CASE(a == "x", 1, 0) == 0', {}), true);
  assert.is(keeps('COALESCE(a, b) == "y"', { b: "y" }), true);
  assert.is(keeps("LENGTH(a) == 2", { a: "é🔥" }), true);
  assert.is(keeps('KQL("a:x and not b:y")', { a: "x" }), true);
});

test("MV_EXPAND: one row per value; KEEP/DROP hide names", () => {
  const r = runEsql(ast('FROM x | MV_EXPAND t | WHERE t LIKE "s*"'), [{ t: ["start", "stop", "end"] }, { t: "start" }, {}]);
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.sources, [0, 0, 1]);
  const k = runEsql(ast('FROM x | KEEP a | WHERE b == "y"'), [{ a: "x", b: "y" }]);
  assert.ok(!k.ok && /unknown column/.test(k.reason));
});

test("STATS: groups by every value of a key, a NULL key is a group; aggregates and their filters", () => {
  const events = [
    { k: "a", u: "1", n: 2 },
    { k: ["a", "b"], u: "2", n: 3 },
    { u: "3" },
    { k: "b", u: "2", n: "x" },
  ];
  const r = runEsql(ast("FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(u), s = SUM(TO_DOUBLE(n)), f = COUNT(*) WHERE u == \"2\" BY k"), events);
  assert.ok(r.ok);
  if (!r.ok) return;
  const rows = r.rows.map((m) => Object.fromEntries(m));
  assert.equal(rows, [
    { c: 2, d: 2, s: 5, f: 1, k: "a" },
    { c: 2, d: 1, s: 3, f: 2, k: "b" },
    { c: 1, d: 1, s: null, f: 0, k: null },
  ]);
});

test("STATS: time buckets from DATE_TRUNC; no BY gives one row", () => {
  const events = [{ "@timestamp": "2024-01-01T00:01:00Z" }, { "@timestamp": "2024-01-01T00:04:59Z" }, { "@timestamp": "2024-01-01T00:05:00Z" }];
  const r = runEsql(ast("FROM x | STATS c = COUNT(*) BY t = DATE_TRUNC(5 minutes, @timestamp)"), events);
  assert.ok(r.ok && r.rows.map((m) => m.get("c")).join() === "2,1");
  const none = runEsql(ast("FROM x | STATS c = COUNT(*)"), []);
  assert.ok(none.ok && none.rows.length === 1 && none.rows[0]!.get("c") === 0);
});

test("refused, not approximated: GROK, NOW(), unmodelled functions", () => {
  assert.ok(!runEsql(ast('FROM x | GROK a "%{IP:ip}"'), [{}]).ok);
  assert.match(refused("NOW() > 0", {}), "NOW");
});

test.run();

test("javaDoubleToString writes a double as Java's Double.toString (ES|QL TO_STRING of a double)", () => {
  const cases: [number, string][] = [
    [3, "3.0"], [-3, "-3.0"], [0.5, "0.5"], [-0.5, "-0.5"], [0, "0.0"], [-0, "-0.0"],
    // Plain notation in [10^-3, 10^7), computerized scientific notation outside it.
    [9999999, "9999999.0"], [9999999.5, "9999999.5"], [1e7, "1.0E7"], [-1e7, "-1.0E7"], [12345678, "1.2345678E7"],
    [0.001, "0.001"], [0.0012, "0.0012"], [0.00099, "9.9E-4"], [0.0001, "1.0E-4"], [1.234e-4, "1.234E-4"], [1e-5, "1.0E-5"],
    [1e21, "1.0E21"], [1.5e300, "1.5E300"], [2 ** 63, "9.223372036854776E18"], [5e-324, "4.9E-324"], [1e-323, "9.9E-324"], [1e23, "1.0E23"],
    [Number.MAX_VALUE, "1.7976931348623157E308"], [0.1 + 0.2, "0.30000000000000004"], [123.456, "123.456"], [100, "100.0"],
    [NaN, "NaN"], [Infinity, "Infinity"], [-Infinity, "-Infinity"],
  ];
  for (const [n, want] of cases) assert.is(javaDoubleToString(n), want, String(n));
});

test("TO_STRING: a decimal literal and TO_DOUBLE are doubles, so 3 prints as 3.0; JSON whole numbers are longs", () => {
  assert.is(keeps('TO_STRING(3.0) == "3.0"', {}), true);
  assert.is(keeps('TO_STRING(TO_DOUBLE(n)) == "3.0"', { n: 3 }), true);
  assert.is(keeps('TO_STRING(n::double) == "3.0"', { n: 3 }), true);
  assert.is(keeps('TO_STRING(n + 0.5) == "3.5"', { n: 3 }), true);
  assert.is(keeps('TO_STRING(n) == "3"', { n: 3 }), true);
  assert.is(keeps('TO_STRING(n) == "1.0E-5"', { n: 0.00001 }), true);
});
