/**
 * ES|QL → IR: one query, the IR it must read as (spans left out), or the named refusal and where
 * it points. Builders from test/eval keep the expected IR readable.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineColAt } from "../../../src/diagnostics/source-text.js";
import type { Query } from "../../../src/ir/query.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { and, eq, match, not, num, or, pat } from "../../eval/build.js";
import { stripSpans } from "../eql/strip-spans.js";

const exists = (field: string): Query => ({ kind: "exists", field });
const like = (field: string, p: string, caseSensitive = true): Query => ({ kind: "match", field, value: { kind: "string", parts: pat(p) }, caseSensitive });
const range = (field: string, op: "lt" | "lte" | "gt" | "gte", n: number): Query => ({ kind: "range", field, op, value: num(n) });

function read(text: string): Query {
  const r = readEsql(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  if (r.value.kind !== "ir") throw new Error(`${text}: refused ${r.value.refusal.code} ${r.value.refusal.message}`);
  return stripSpans(r.value.query);
}

const w = (cond: string) => read(`FROM logs-* | WHERE ${cond}`);

/** WHERE conditions and the IR they read as. */
const CONDITIONS: readonly (readonly [string, Query])[] = [
  ['process.name == "cmd.exe"', eq("process.name", "cmd.exe")],
  ['"cmd.exe" == process.name', eq("process.name", "cmd.exe")],
  // ES|QL's `!=` and `NOT ==` are NULL where the field is missing: the IR says so with `exists`.
  ['a != "x"', and(exists("a"), not(eq("a", "x")))],
  ['NOT a == "x"', and(exists("a"), not(eq("a", "x")))],
  ['NOT a == "x" OR a IS NULL', or(and(exists("a"), not(eq("a", "x"))), not(exists("a")))],
  ["a == null", { kind: "none" }],
  ["a IS NULL", not(exists("a"))],
  ["a IS NOT NULL", exists("a")],
  // A literal backslash is `\\` in the pattern, so `"\\\\"` in a "…" string (one `\\` is refused below).
  ['a LIKE "*\\\\\\\\cmd.exe"', like("a", "*\\\\cmd.exe")],
  ['a LIKE """C:\\\\Windows\\*"""', like("a", "C:\\\\Windows\\*")],
  ['a LIKE "x?\\\\*"', match("a", { kind: "string", parts: [{ kind: "text", value: "x" }, { kind: "one" }, { kind: "text", value: "*" }] })],
  ['a LIKE ("x*", "*y")', or(like("a", "x*"), like("a", "*y"))],
  ['a NOT LIKE "x*"', and(exists("a"), not(like("a", "x*")))],
  ['TO_LOWER(a) LIKE "*cmd*"', like("a", "*cmd*", false)],
  // A folded value has no upper-case letter: this can never hold.
  ['TO_LOWER(a) == "CMD"', { kind: "none" }],
  ['TO_UPPER(a) == "CMD"', eq("a", "CMD", false)],
  ['a RLIKE "cmd[0-9]+"', { kind: "regex", field: "a", pattern: "cmd[0-9]+", dialect: "lucene", caseSensitive: true }],
  // ES|QL runs Lucene 9 or later, where `\d \s \w` are classes: spelled out, so that the IR's Lucene dialect (ambiguous there) has one meaning.
  ['TO_LOWER(a) RLIKE """c\\d"""', { kind: "regex", field: "a", pattern: "c[0-9]", dialect: "lucene", caseSensitive: false }],
  ['a RLIKE """x\\s+\\S\\w\\W[\\d_]"""', { kind: "regex", field: "a", pattern: "x[\t-\n\r ]+[^\t-\n\r ][0-9A-Z_a-z][^0-9A-Z_a-z][0-9_]", dialect: "lucene", caseSensitive: true }],
  ['TO_UPPER(a) RLIKE """\\w*-"""', { kind: "regex", field: "a", pattern: "[0-9A-Z_]*-", dialect: "lucene", caseSensitive: false }],
  ['TO_LOWER(a) RLIKE """\\w"""', { kind: "regex", field: "a", pattern: "[0-9_a-z]", dialect: "lucene", caseSensitive: false }],
  // Quoted text is literal, an escaped backslash is not an escape, and `\D` cannot stand in a class: kept.
  ['a RLIKE """"\\d"\\\\d[^\\D]"""', { kind: "regex", field: "a", pattern: '"\\d"\\\\d[^\\D]', dialect: "lucene", caseSensitive: true }],
  ['a IN ("x", "y")', or(eq("a", "x"), eq("a", "y"))],
  ['a NOT IN ("x", "y")', and(exists("a"), not(eq("a", "x")), not(eq("a", "y")))],
  ['a NOT IN ("x", null)', { kind: "none" }],
  ["n > 5", range("n", "gt", 5)],
  ["NOT n > 5", range("n", "lte", 5)],
  ["5 < n", range("n", "gt", 5)],
  ["TO_DOUBLE(n) == 5", and(range("n", "gte", 5), range("n", "lte", 5))],
  ["TO_DOUBLE(n) IS NOT NULL", or(range("n", "gte", 0), range("n", "lt", 0))],
  ['TO_STRING(n) LIKE "4*"', like("n", "4*")],
  ["a == b", { kind: "fieldref", field: "a", other: "b", caseSensitive: true }],
  ["TO_LOWER(a) == TO_LOWER(b)", { kind: "fieldref", field: "a", other: "b", caseSensitive: false }],
  ['CIDR_MATCH(TO_IP(source.ip), "10.0.0.0/8", "::1")', or({ kind: "cidr", field: "source.ip", cidr: "10.0.0.0/8" }, { kind: "cidr", field: "source.ip", cidr: "::1" })],
  ['STARTS_WITH(a, "C:")', like("a", "C:*")],
  ['ENDS_WITH(TO_LOWER(a), ".exe")', like("a", "*.exe", false)],
  ['CONTAINS(a, "x")', like("a", "*x*")],
  ['LOCATE(a, SPACE(2)) > 0', like("a", "*  *")],
  ["LENGTH(a) >= 10", { kind: "compare", op: "gte", left: { kind: "call", name: "charLength", caseInsensitive: false, args: [{ kind: "field", field: "a", optional: false }] }, right: { kind: "literal", value: num(10) } }],
  ['KQL("""process.name:cmd.exe and not user.name:SYSTEM""")', and(eq("process.name", "cmd.exe"), not(eq("user.name", "SYSTEM")))],
  ['NOT KQL("a:x")', not(eq("a", "x"))],
  ['event.code : "4688"', eq("event.code", "4688")],
  ["b == true", match("b", { kind: "boolean", value: true })],
  ["NOT b", match("b", { kind: "boolean", value: false })],
  ['COALESCE(a, b) == "x"', or(eq("a", "x"), and(not(exists("a")), eq("b", "x")))],
  ['CASE(a == "x", "hit", "miss") == "hit"', eq("a", "x")],
  ['CASE(a == "x", 1, 0) == 0', not(eq("a", "x"))],
  ['JSON_EXTRACT(_source, "sip.method") == "REGISTER"', eq("sip.method", "REGISTER")],
];

