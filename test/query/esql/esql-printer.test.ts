/**
 * IR → ES|QL: the exact text for each construct, and what the printer refuses or warns about.
 * Every expected text is also checked with Kibana's parser (release grammar).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../../src/ir/query.js";
import { type EsqlPrintOptions, printEsql } from "../../../src/query/esql/esql-printer.js";
import { and, eq, lit, match, not, num, or, pat } from "../../eval/build.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { stripSpans } from "../eql/strip-spans.js";

const like = (field: string, p: string, caseSensitive = true): Query => ({ kind: "match", field, value: { kind: "string", parts: pat(p) }, caseSensitive });

function where(q: Query, options: EsqlPrintOptions = {}): string {
  const r = printEsql(q, options);
  assert.equal(r.issues.filter((i) => i.severity === "error"), [], JSON.stringify(q));
  const c = checkEsql(r.text, { release: true });
  assert.ok(c.ok, `${r.text}\nKibana: ${c.first?.message}`);
  const lines = r.text.split("\n");
  assert.is(lines[0], "FROM * METADATA _id, _index, _version");
  return lines.slice(1).join("\n").replace(/^\| WHERE /, "");
}

/** IR and the WHERE it prints as (fields of unknown type, each holding one value). */
const CASES: readonly (readonly [string, Query, string])[] = [
  ["equality", eq("process.name", "cmd.exe"), 'process.name == "cmd.exe"'],
  ["case-insensitive: the field lower-cased, the value too", eq("process.name", "CMD.exe", false), 'TO_LOWER(process.name) == "cmd.exe"'],
  ["case-insensitive with no letter: as is", eq("a", "10.0", false), 'a == "10.0"'],
  ["non-ASCII letters lower-cased", eq("a", "ÉCOLE", false), 'TO_LOWER(a) == "école"'],
  ["wildcards: LIKE", like("Image", "*\\\\cmd.exe"), 'Image LIKE """*\\\\cmd.exe"""'],
  ["a literal `*` and `?` escaped in LIKE", like("a", "x\\*y\\?*"), 'a LIKE """x\\*y\\?*"""'],
  ["`?` is one character", like("a", "cmd.ex?"), 'a LIKE "cmd.ex?"'],
  ["a literal `*` outside LIKE is just text", eq("a", "*"), 'a == "*"'],
  ["quotes and control characters in strings", eq("a", 'say "hi"\n\tnow\\'), 'a == "say \\"hi\\"\\n\\tnow\\\\"'],
  ["a LIKE pattern with a line break is a \"…\" string", like("a", "a\n*"), 'a LIKE "a\\n*"'],
  ["case-insensitive LIKE", like("CommandLine", "*-EncodedCommand*", false), 'TO_LOWER(CommandLine) LIKE "*-encodedcommand*"'],
  ["absent or null", match("a", { kind: "null" }), "a IS NULL"],
  ["exists", { kind: "exists", field: "a" }, "a IS NOT NULL"],
  ["a number against a field of unknown type: its text", match("event.code", num(4688)), 'TO_STRING(event.code) == "4688"'],
  ["a number spelled otherwise: both spellings", match("n", num(10, "10.0")), 'TO_STRING(n) IN ("10.0", "10")'],
  ["a boolean", match("b", { kind: "boolean", value: true }), 'TO_STRING(b) == "true"'],
  ["a range on a number", { kind: "range", field: "port", op: "gte", value: num(1024) }, "TO_DOUBLE(port) >= 1024"],
  ["a range on text", { kind: "range", field: "a", op: "lt", value: lit("b") }, 'a < "b"'],
  ["a Lucene regex", { kind: "regex", field: "a", pattern: "cmd[0-9]+\\.exe", dialect: "lucene", caseSensitive: true }, 'a RLIKE """cmd[0-9]+\\.exe"""'],
  ["a PCRE regex, translated", { kind: "regex", field: "a", pattern: "^cmd\\d", dialect: "pcre", caseSensitive: true }, 'a RLIKE "(cmd[0-9]).*"'],
  ["a case-insensitive regex: lower-cased on both sides", { kind: "regex", field: "a", pattern: "Cmd[A-Z]\\W", dialect: "lucene", caseSensitive: false }, 'TO_LOWER(a) RLIKE """cmd[a-z]\\W"""'],
  ["CIDR through TO_IP", { kind: "cidr", field: "source.ip", cidr: "10.0.0.0/8" }, 'CIDR_MATCH(TO_IP(source.ip), "10.0.0.0/8")'],
  ["field to field, as text", { kind: "fieldref", field: "a", other: "b", caseSensitive: true }, "TO_STRING(a) == TO_STRING(b)"],
  ["an OR of equalities: IN", or(eq("a", "x"), eq("a", "y"), eq("b", "z")), 'a IN ("x", "y") OR b == "z"'],
  ["an OR of CIDR blocks: one call", or({ kind: "cidr", field: "ip", cidr: "10.0.0.0/8" }, { kind: "cidr", field: "ip", cidr: "::1/128" }), 'CIDR_MATCH(TO_IP(ip), "10.0.0.0/8", "::1/128")'],
  ["AND binds tighter than OR: an OR inside an AND is grouped", and(or(eq("a", "1"), eq("b", "2")), eq("c", "3")), '(a == "1" OR b == "2") AND c == "3"'],
  // Negation: the IR's `not` holds where the field is missing; ES|QL's `!=` is NULL there.
  ["a negated equality adds the missing case", not(eq("a", "x")), 'a != "x" OR a IS NULL'],
  ["negations inside an AND are grouped", and(eq("b", "y"), not(eq("a", "x"))), 'b == "y" AND (a != "x" OR a IS NULL)'],
  ["negated equalities of one field: NOT IN", not(or(eq("a", "x"), eq("a", "y"))), 'a NOT IN ("x", "y") OR a IS NULL'],
  ["a field known to be there needs no missing case", and({ kind: "exists", field: "a" }, not(eq("a", "x"))), 'a != "x"'],
  ["De Morgan down to the tests", not(and(eq("a", "x"), like("b", "y*"))), 'a != "x" OR a IS NULL OR b NOT LIKE "y*" OR b IS NULL'],
  ["not exists", not({ kind: "exists", field: "a" }), "a IS NULL"],
  ["a negated range on a converted number keeps its NULL case", not({ kind: "range", field: "n", op: "gt", value: num(5) }), "TO_DOUBLE(n) <= 5 OR TO_DOUBLE(n) IS NULL"],
  ["a negated CIDR test", not({ kind: "cidr", field: "ip", cidr: "10.0.0.0/8" }), 'NOT CIDR_MATCH(TO_IP(ip), "10.0.0.0/8") OR TO_IP(ip) IS NULL'],
  ["EQL's length(…) > 3", { kind: "compare", op: "gt", left: { kind: "call", name: "length", caseInsensitive: false, args: [{ kind: "field", field: "a", optional: false }] }, right: { kind: "literal", value: num(3) } }, "LENGTH(a) > 3"],
  ["a field name needing backquotes", eq("winlog.event_data.1st", "x"), '`winlog.event_data.1st` == "x"'],
  ["a keyword as a field segment", eq("a.first", "x"), '`a.first` == "x"'],
  ["none", { kind: "none" }, "false"],
];

