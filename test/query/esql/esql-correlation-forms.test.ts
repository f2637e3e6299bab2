/**
 * The correlations ES|QL's STATS says beyond one bounded aggregate:
 * - extra measures (`STATS c = COUNT(*), d = COUNT_DISTINCT(f) … | WHERE c >= 5 AND d >= 2`): the
 *   targets whose correlation bounds one measure (Sigma, Elastic) refuse them by name, since
 *   dropping a bound would alert on other groups; the ES|QL printer writes every bound, and so does
 *   Splunk's correlation search (one `stats` with a function per measure), run here by the SPL
 *   oracle over the whole stream;
 * - kinds of events (`COUNT_DISTINCT(CASE(c1, "a", c2, "b"))`) and the printer's count of rules
 *   (`CASE(r0 > 0, 1, 0) + …`): temporal correlations.
 * Each form is checked against ES|QL's evaluator: the groups the IR alerts on over a stream are the
 * rows the ES|QL query returns.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { runEsql } from "../../../src/eval/esql-run.js";
import { evaluateStream } from "../../../src/eval/stream.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { RUNS } from "../../properties/arbitraries.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule } from "../../../src/pipeline/convert.js";
import { readRules } from "../../../src/pipeline/read-rules.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { testContext } from "../../helpers/convert-fixture.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { furtherMeasure, renderSplCorrelation, type CorrelationPlan } from "../../../src/query/spl/spl-correlation.js";
import { renderSplCondition, renderSplQuery } from "../../../src/query/spl/spl-printer.js";
import type { NodeOf } from "../../../src/ir/query.js";
import { runSplStats } from "../../oracles/spl/spl-stats-run.js";
import { esqlGroups, irGroups } from "../../helpers/esql-groups.js";

const TEXT = 'FROM logs-* | WHERE process.executable LIKE "*\\\\\\\\cmd.exe" | STATS c = COUNT(*), d = COUNT_DISTINCT(user.name) BY host.name | WHERE c >= 5 AND d >= 2';

function reading() {
  const r = readEsql(TEXT);
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") throw new Error(`not read: ${JSON.stringify(r)}`);
  return { ...r.value, query: { ...r.value.query, timespan: { value: 10, unit: "m" as const } } };
}

test("read: the first bound is the correlation's measure, the other an extra measure", () => {
  const { query } = reading();
  assert.is(query.type, "event_count");
  assert.equal(query.condition, [{ op: "gte", value: 5 }]);
  assert.equal(query.extraMeasures, [{ type: "value_count", condition: [{ op: "gte", value: 2 }], valueField: "user.name" }]);
});

test("printed as ES|QL with every bound, accepted by Kibana's parser, and read back the same", () => {
  const { query } = reading();
  const printed = printEsql(query, { indices: ["logs-*"] });
  assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
  assert.match(printed.text, "| STATS Esql.event_count = COUNT(*), Esql.value_count = COUNT_DISTINCT(user.name) BY host.name\n| WHERE Esql.event_count >= 5 AND Esql.value_count >= 2");
  assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
  const back = readEsql(printed.text);
  assert.ok(back.ok && back.value.kind === "ir" && back.value.query.kind === "correlation");
  if (back.ok && back.value.kind === "ir" && back.value.query.kind === "correlation") assert.equal(back.value.query.extraMeasures, query.extraMeasures);
});

test("two extra measures of one type get their own columns", () => {
  const r = readEsql("FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(a), e = COUNT_DISTINCT(b) BY k | WHERE c >= 5 AND d >= 2 AND e > 3");
  if (!r.ok || r.value.kind !== "ir") return assert.unreachable("not read");
  const printed = printEsql(r.value.query, { indices: ["x"] });
  assert.match(printed.text, "Esql.value_count = COUNT_DISTINCT(a), Esql.value_count_2 = COUNT_DISTINCT(b)");
  assert.match(printed.text, "WHERE Esql.event_count >= 5 AND Esql.value_count >= 2 AND Esql.value_count_2 > 3");
  assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
});

test("Sigma chains the bounds (warned) or, asked to, refuses; Elastic refuses by name; Splunk bounds both measures of one stats", () => {
  const file = "rules/psexec_network_connection.yaml";
  const [rule] = readRules([{ path: file, text: readFileSync(file, "utf8") }]).rules;
  if (!rule) return assert.unreachable("no rule");
  const { query, indices } = reading();
  const result = convertRule({ ...rule, type: "query", language: "kuery", query, index: [...indices] }, ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "auto" }));
  assert.equal(result.outcome.converted, ["sigma", "splunk"]);
  assert.ok(result.diagnostics.some((d) => d.code === "sigma/chained-measures" && d.severity === "warning"));
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  assert.equal(errors, ["elastic/correlation: elastic: the correlation also bounds value_count; Elastic's threshold and EQL forms bound one measure"]);
  const refused = convertRule({ ...rule, type: "query", language: "kuery", query, index: [...indices] }, ["sigma"], testContext({ sigmaTaxonomy: "auto", sigmaMeasures: "refuse" }));
  assert.equal(
    refused.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`),
    ["sigma/several-measures: sigma: a Sigma correlation bounds one measure; this one bounds 1 more"],
  );
  const spl = result.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  assert.match(spl, "| streamstats time_window=10m count as rc_count, dc(User) as rc_count_2 by Computer\n| where rc_count>=5 AND rc_count_2>=2\n");
});

test("an OR of bounds is a set of alternatives, which Sigma chains (warned), Elastic refuses by name and Splunk's final where says", () => {
  const file = "rules/psexec_network_connection.yaml";
  const [rule] = readRules([{ path: file, text: readFileSync(file, "utf8") }]).rules;
  if (!rule) return assert.unreachable("no rule");
  const r = readEsql('FROM logs-* | WHERE process.name == "psexec.exe" | STATS d = COUNT_DISTINCT(user.name), e = COUNT_DISTINCT(source.ip) BY host.name | WHERE d >= 2 OR e >= 3');
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable("not read");
  const query = { ...r.value.query, timespan: { value: 10, unit: "m" as const } };
  assert.equal(query.anyOf, [[{ type: "value_count", condition: [{ op: "gte", value: 2 }], valueField: "user.name" }], [{ type: "value_count", condition: [{ op: "gte", value: 3 }], valueField: "source.ip" }]]);
  const result = convertRule({ ...rule, type: "query", language: "kuery", query, index: ["logs-*"] }, ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "auto" }));
  assert.equal(result.outcome.converted, ["sigma", "splunk"]);
  const sigma = result.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  assert.match(sigma, /condition:\n {8}gte: 1\n/);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  assert.equal(errors, ["elastic/correlation: elastic: the correlation also bounds one of several sets of measures (an OR); Elastic's threshold and EQL forms bound one measure"]);
  const spl = result.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  assert.match(spl, "| streamstats time_window=10m count as rc_count, dc(User) as rc_count_2, dc(SourceIp) as rc_count_3 by Computer\n| where rc_count>=1 AND ((rc_count_2>=2) OR (rc_count_3>=3))\n");
  const printed = printEsql(query, { indices: ["logs-*"] });
  assert.match(printed.text, "| WHERE Esql.event_count >= 1 AND (Esql.value_count >= 2 OR Esql.value_count_2 >= 3)");
  assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
});

test("COUNT_DISTINCT of a CASE of constants is a temporal correlation, one rule per kind", () => {
  const r = readEsql('FROM x | EVAL k = CASE(a == "1", "one", a == "2", "two", b == "3", "one") | WHERE k IS NOT NULL | STATS n = COUNT_DISTINCT(k) BY h | WHERE n >= 2');
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable("not read");
  const q = r.value.query;
  assert.is(q.type, "temporal");
  assert.equal(q.condition, [{ op: "gte", value: 2 }]);
  assert.equal(q.rules.map((x) => x.name), ["one", "two"]);
});

test("a key COALESCE(a, b) is one rule per source field, disjoint, with the field as the key's alias", () => {
  const r = readEsql('FROM x | WHERE c == "1" | STATS n = COUNT(*) BY k = COALESCE(a, TO_IP(b)) | WHERE n >= 2');
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable("not read");
  const c = { kind: "match", field: "c", value: { kind: "string", parts: [{ kind: "text", value: "1" }] }, caseSensitive: true };
  const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === "span" ? undefined : v)));
  assert.equal(strip(r.value.query.rules), [
    { name: "events_1", query: { kind: "and", children: [c, { kind: "exists", field: "a" }] }, aliases: { k: "a" } },
    { name: "events_2", query: { kind: "and", children: [c, { kind: "not", child: { kind: "exists", field: "a" } }, { kind: "exists", field: "b" }] }, aliases: { k: "b" } },
  ]);
  assert.equal(r.value.query.groupBy, ["k"]);
});

test("the printer's count of rules alone is the temporal correlation's condition", () => {
  const r = readEsql('FROM x | WHERE a == "1" OR b == "1" | STATS r0 = COUNT(*) WHERE a == "1", r1 = COUNT(*) WHERE b == "1" BY k | EVAL n = CASE(r0 > 0, 1, 0) + CASE(r1 > 0, 1, 0) | WHERE n >= 2');
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable("not read");
  assert.equal([r.value.query.type, r.value.query.condition, r.value.query.rules.map((x) => x.name)], ["temporal", [{ op: "gte", value: 2 }], ["r0", "r1"]]);
});

/** Refusals: text, code, a fragment of the message. */
const REFUSED: readonly (readonly [string, string, string])[] = [
  // Rows whose CASE is NULL still count for COUNT(*): the IR's rules would leave them out.
  ['FROM x | EVAL k = CASE(a == "1", "one", a == "2", "two") | STATS n = COUNT_DISTINCT(k), c = COUNT(*) BY h | WHERE n >= 2 AND c >= 3', "esql/computed-field", "NULL for some rows"],
  // A group of NULL kinds only has 0 kinds, which meets `< 2`.
  ['FROM x | EVAL k = CASE(a == "1", "one", a == "2", "two") | STATS n = COUNT_DISTINCT(k) BY h | WHERE n < 2', "esql/computed-field", "NULL for some rows"],
  ['FROM x | STATS n = COUNT_DISTINCT(CASE(a == "1", "one", "z")), m = COUNT_DISTINCT(CASE(b == "1", "one", "z")) BY h | WHERE n >= 2 AND m >= 2', "esql/computed-field", "two aggregates"],
  ['FROM x | STATS n = COUNT_DISTINCT(CASE(a == "1", b, "z")) BY h | WHERE n >= 2', "esql/computed-field", "CASE"],
  // Splitting a rule by its key's source would count kinds twice.
  ['FROM x | STATS n = COUNT_DISTINCT(CASE(a == "1", "one", "z")) BY k = COALESCE(a, b) | WHERE n >= 2', "esql/group-key", "kinds"],
  ['FROM x | STATS n = COUNT(*) BY k = COALESCE(a, TO_LOWER(b)) | WHERE n >= 2', "esql/group-key", "computed"],
  // The other rows count for COUNT(*), unless the WHERE before STATS keeps only the rules' rows.
  ['FROM x | STATS r0 = COUNT(*) WHERE a == "1", r1 = COUNT(*) WHERE b == "1", c = COUNT(*) BY h | EVAL n = CASE(r0 > 0, 1, 0) + CASE(r1 > 0, 1, 0) | WHERE n >= 1 AND c >= 2', "esql/aggregate-condition", "outside every filter"],
  // An OR of bounds is read only when each asks for some row: the IR has no OR of measures.
  ['FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY h | WHERE (d >= 2 OR c > 3) AND (d < 5 OR c < 2) AND (d > 1 OR c > 1) AND (d > 2 OR c > 2) AND (d > 3 OR c > 3) AND (d > 4 OR c > 4) AND (d > 5 OR c > 5)', "esql/too-complex", "more than 64 sets"],
  ['FROM x | EVAL t = CASE(a == "1", "one", "z") | STATS n = COUNT_DISTINCT(t), c = COUNT(*), d = COUNT_DISTINCT(b) BY h | WHERE n >= 2 AND (d >= 2 OR c > 3)', "esql/aggregate-condition", "kinds of events"],
  ['FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY h | WHERE c > 3 OR (d > 1 AND a == "1")', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS v = VALUES(a) BY h | WHERE v == "x" OR v == ["x", "y"]', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS r0 = COUNT(*) WHERE a == "1", d = COUNT_DISTINCT(b) BY h | WHERE d >= 2 AND (r0 > 0 OR a == "1")', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS c = COUNT_DISTINCT(CASE(a == "1", b)) BY h | WHERE c >= 2', "esql/computed-field", "CASE"],
  // The joined values could contain the text across two values, or only at the start of the first.
  ['FROM x | STATS v = VALUES(a) BY h | WHERE MV_CONCAT(v, ",") LIKE "*x,y*"', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS v = VALUES(a) BY h | WHERE MV_CONCAT(v, ",") LIKE "x*"', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS v = VALUES(a) BY h | WHERE MV_CONCAT(v, ",") NOT LIKE "*x*"', "esql/aggregate-condition", "joined with AND"],
  ['FROM x | STATS v = VALUES(a) BY h | WHERE MV_CONCAT(v, ",") LIKE "*x?y*"', "esql/aggregate-condition", "joined with AND"],
  // A negated bound on an aggregate that can be NULL is NULL, not true.
  ['FROM x | STATS c = COUNT(*), s = SUM(CASE(a == "1", 1, 0)) BY k | WHERE c > 1 AND NOT (s >= 1 OR c > 5)', "esql/aggregate-condition", "negated bound"],
  // One event with two matching values is two rows, which COUNT(*) counts.
  ['FROM x | MV_EXPAND t | WHERE t IN ("x", "y") | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE c > 1 AND d >= 2', "esql/mv-expand-count", "per matching value"],
];

for (const [text, code, fragment] of REFUSED) {
  test(`refused: ${code}: ${text}`, () => {
    const r = readEsql(text);
    if (!r.ok) return assert.unreachable(r.error.message);
    if (r.value.kind !== "refused") return assert.unreachable(`read: ${JSON.stringify(r.value.query)}`);
    assert.is(r.value.refusal.code, code, r.value.refusal.message);
    assert.match(r.value.refusal.message, fragment);
  });
}

/** Queries of each form, with lower bounds (the IR reports a group once some prefix meets them). */
const FORMS = [
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b), v = VALUES(b) BY a | WHERE c >= 3 AND d >= 2",
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b), e = COUNT_DISTINCT(k) | WHERE c >= 2 AND d >= 2 AND e > 1",
  'FROM x | WHERE a IN ("x", "y") | STATS s = COALESCE(SUM(n), 0), d = COUNT_DISTINCT(b) BY k | WHERE s >= 3 AND d >= 2',
  'FROM x | EVAL t = CASE(a == "x", "X", b == "y", "Y", a == "y", "X") | WHERE t IS NOT NULL | STATS n = COUNT_DISTINCT(t), c = COUNT(*) BY k | WHERE n >= 2 AND c >= 3',
  'FROM x | EVAL t = CASE(a == "x", "X", b LIKE "y*", "Y", "other") | STATS c = COUNT(*), n = COUNT_DISTINCT(t) BY k | WHERE c > 1 AND n >= 3',
  // A WHERE on the CASE itself leaves its kind out (each other kind implies it).
  'FROM x | EVAL t = CASE(a == "x", "X", b == "y", "Y", a == "y", "X", n == 1, "", "Z") | WHERE t != "" AND t IS NOT NULL | STATS d = COUNT_DISTINCT(t) BY k | WHERE d >= 2',
  'FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) WHERE a == "x", s = SUM(CASE(a == "y", 1, 0)), e = COUNT(n) BY k | WHERE c >= 2 AND d >= 1 AND s >= 1 AND e > 1',
  'FROM x | EVAL w = CASE(b LIKE "y*", 1, 0) | STATS m = MAX(w), d = COUNT_DISTINCT(a) BY k | WHERE m == 1 AND d >= 2',
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(n) BY g = COALESCE(a, b) | WHERE c >= 2 AND d >= 2",
  'FROM x | EVAL g = COALESCE(CASE(k == "k1", a, null), b) | WHERE g IS NOT NULL | STATS c = COUNT(*) BY g, k | WHERE c >= 3',
  'FROM x | EVAL g = CASE(n == 0, null, k == "k1", a, b) | STATS d = COUNT_DISTINCT(k) BY g | WHERE d >= 2',
  'FROM x | STATS r0 = COUNT(*) WHERE a == "x", r1 = COUNT(*) WHERE b LIKE "y*", r2 = COUNT(*) WHERE n > 0 BY k | EVAL n = CASE(r0 > 0, 1, 0) + CASE(r1 > 0, 1, 0) + CASE(r2 > 0, 1, 0) | WHERE n >= 2',
  'FROM x | WHERE a == "x" OR b == "y" | STATS r0 = COUNT(*) WHERE a == "x", r1 = COUNT(*) WHERE b == "y", c = COUNT(*) BY k | EVAL n = CASE(r0 > 0, 1, 0) + CASE(r1 > 0, 1, 0) | WHERE n >= 2 AND c >= 3',
  // Bounds that each ask for some row of the group, alone or in an OR: one filtered count.
  'FROM x | STATS r0 = COUNT(*) WHERE a == "x", r1 = COUNT(b), d = COUNT_DISTINCT(n) BY k | WHERE (r0 > 0 OR r1 >= 1) AND d >= 2',
  'FROM x | EVAL t = CASE(a == "x", b) | STATS d = COUNT_DISTINCT(t), c = COUNT(*) BY k | WHERE d > 0 AND c >= 2',
  'FROM x | EVAL t = CASE(a == "x", b), u = CASE(b == "z", n) | STATS d = COUNT_DISTINCT(t), e = COUNT_DISTINCT(u), f = COUNT_DISTINCT(a) BY k | WHERE f >= 2 AND (d > 0 OR e != 0)',
  'FROM x | STATS v = VALUES(a), c = COUNT(*) BY k | EVAL j = MV_CONCAT(v, ",") | WHERE j LIKE "*y*" AND c >= 2',
  'FROM x | STATS v = VALUES(b), s = SUM(CASE(a == "z", 1, 0)), m = MAX(CASE(n > 1, 1, 0)), d = COUNT_DISTINCT(a) BY k | WHERE (MV_CONCAT(v, "; ") LIKE "*yy*" OR s >= 1 OR m == 1) AND d >= 2',
  // An OR of other bounds: one of its sets of bounds must hold too.
  'FROM x | STATS r0 = COUNT(*) WHERE a == "x", d = COUNT_DISTINCT(b) BY k | WHERE d >= 2 OR r0 > 1',
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b), e = COUNT_DISTINCT(a) BY k | WHERE c > 1 AND (d >= 2 OR (e >= 2 AND c > 4) OR e >= 4)",
  // A test of group keys in an OR: a group's events all have its keys; a NOT goes down to the tests.
  'FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE c >= 2 AND (k == "k1" OR d >= 2)',
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE NOT (c < 2 OR d < 2)",
  // An OR with `COUNT(*) > 0` holds for every group.
  'FROM x | STATS c = COUNT(*), r0 = COUNT(*) WHERE a == "x", d = COUNT_DISTINCT(b) BY k | WHERE (r0 > 0 OR c > 0) AND d >= 2',
];