for (const [cond, ir] of CONDITIONS) {
  test(`WHERE ${cond}`, () => assert.equal(w(cond), stripSpans(ir)));
}

test("EVAL columns and RENAME are read through; KEEP, DROP, SORT change nothing read", () => {
  assert.equal(read('FROM x | EVAL l = TO_LOWER(a), m = l | KEEP m, a | SORT a | WHERE m LIKE "b*"'), like("a", "b*", false));
  assert.equal(read('FROM x | RENAME a AS b | WHERE b == "v"'), eq("a", "v"));
  assert.equal(read('FROM x | WHERE a == "1" | WHERE b == "2"'), and(eq("a", "1"), eq("b", "2")));
  assert.equal(read("FROM x"), { kind: "all" });
});

test("FROM's index patterns and METADATA are kept beside the query; LIMIT is read with a warning", () => {
  const r = readEsql("FROM logs-a*, logs-b METADATA _id, _version | WHERE a == 1 | LIMIT 10");
  assert.ok(r.ok && r.value.kind === "ir");
  if (!r.ok || r.value.kind !== "ir") return;
  assert.equal(r.value.indices, ["logs-a*", "logs-b"]);
  assert.equal(r.value.metadata, ["_id", "_version"]);
  assert.equal(r.value.notes.map((n) => [n.severity, n.code]), [["warning", "esql/limit"]]);
});