for (const [name, ir, text] of CASES) {
  test(name, () => assert.is(where(ir), text));
}

test("all: no WHERE", () => {
  assert.is(printEsql({ kind: "all" }, { indices: ["logs-*"] }).text, "FROM logs-* METADATA _id, _index, _version");
});

test("FROM writes the index patterns, quoting one that the source mode would cut", () => {
  assert.is(printEsql(eq("a", "x"), { indices: ["logs-endpoint.events.*", "winlogbeat-*", "odd|name"] }).text.split("\n")[0],
    'FROM logs-endpoint.events.*, winlogbeat-*, "odd|name" METADATA _id, _index, _version');
});

test("known field types give the plain forms", () => {
  const types: EsqlPrintOptions = { fieldType: (f) => (f === "port" ? "number" : f === "source.ip" ? "ip" : f === "flag" ? "boolean" : undefined) };
  assert.is(where(match("port", num(445)), types), "port == 445");
  assert.is(where(or(match("port", num(445)), match("port", num(139))), types), "port IN (445, 139)");
  assert.is(where({ kind: "range", field: "port", op: "lt", value: num(1024) }, types), "port < 1024");
  assert.is(where({ kind: "cidr", field: "source.ip", cidr: "10.0.0.0/8" }, types), 'CIDR_MATCH(source.ip, "10.0.0.0/8")');
  assert.is(where(match("flag", { kind: "boolean", value: false }), types), "flag == false");
  // A number is never text, an address, nor in a text range.
  assert.is(where(like("port", "4*"), types), 'TO_STRING(port) LIKE "4*"');
  assert.is(where({ kind: "range", field: "port", op: "lt", value: lit("b") }, types), "false");
});