/**
 * Forms with upper bounds, which the IR's evaluator reports on the first prefix of a stream that
 * meets them: the printed query is checked against the source query, both run by ES|QL's
 * evaluator over the whole stream, and reads back as the same IR.
 */
const UPPER_FORMS = [
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b), e = COUNT_DISTINCT(a) BY k | WHERE c > 1 AND (d >= 2 OR (e >= 2 AND c < 5) OR e >= 4)",
  // `MAX(f) == MIN(f)`: one distinct value of f in the group (COUNT_DISTINCT(f) == 1).
  "FROM x | STATS hi = MAX(a), lo = MIN(a), c = COUNT(*) BY k | WHERE lo == hi AND c >= 2",
  // `VALUES(f) == v`: the group's only value of f is v.
  'FROM x | STATS v = VALUES(a), c = COUNT(*) BY k | WHERE v == "y" AND c < 4',
  'FROM x | STATS v = VALUES(n), d = COUNT_DISTINCT(a) BY k | WHERE d >= 3 OR v == 1 OR v == 2',
  'FROM x | STATS v = VALUES(a) WHERE b == "x", d = COUNT_DISTINCT(b) BY k | WHERE d >= 2 AND (v == "y" OR d < 3)',
  'FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE c >= 2 AND NOT ((LENGTH(k) <= 1 OR k IN ("k1", "k3")) AND (d >= 2 OR d == 0))',
  // ORs within ANDs within ORs: their disjunctive normal form.
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE (d >= 2 OR c > 3) AND (d < 3 OR c < 2)",
  'FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(b), e = COUNT_DISTINCT(a), v = VALUES(a) BY k | WHERE ((d >= 2 OR v == "y") AND (e >= 2 OR c < 3)) OR (c >= 4 AND (e >= 1 OR d >= 3))',
];