test("MV_EXPAND is read when every test of the field holds for one value exactly when it holds for some value", () => {
  assert.equal(read('FROM x | MV_EXPAND event.action | WHERE event.action == "exec" AND a == "b"'), and(eq("event.action", "exec"), eq("a", "b")));
  assert.equal(read('FROM x | MV_EXPAND t | WHERE t == "a" OR t == "b"'), or(eq("t", "a"), eq("t", "b")));
});

test("STATS … BY with a bound on one aggregate is a correlation", () => {
  const events = (q: Query) => [{ name: "events", query: q }];
  assert.equal(read('FROM x | WHERE a == "1" | STATS c = COUNT(*) BY host.name | WHERE c >= 10 AND c < 100'), {
    kind: "correlation", type: "event_count", rules: events(eq("a", "1")), groupBy: ["host.name"], condition: [{ op: "gte", value: 10 }, { op: "lt", value: 100 }],
  });
  assert.equal(read("FROM x | STATS n = COUNT_DISTINCT(user.name) BY source.ip, host.id | WHERE 3 <= n"), {
    kind: "correlation", type: "value_count", rules: events({ kind: "all" }), groupBy: ["source.ip", "host.id"], condition: [{ op: "gte", value: 3 }], valueField: "user.name",
  });
  assert.equal(read("FROM x | STATS s = SUM(bytes), t = VALUES(user.name) BY host.name | WHERE s > 1000"), {
    kind: "correlation", type: "value_sum", rules: events({ kind: "all" }), groupBy: ["host.name"], condition: [{ op: "gt", value: 1000 }], valueField: "bytes",
  });
  // No condition: every group alerts, i.e. one event or more.
  assert.equal(read("FROM x | STATS AVG(bytes) BY host.name"), {
    kind: "correlation", type: "event_count", rules: events({ kind: "all" }), groupBy: ["host.name"], condition: [{ op: "gte", value: 1 }],
  });
  // A filtered aggregate whose bound needs an event is a filter on the events; a key test too.
  assert.equal(read('FROM x | STATS c = COUNT(*) WHERE a == "1" BY k | WHERE c > 2 AND k != "z"'), {
    kind: "correlation", type: "event_count", rules: events(and(exists("k"), not(eq("k", "z")), eq("a", "1"))), groupBy: ["k"], condition: [{ op: "gt", value: 2 }],
  });
  // An aggregate named by its own text.
  assert.equal(read("FROM x | STATS COUNT(*) BY k | WHERE `COUNT(*)` > 2").kind, "correlation");
});