test("multi-valued fields: MV_EXPAND where it is exact, MV_MAX/MV_MIN for ranges, a warning otherwise", () => {
  const q = and(eq("event.category", "process"), eq("event.type", "start"), eq("process.name", "cmd.exe"));
  const r = printEsql(q, { indices: ["logs-*"] });
  assert.is(r.text, 'FROM logs-* METADATA _id, _index, _version\n| MV_EXPAND event.category\n| MV_EXPAND event.type\n| WHERE event.category == "process" AND event.type == "start" AND process.name == "cmd.exe"');
  assert.equal(r.issues, []);
  const multi: EsqlPrintOptions = { multiValued: () => true };
  assert.is(where({ kind: "range", field: "n", op: "gt", value: num(5) }, multi), "MV_MAX(TO_DOUBLE(n)) > 5");
  assert.is(where({ kind: "range", field: "n", op: "lte", value: num(5) }, multi), "MV_MIN(TO_DOUBLE(n)) <= 5");
  // Two tests of one field in one AND could be met by two values: no MV_EXPAND, a warning each.
  const two = printEsql(and(like("process.args", "-e*"), like("process.args", "*.ps1")));
  assert.not.match(two.text, "MV_EXPAND");
  assert.equal(two.issues.map((i) => [i.severity, i.code]), [["warning", "esql/multi-value"], ["warning", "esql/multi-value"]]);
  // Under NOT: the same.
  const negated = printEsql(not(eq("event.type", "end")));
  assert.equal(negated.issues.map((i) => i.code), ["esql/multi-value"]);
});

test("a span back from the time of the search on @timestamp is NOW() less that span, and reads back the same", () => {
  for (const [value, text] of [["now-9m", "@timestamp > NOW() - 9 minutes"], ["now-2h", "@timestamp > NOW() - 2 hours"], ["now-30s", "@timestamp > NOW() - 30 seconds"], ["now-5d", "@timestamp > NOW() - 5 days"]] as const) {
    // In an OR: a conjunct `@timestamp > NOW() - span` before STATS reads back as the run's look-back.
    const q: Query = or({ kind: "range", field: "@timestamp", op: "gt", value: lit(value) }, eq("a", "x"));
    const printed = printEsql(q);
    assert.equal(printed.issues, []);
    assert.match(printed.text, text);
    assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
    const back = readEsql(printed.text);
    assert.ok(back.ok && back.value.kind === "ir", printed.text);
    if (back.ok && back.value.kind === "ir") assert.equal(stripSpans(back.value.query), q);
  }
});

test("refusals: what ES|QL cannot say", () => {
  const codes = (q: Query) => printEsql(q).issues.filter((i) => i.severity === "error").map((i) => i.code);
  assert.equal(codes({ kind: "keyword", value: lit("mimikatz"), caseSensitive: false }), ["esql/keyword"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: "(?<=x)y", dialect: "pcre", caseSensitive: true }), ["esql/regex-dialect"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: "x", dialect: "pcre", caseSensitive: true, multiline: true }), ["esql/regex-flags"]);
  assert.equal(codes({ kind: "regex", field: "a", pattern: "[A-z]", dialect: "lucene", caseSensitive: false }), ["esql/regex-case"]);
  // Date math ES|QL has no form for: rounding, months, another field than a date.
  assert.equal(codes({ kind: "range", field: "@timestamp", op: "gt", value: lit("now-1d/d") }), ["esql/date-math"]);
  assert.equal(codes({ kind: "range", field: "@timestamp", op: "gt", value: lit("now-1M") }), ["esql/date-math"]);
  assert.equal(codes({ kind: "range", field: "a", op: "gt", value: lit("now-9m") }), ["esql/date-math"]);
  assert.equal(codes({ kind: "nested", path: "p", query: eq("a", "x") }), ["esql/nested"]);
  assert.equal(codes({ kind: "opaque", language: "esql", text: "FROM x" }), ["esql/opaque"]);
  assert.equal(codes({ kind: "sequence", by: [], steps: [{ query: eq("a", "x"), by: [] }, { query: eq("b", "y"), by: [] }] }), ["esql/sequence"]);
});

const corr = (extra: Partial<Extract<Query, { kind: "correlation" }>>): Query => ({
  kind: "correlation", type: "event_count", rules: [{ name: "r", query: eq("event.code", "4625") }], groupBy: ["source.ip"], condition: [{ op: "gte", value: 10 }], ...extra,
});