const VALUES = ["x", "y", "yy", "z"] as const;
const event = fc.record({
  a: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  b: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  k: fc.option(fc.constantFrom("k1", "k2"), { nil: undefined }),
  n: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

/**
 * The correlation as Splunk's search over one range (no timespan: one `stats`), as the Splunk
 * target plans it: each rule's search and exact condition, its keys, every further measure.
 */
/** The Splunk searches the oracle ran (a form it cannot run is skipped: checked below that most are not). */
const splunkRuns = new Set<string>();

function splunkSearch(ir: NodeOf<"correlation">): string | undefined {
  const { timespan: _whole, ...q } = ir;
  const rules = q.rules.map((r) => {
    const search = renderSplQuery(r.query);
    const condition = renderSplCondition(r.query);
    assert.equal([...search.issues, ...condition.issues].filter((i) => i.severity === "error"), []);
    return { search: search.search, condition: condition.text, keys: q.groupBy.map((g) => r.aliases?.[g] ?? g) };
  });
  let unsaid = false;
  const further = (m: NonNullable<typeof q.extraMeasures>[number]) => {
    const r = furtherMeasure(m);
    // SPL's printer does not write functions in conditions yet (`LENGTH(k) <= 1`): refused by name.
    const errors = r.issues.filter((i) => i.severity === "error");
    unsaid ||= errors.length > 0;
    assert.equal(errors.filter((i) => i.code !== "splunk/expression"), []);
    return r.measure;
  };
  const plan: CorrelationPlan = {
    type: q.type,
    rules,
    condition: q.condition,
    ...(q.valueField ? { valueField: q.valueField } : {}),
    ...(q.extraMeasures ? { extraMeasures: q.extraMeasures.map(further) } : {}),
    ...(q.anyOf ? { anyOf: q.anyOf.map((set) => set.map(further)) } : {}),
  };
  return unsaid ? undefined : renderSplCorrelation(plan);
}

/** The groups Splunk's search returns over the whole stream (undefined: a form the SPL oracle does not run, such as a key taken from different fields per rule). */
function splunkGroups(ir: NodeOf<"correlation">, spl: string | undefined, events: readonly Record<string, unknown>[]): string[] | undefined {
  if (spl === undefined) return undefined;
  const r = runSplStats(spl, events);
  if (!r.ok) {
    if (ir.rules.some((x) => x.aliases)) return undefined;
    throw new Error(`${spl}\n${r.reason}`);
  }
  splunkRuns.add(spl);
  return r.rows.map((row) => JSON.stringify(ir.groupBy.map((g) => row[g] ?? null))).sort();
}

for (const text of FORMS) {
  test(`the IR read from this alerts on the groups ES|QL returns, and so does its printed form: ${text}`, () => {
    const r = readEsql(text);
    if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable(`not read: ${JSON.stringify(r.ok && r.value.kind === "refused" ? r.value.refusal : r)}`);
    const ir = r.value.query;
    const printed = printEsql(ir, { indices: ["x"], fieldType: (f) => (f === "n" ? "number" : undefined) });
    assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
    assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
    const source = parseEsqlAst(text);
    const again = parseEsqlAst(printed.text);
    if (!source.ok || !again.ok) return assert.unreachable("does not parse");
    const keys = (rows: readonly ReadonlyMap<string, unknown>[]) => esqlGroups(rows, ir.groupBy);
    const splunk = splunkSearch(ir);
    let alerting = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 10 }), (events) => {
        const want = evaluateStream(ir, events);
        if (!want.ok) throw new Error(want.reason);
        const expected = irGroups(want.matches);
        if (expected.length) alerting++;
        for (const q of [source.value, again.value]) {
          const got = runEsql(q, events);
          if (!got.ok) throw new Error(got.reason);
          const actual = keys(got.rows);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new Error(`${q === source.value ? text : printed.text}\nevents ${JSON.stringify(events)}\nIR ${expected.join(" ")}, ES|QL ${actual.join(" ")}`);
          }
        }
        const spl = splunkGroups(ir, splunk, events);
        if (spl !== undefined && JSON.stringify(spl) !== JSON.stringify(expected)) throw new Error(`${splunk}\nevents ${JSON.stringify(events)}\nIR ${expected.join(" ")}, SPL ${spl.join(" ")}`);
      }),
      { ...RUNS, numRuns: 300 },
    );
    assert.ok(alerting > 20, `${alerting} event sets alert`);
  });
}