test("bounds on several aggregates are one correlation with extra measures, every bound kept", () => {
  const events = (q: Query) => [{ name: "events", query: q }];
  // The first aggregate the condition bounds is the correlation's measure; the others follow in order.
  assert.equal(read("FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(agent.id), v = VALUES(h) BY k\n| WHERE d == 1 AND c < 5 AND c >= 2"), {
    kind: "correlation", type: "value_count", rules: events({ kind: "all" }), groupBy: ["k"], condition: [{ op: "eq", value: 1 }], valueField: "agent.id",
    extraMeasures: [{ type: "event_count", condition: [{ op: "lt", value: 5 }, { op: "gte", value: 2 }] }],
  });
  assert.equal(read("FROM x | STATS s = COALESCE(SUM(bytes), 0), a = AVG(TO_DOUBLE(n)), p = COUNT_DISTINCT(port) BY k | WHERE s > 10 AND a < 3 AND p >= 100"), {
    kind: "correlation", type: "value_sum", rules: events({ kind: "all" }), groupBy: ["k"], condition: [{ op: "gt", value: 10 }], valueField: "bytes",
    extraMeasures: [{ type: "value_avg", condition: [{ op: "lt", value: 3 }], valueField: "n" }, { type: "value_count", condition: [{ op: "gte", value: 100 }], valueField: "port" }],
  });
  // An aggregate over some rows only is a filtered extra measure: its WHERE, COUNT(x) (rows with
  // x), SUM(CASE(c, 1, 0)) (rows where c holds), MAX(CASE(c, 1, 0)) (one such row, or none).
  assert.equal(read('FROM x | EVAL w = CASE(a == "1", 1, 0) | STATS c = COUNT(*), d = COUNT_DISTINCT(u) WHERE a == "1", e = COUNT(u), s = SUM(w), m = MAX(w) BY k | WHERE c > 5 AND d >= 1 AND e > 2 AND s >= 3 AND m == 0'), {
    kind: "correlation", type: "event_count", rules: events({ kind: "all" }), groupBy: ["k"], condition: [{ op: "gt", value: 5 }],
    extraMeasures: [
      { type: "value_count", condition: [{ op: "gte", value: 1 }], valueField: "u", filter: eq("a", "1") },
      { type: "event_count", condition: [{ op: "gt", value: 2 }], filter: exists("u") },
      { type: "event_count", condition: [{ op: "gte", value: 3 }], filter: eq("a", "1") },
      { type: "event_count", condition: [{ op: "lte", value: 0 }], filter: eq("a", "1") },
    ],
  });
  // The first aggregate over every row is the correlation's own measure; MAX(…) >= 0 always holds.
  const f = read('FROM x | STATS d = COUNT(*) WHERE a == "1", c = COUNT_DISTINCT(u), m = MAX(CASE(a == "2", 1, 0)) BY k | WHERE d >= 1 AND c >= 2 AND m >= 0');
  assert.equal(f.kind === "correlation" && [f.type, f.extraMeasures?.map((m) => [m.type, m.filter !== undefined])], ["value_count", [["event_count", true]]]);
  // With no aggregate over every row, the correlation's own measure is "an event or more", which
  // every group has; so it is for a lone filtered count whose bound holds with none.
  const presence = [{ op: "gte", value: 1 }];
  assert.equal(read('FROM x | STATS c = COUNT(*) WHERE b == "2", d = COUNT_DISTINCT(u) WHERE a == "1" BY k | WHERE c > 5 AND d >= 1'), {
    kind: "correlation", type: "event_count", rules: events({ kind: "all" }), groupBy: ["k"], condition: presence,
    extraMeasures: [{ type: "event_count", condition: [{ op: "gt", value: 5 }], filter: eq("b", "2") }, { type: "value_count", condition: [{ op: "gte", value: 1 }], valueField: "u", filter: eq("a", "1") }],
  });
  assert.equal(read("FROM x | STATS d = COUNT(u) BY k | WHERE d < 3"), {
    kind: "correlation", type: "event_count", rules: events({ kind: "all" }), groupBy: ["k"], condition: presence,
    extraMeasures: [{ type: "event_count", condition: [{ op: "lt", value: 3 }], filter: exists("u") }],
  });
  // `COUNT(*) > 0` beside other bounds only says the group has an event: dropped as before.
  const r = read("FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(u), e = COUNT_DISTINCT(w) BY k | WHERE c > 0 AND d >= 2 AND e >= 3");
  assert.equal(r.kind === "correlation" && [r.type, r.extraMeasures?.map((m) => m.type)], ["value_count", ["value_count"]]);
});