const CORRELATIONS: readonly (readonly [string, Query, string])[] = [
  ["event_count", corr({}), 'FROM logs-*\n| WHERE event.code == "4625" AND source.ip IS NOT NULL\n| STATS Esql.event_count = COUNT(*) BY source.ip\n| WHERE Esql.event_count >= 10'],
  ["value_count with two bounds and two keys", corr({ type: "value_count", valueField: "user.name", groupBy: ["source.ip", "host.name"], condition: [{ op: "gt", value: 3 }, { op: "lte", value: 50 }] }),
    'FROM logs-*\n| WHERE event.code == "4625" AND source.ip IS NOT NULL AND host.name IS NOT NULL\n| STATS Esql.value_count = COUNT_DISTINCT(user.name) BY source.ip, host.name\n| WHERE Esql.value_count > 3 AND Esql.value_count <= 50'],
  ["value_sum: no number adds up to 0", corr({ type: "value_sum", valueField: "bytes", groupBy: [] }), 'FROM logs-*\n| WHERE event.code == "4625"\n| STATS Esql.value_sum = COALESCE(SUM(TO_DOUBLE(bytes)), 0), Esql.event_count = COUNT(*)\n| WHERE Esql.event_count > 0 AND Esql.value_sum >= 10'],
  ["value_avg", corr({ type: "value_avg", valueField: "bytes" }), 'FROM logs-*\n| WHERE event.code == "4625" AND source.ip IS NOT NULL\n| STATS Esql.value_avg = AVG(TO_DOUBLE(bytes)) BY source.ip\n| WHERE Esql.value_avg >= 10'],
  ["a key the rule already requires is not tested again", corr({ rules: [{ name: "r", query: and(eq("event.code", "4625"), { kind: "exists", field: "source.ip" }) }] }),
    'FROM logs-*\n| WHERE event.code == "4625" AND source.ip IS NOT NULL\n| STATS Esql.event_count = COUNT(*) BY source.ip\n| WHERE Esql.event_count >= 10'],
  ["two rules: events of either", corr({ rules: [{ name: "a", query: eq("event.code", "4625") }, { name: "b", query: eq("event.code", "4771") }] }),
    'FROM logs-*\n| WHERE (event.code == "4625" OR event.code == "4771") AND source.ip IS NOT NULL\n| STATS Esql.event_count = COUNT(*) BY source.ip\n| WHERE Esql.event_count >= 10'],
  ["temporal: every rule's events in the group", corr({ type: "temporal", condition: [], rules: [{ name: "a", query: eq("event.code", "4625") }, { name: "b", query: eq("event.code", "4624") }] }),
    'FROM logs-*\n| WHERE (event.code == "4625" OR event.code == "4624") AND source.ip IS NOT NULL\n| STATS Esql.rule0_count = COUNT(*) WHERE event.code == "4625", Esql.rule1_count = COUNT(*) WHERE event.code == "4624" BY source.ip\n| WHERE Esql.rule0_count > 0 AND Esql.rule1_count > 0'],
  ["an alias: the key from each rule's own field", corr({ groupBy: ["ip"], rules: [{ name: "a", query: eq("event.code", "1"), aliases: { ip: "source.ip" } }, { name: "b", query: eq("event.code", "2"), aliases: { ip: "destination.ip" } }] }),
    'FROM logs-*\n| WHERE event.code == "1" OR event.code == "2"\n| EVAL ip = CASE(event.code == "1", source.ip, event.code == "2", destination.ip)\n| WHERE ip IS NOT NULL\n| STATS Esql.event_count = COUNT(*) BY ip\n| WHERE Esql.event_count >= 10'],
];

for (const [name, ir, text] of CORRELATIONS) {
  test(`correlation: ${name}`, () => {
    const r = printEsql(ir, { indices: ["logs-*"] });
    assert.equal(r.issues, []);
    assert.is(r.text, text);
    assert.ok(checkEsql(r.text, { release: true }).ok, r.text);
  });
}

test("correlation refusals", () => {
  const codes = (q: Query) => printEsql(q).issues.map((i) => i.code);
  assert.equal(codes(corr({ type: "temporal_ordered", condition: [] })), ["esql/temporal-ordered"]);
  assert.equal(codes(corr({ condition: [] })), ["esql/correlation"]);
  assert.equal(codes(corr({ groupBy: ["event.type"] })), ["esql/multi-value-key"]);
});

test("a text pattern on an ECS floating-point field is refused: ES|QL writes whole values with a fraction", () => {
  const types: EsqlPrintOptions = { fieldType: (f) => (f === "event.risk_score" || f === "process.pid" ? "number" : undefined) };
  const codes = (q: Query) => printEsql(q, types).issues.filter((i) => i.severity === "error").map((i) => i.code);
  // event.risk_score is an ECS float: an event's 5 is "5.0" to TO_STRING, so `*5` would miss it.
  assert.equal(codes(like("event.risk_score", "*5")), ["esql/float-text"]);
  assert.equal(codes({ kind: "regex", field: "event.risk_score", pattern: "5$", dialect: "pcre", caseSensitive: true }), ["esql/float-text"]);
  // A number compared as a number is fine, and process.pid (long) keeps its exact text.
  assert.is(where(match("event.risk_score", num(5)), types), "event.risk_score == 5");
  assert.is(where(like("process.pid", "4*"), types), 'TO_STRING(process.pid) LIKE "4*"');
});

test.run();