/** MV_EXPAND before STATS makes a row per value; measures that only ask for one event or more, or count distinct values, are the same. */
const EXPANDED_FORMS = [
  'FROM x | MV_EXPAND t | WHERE t IN ("x", "y") | STATS d = COUNT_DISTINCT(b), e = COUNT_DISTINCT(a) BY k | WHERE d >= 2 OR e >= 2',
  'FROM x | MV_EXPAND t | WHERE t IN ("x", "y") | STATS c = COUNT(*), d = COUNT_DISTINCT(b) BY k | WHERE c > 0 AND d >= 2',
];
const expandedEvent = fc.record({
  t: fc.option(fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  a: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  b: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  k: fc.option(fc.constantFrom("k1", "k2"), { nil: undefined }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

for (const text of EXPANDED_FORMS) {
  test(`after MV_EXPAND, the IR alerts on the groups ES|QL returns: ${text}`, () => {
    assert.ok(checkEsql(text, { release: true }).ok, text);
    const r = readEsql(text);
    if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable(`not read: ${JSON.stringify(r.ok && r.value.kind === "refused" ? r.value.refusal : r)}`);
    const ir = r.value.query;
    const source = parseEsqlAst(text);
    if (!source.ok) return assert.unreachable("does not parse");
    let alerting = 0;
    fc.assert(
      fc.property(fc.array(expandedEvent, { minLength: 1, maxLength: 10 }), (events) => {
        const want = evaluateStream(ir, events);
        if (!want.ok) throw new Error(want.reason);
        const expected = irGroups(want.matches);
        if (expected.length) alerting++;
        const got = runEsql(source.value, events);
        if (!got.ok) throw new Error(got.reason);
        const actual = esqlGroups(got.rows, ir.groupBy);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`events ${JSON.stringify(events)}\nIR ${expected.join(" ")}, ES|QL ${actual.join(" ")}`);
      }),
      { ...RUNS, numRuns: 300 },
    );
    assert.ok(alerting > 20, `${alerting} event sets alert`);
  });
}

for (const text of UPPER_FORMS) {
  test(`printed as ES|QL that returns the groups the source query returns, and read back the same: ${text}`, () => {
    const r = readEsql(text);
    if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") return assert.unreachable(`not read: ${JSON.stringify(r.ok && r.value.kind === "refused" ? r.value.refusal : r)}`);
    const ir = r.value.query;
    assert.ok(ir.anyOf !== undefined || JSON.stringify(ir).includes('"op":"eq"'), "the form reads an OR or an equality");
    const printed = printEsql(ir, { indices: ["x"], fieldType: (f) => (f === "n" ? "number" : undefined) });
    assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
    assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
    const back = readEsql(printed.text);
    // The rules' queries come back with `k IS NOT NULL`, which the printer adds for ES|QL's NULL group.
    const strip = (x: unknown) => JSON.stringify(x, (k, v: unknown) => (k === "span" || k === "rules" ? undefined : v));
    assert.ok(back.ok && back.value.kind === "ir", printed.text);
    if (back.ok && back.value.kind === "ir") assert.is(strip(back.value.query), strip(ir), printed.text);
    const source = parseEsqlAst(text);
    const again = parseEsqlAst(printed.text);
    if (!source.ok || !again.ok) return assert.unreachable("does not parse");
    const keys = (rows: readonly ReadonlyMap<string, unknown>[]) => esqlGroups(rows, ir.groupBy);
    const splunk = splunkSearch(ir);
    let alerting = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 10 }), (events) => {
        const [want, got] = [runEsql(source.value, events), runEsql(again.value, events)];
        if (!want.ok || !got.ok) throw new Error(want.ok ? (got.ok ? "" : got.reason) : want.reason);
        if (keys(want.rows).length) alerting++;
        if (JSON.stringify(keys(want.rows)) !== JSON.stringify(keys(got.rows))) {
          throw new Error(`${printed.text}\nevents ${JSON.stringify(events)}\nsource ${keys(want.rows).join(" ")}, printed ${keys(got.rows).join(" ")}`);
        }
        const spl = splunkGroups(ir, splunk, events);
        if (spl !== undefined && JSON.stringify(spl) !== JSON.stringify(keys(want.rows))) throw new Error(`${splunk}\nevents ${JSON.stringify(events)}\nsource ${keys(want.rows).join(" ")}, SPL ${spl.join(" ")}`);
      }),
      { ...RUNS, numRuns: 300 },
    );
    assert.ok(alerting > 20, `${alerting} event sets alert`);
  });
}

test("Splunk's searches were run for the forms above", () => {
  // Skipped: keys from different fields per rule (an eval the oracle does not run), and bounds on LENGTH.
  assert.ok(splunkRuns.size >= FORMS.length + UPPER_FORMS.length - 5, `${splunkRuns.size} run`);
});

test.run();