test("a WHERE on a counted CASE itself (`!= \"\"`, IS NOT NULL) leaves that kind out instead of repeating the CASE in each rule", () => {
  const q = read('FROM x | EVAL t = CASE(a == "x", "X", b == "y", "", a == "z", "Z", "") | WHERE t != "" AND t IS NOT NULL AND c == "1" | STATS d = COUNT_DISTINCT(t) BY k | WHERE d >= 2');
  assert.ok(q.kind === "correlation");
  if (q.kind !== "correlation") return;
  assert.equal(q.rules.map((r) => [r.name, r.query]), [
    ["X", and(eq("c", "1"), eq("a", "x"))],
    ["Z", and(eq("c", "1"), not(eq("a", "x")), not(eq("b", "y")), eq("a", "z"))],
  ]);
});

test("a time bucket is the correlation's timespan (with a warning); without one the look-back is (with a note)", () => {
  const r = readEsql("FROM x | EVAL t = DATE_TRUNC(5 minutes, @timestamp) | STATS c = COUNT(*) BY t, host.name | WHERE c > 3");
  assert.ok(r.ok && r.value.kind === "ir" && r.value.query.kind === "correlation");
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return;
  assert.equal(r.value.query.timespan, { value: 5, unit: "m" });
  assert.equal(r.value.query.groupBy, ["host.name"]);
  assert.equal(r.value.notes.map((n) => n.code), ["esql/time-bucket"]);
  const l = readEsql("FROM x | STATS c = COUNT(*) BY h | WHERE c > 3");
  assert.ok(l.ok && l.value.kind === "ir" && l.value.notes.map((n) => n.code).join() === "esql/lookback-window");
});

test("a second STATS that only merges the alerting groups by some of their keys reads as the first, with a warning", () => {
  const one = readEsql("FROM x | STATS c = COUNT(*), v = VALUES(m) BY a, h | WHERE c >= 3");
  const two = readEsql("FROM x | STATS c = COUNT(*), v = VALUES(m) BY a, h | WHERE c >= 3 | STATS w = VALUES(v), n = MAX(c) BY h | KEEP w, h");
  assert.ok(one.ok && one.value.kind === "ir" && two.ok && two.value.kind === "ir");
  if (!one.ok || one.value.kind !== "ir" || !two.ok || two.value.kind !== "ir") return;
  assert.equal(stripSpans(two.value.query), stripSpans(one.value.query));
  const note = two.value.notes.find((n) => n.code === "esql/regrouped");
  assert.ok(note && note.severity === "warning" && /one alert per value/.test(note.message), JSON.stringify(two.value.notes));
  // What the second STATS counts, a key it computes or one the first has not, or a condition after it: refused.
  for (const q of [
    "FROM x | STATS c = COUNT(*) BY a, h | WHERE c >= 3 | STATS n = COUNT(*) BY h",
    "FROM x | STATS c = COUNT(*) BY a, h | WHERE c >= 3 | STATS n = MAX(c) BY h | WHERE n > 5",
    "FROM x | STATS c = COUNT(*) BY a, h | WHERE c >= 3 | STATS n = MAX(c) BY u",
    "FROM x | STATS c = COUNT(*) BY a, h | WHERE c >= 3 | EVAL h = TO_LOWER(a) | STATS n = MAX(c) BY h",
    "FROM x | STATS c = COUNT(*) BY a, h | WHERE c >= 3 | STATS n = MAX(c) BY h | STATS BY h",
  ]) {
    const r = readEsql(q);
    assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/unsupported-command", q);
  }
});

test("`@timestamp >= NOW() - span` before STATS is the run's window, kept beside the query; other uses of NOW() stay refused", () => {
  const r = readEsql('FROM x | WHERE @timestamp >= NOW() - 1 hour AND a == "1" | WHERE NOW() - 90 minutes < @timestamp');
  assert.ok(r.ok && r.value.kind === "ir");
  if (!r.ok || r.value.kind !== "ir") return;
  assert.equal(stripSpans(r.value.query), eq("a", "1"));
  assert.equal(r.value.window && { ...r.value.window, offset: 0, end: 0 }, { duration: { value: 1, unit: "h" }, strict: false, offset: 0, end: 0 });
  const strict = readEsql("FROM x | WHERE NOW() - 30 minutes < @timestamp | STATS c = COUNT(*) BY h | WHERE c > 2");
  assert.ok(strict.ok && strict.value.kind === "ir" && strict.value.window?.strict === true && strict.value.window.duration.value === 30);
  const only = readEsql("FROM x | WHERE @timestamp > NOW() - 2h");
  assert.ok(only.ok && only.value.kind === "ir" && only.value.query.kind === "all");
  // Elsewhere a fixed span back from NOW() is the IR's date math (as KQL's `now-5m`), which the
  // ES|QL printer writes back the same; Sigma and Splunk refuse such a range by name.
  const older = readEsql("FROM x | WHERE @timestamp < NOW() - 5 minutes");
  assert.ok(older.ok && older.value.kind === "ir" && older.value.window === undefined);
  if (older.ok && older.value.kind === "ir") {
    assert.equal(stripSpans(older.value.query), { kind: "range", field: "@timestamp", op: "lt", value: { kind: "string", parts: [{ kind: "text", value: "now-5m" }] } });
  }
  const either = readEsql('FROM x | WHERE @timestamp >= NOW() - 1 hour OR a == "1"');
  assert.ok(either.ok && either.value.kind === "ir" && either.value.query.kind === "or" && either.value.window === undefined);
  for (const q of [
    "FROM x | WHERE @timestamp >= NOW() - 1 month",
    "FROM x | WHERE event.created >= NOW() - 1 hour",
    "FROM x | STATS c = COUNT(*), t = MAX(@timestamp) BY h | WHERE t >= NOW() - 1 hour",
  ]) {
    const x = readEsql(q);
    assert.ok(x.ok && x.value.kind === "refused" && x.value.refusal.code === "esql/time-dependent", q);
  }
});

test("LENGTH of a lower-cased field is its length, with a warning (only `İ` lower-cases to two characters); of an upper-cased one it stays refused", () => {
  const r = readEsql("FROM x | EVAL c = TO_LOWER(cmd) | WHERE LENGTH(c) >= 4000");
  assert.ok(r.ok && r.value.kind === "ir");
  if (!r.ok || r.value.kind !== "ir") return;
  assert.equal(stripSpans(r.value.query), stripSpans(read("FROM x | WHERE LENGTH(cmd) >= 4000")));
  assert.equal(r.value.notes.map((n) => [n.severity, n.code, n.offset]), [["warning", "esql/length-lower-cased", "FROM x | EVAL c = TO_LOWER(cmd) | WHERE ".length]]);
  const upper = readEsql("FROM x | WHERE LENGTH(TO_UPPER(cmd)) >= 4000");
  assert.ok(upper.ok && upper.value.kind === "refused" && upper.value.refusal.code === "esql/unsupported-function");
});

/** Refusals: the query, the code, where it points (line:column), and a fragment of the message. */
const REFUSALS: readonly (readonly [string, string, string, string])[] = [
  ['FROM x | GROK msg "%{IP:ip}" | WHERE ip IS NOT NULL', "esql/unsupported-command", "1:10", "GROK"],
  ['FROM x | DISSECT msg "%{a}" | WHERE a == "1"', "esql/unsupported-command", "1:10", "DISSECT"],
  ["FROM x | INLINE STATS m = MAX(a) BY b", "esql/unsupported-command", "1:10", "INLINE STATS"],
  ['FROM x | ENRICH p ON a', "esql/unsupported-command", "1:10", "ENRICH"],
  ["FROM x | STATS a = COUNT(*) BY k | STATS MAX(a)", "esql/unsupported-command", "1:36", "second STATS"],
  ["ROW a = 1", "esql/unsupported-command", "1:1", "FROM"],
  ['FROM x | STATS c = COUNT(*), s = SUM(n) WHERE a == "1" BY k | WHERE c > 5 AND s >= 1', "esql/filtered-aggregate", "1:30", "counts events or distinct values"],
  ['FROM x | STATS c = COUNT(*), m = MAX(CASE(a == "1", 1, 0)) BY k | WHERE c > 5 AND m > 1', "esql/aggregate-condition", "1:30", "holds for neither"],
  ["FROM x | STATS c = COUNT(*), m = MAX(a) BY k | WHERE c > 5 AND m >= 1", "esql/unsupported-aggregate", "1:30", "MAX"],
  ["FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(u) BY k | WHERE (c > 5 OR d == 1) AND (c < 9 OR m == \"x\")", "esql/aggregate-condition", "1:97", "joined with AND"],
  ["FROM x | STATS m = MAX(a) BY k | WHERE m > 5", "esql/unsupported-aggregate", "1:16", "MAX"],
  ['FROM x | STATS f = MIN(@timestamp) BY k | EVAL r = DATE_DIFF("minute", f, NOW()) | WHERE r >= 10', "esql/time-dependent", "1:75", "NOW()"],
  ["FROM x | EVAL k = COALESCE(a, TO_LOWER(b)) | STATS COUNT(*) BY k", "esql/group-key", "1:64", "computed"],
  ["FROM x | STATS c = COUNT_DISTINCT(TO_UPPER(u)) BY k | WHERE c > 2", "esql/computed-field", "1:16", "TO_UPPER"],
  ['FROM x | WHERE REPLACE(a, "x", "") == "y"', "esql/unsupported-function", "1:16", "REPLACE"],
  // TO_LONG compared with a number is bounds on `a` (esql-whole-numbers.test.ts); in arithmetic it is not read.
  ['FROM x | WHERE TO_LONG(a) + 1 > 3', "esql/unsupported-function", "1:24", "converted"],
  ['FROM x | WHERE message : "failed login"', "esql/full-text-match", "1:16", "analysed text"],
  ['FROM x | WHERE MATCH(a, "x", {"fuzziness": 1})', "esql/full-text-options", "1:16", "fuzziness"],
  ['FROM x | WHERE a LIKE "C:\\\\Windows"', "esql/bad-like-pattern", "1:23", "LIKE"],
  ['FROM x | WHERE TO_LOWER(a) RLIKE "[A-Z]x"', "esql/case-folded-regex", "1:34", "TO_LOWER"],
  ['FROM x | WHERE KQL("a:(x")', "esql/kql-syntax", "1:23", "KQL"],
  ['FROM x | MV_EXPAND t | WHERE t == "a" AND t != "b"', "esql/mv-expand", "1:10", "MV_EXPAND"],
  ['FROM x | MV_EXPAND t | WHERE t LIKE "a*" | STATS COUNT(*) BY k | WHERE `COUNT(*)` > 1', "esql/mv-expand-count", "1:10", "per matching value"],
];

for (const [text, code, at, fragment] of REFUSALS) {
  test(`refused: ${code} at ${at}: ${JSON.stringify(text)}`, () => {
    const r = readEsql(text);
    if (!r.ok) return assert.unreachable(`syntax error: ${r.error.message}`);
    if (r.value.kind !== "refused") return assert.unreachable(`read: ${JSON.stringify(r.value.query)}`);
    assert.is(r.value.refusal.code, code, r.value.refusal.message);
    const lc = lineColAt(text, r.value.refusal.offset);
    assert.is(`${lc.line}:${lc.col}`, at, r.value.refusal.message);
    assert.match(r.value.refusal.message, fragment);
  });
}

test("a syntax error is not a refusal", () => {
  const r = readEsql("FROM x | WHERE a = 1");
  assert.is(!r.ok && r.error.code, "esql/single-equals");
});

test.run();
