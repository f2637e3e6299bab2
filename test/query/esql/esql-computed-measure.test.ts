/**
 * `COUNT_DISTINCT(TO_LOWER(f))` and `COUNT_DISTINCT(COALESCE(a, b))`: a distinct count of a value
 * computed from fields, read as an extra measure that counts lower-cased values or falls back on
 * other fields (never the correlation's own measure). The IR's evaluator alerts on the groups the
 * ES|QL query returns, and so does the printed query; Sigma and Elastic refuse it by name (an extra
 * measure), and Splunk too (`splunk/computed-measure`).
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { NodeOf } from "../../../src/ir/query.js";
import { runEsql } from "../../../src/eval/esql-run.js";
import { evaluateStream } from "../../../src/eval/stream.js";
import { convertRule } from "../../../src/pipeline/convert.js";
import { readRules } from "../../../src/pipeline/read-rules.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { stripSpans } from "../eql/strip-spans.js";
import { testContext } from "../../helpers/convert-fixture.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { RUNS } from "../../properties/arbitraries.js";
import { esqlGroups, irGroups } from "../../helpers/esql-groups.js";

function correlation(text: string): NodeOf<"correlation"> {
  const r = readEsql(text);
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") throw new Error(`not read: ${JSON.stringify(r.ok && r.value.kind === "refused" ? r.value.refusal : r)}`);
  return stripSpans(r.value.query) as NodeOf<"correlation">;
}

test("read: an extra value_count of lower-cased values, or of the first field that has one", () => {
  const lower = correlation("FROM x | EVAL l = TO_LOWER(url.original) | STATS c = COUNT(*), d = COUNT_DISTINCT(l) BY ip | WHERE c > 5 AND d > 2");
  assert.equal([lower.type, lower.condition], ["event_count", [{ op: "gt", value: 5 }]]);
  assert.equal(lower.extraMeasures, [{ type: "value_count", condition: [{ op: "gt", value: 2 }], valueField: "url.original", valueLowerCased: true }]);
  // Alone, it is still an extra measure: the correlation's own is "one event or more".
  const alone = correlation('FROM x | EVAL u = COALESCE(JSON_EXTRACT(_source, "a.user"), b.user) | STATS d = COUNT_DISTINCT(u) BY ip | WHERE d >= 20');
  assert.equal([alone.type, alone.condition], ["event_count", [{ op: "gte", value: 1 }]]);
  assert.equal(alone.extraMeasures, [{ type: "value_count", condition: [{ op: "gte", value: 20 }], valueField: "a.user", valueFallbacks: ["b.user"] }]);
  const both = correlation("FROM x | STATS d = COUNT_DISTINCT(TO_LOWER(COALESCE(a, b, c))) BY k | WHERE d >= 2");
  assert.equal(both.extraMeasures, [{ type: "value_count", condition: [{ op: "gte", value: 2 }], valueField: "a", valueFallbacks: ["b", "c"], valueLowerCased: true }]);
});

test("still refused: TO_UPPER (ß and ss are one value upper-cased), COALESCE of a computed value, SUM of either", () => {
  for (const q of [
    "FROM x | STATS d = COUNT_DISTINCT(TO_UPPER(a)) BY k | WHERE d >= 2",
    "FROM x | STATS d = COUNT_DISTINCT(COALESCE(a, TO_LOWER(b))) BY k | WHERE d >= 2",
    "FROM x | STATS d = COUNT_DISTINCT(TO_LOWER(TO_LOWER(a))) BY k | WHERE d >= 2",
    "FROM x | STATS s = SUM(COALESCE(a, b)) BY k | WHERE s >= 2",
  ]) {
    const r = readEsql(q);
    assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/computed-field", `${q}: ${JSON.stringify(r.ok && r.value.kind === "refused" ? r.value.refusal : "read")}`);
  }
});

const FORMS = [
  "FROM x | STATS c = COUNT(*), d = COUNT_DISTINCT(TO_LOWER(a)) BY k | WHERE c >= 2 AND d >= 2",
  "FROM x | EVAL u = COALESCE(a, b) | STATS d = COUNT_DISTINCT(u) BY k | WHERE d >= 2",
  'FROM x | WHERE k != "k2" | STATS d = COUNT_DISTINCT(TO_LOWER(COALESCE(a, b))), e = COUNT_DISTINCT(b) BY k | WHERE d >= 3 OR e >= 2',
  'FROM x | STATS d = COUNT_DISTINCT(TO_LOWER(a)) WHERE b IS NOT NULL, c = COUNT(*) BY k | WHERE d >= 2 AND c >= 2',
];

const VALUES = ["x", "X", "y", "Y", "ǅ", "ǆ", "ς", "Σ", "İ"] as const;
const event = fc.record({
  a: fc.option(fc.oneof(fc.constantFrom(...VALUES), fc.array(fc.constantFrom(...VALUES), { minLength: 2, maxLength: 3 })), { nil: undefined }),
  b: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  k: fc.option(fc.constantFrom("k1", "k2"), { nil: undefined }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

for (const text of FORMS) {
  test(`the IR read alerts on the groups ES|QL returns, and so does its printed form: ${text}`, () => {
    const ir = correlation(text);
    const printed = printEsql(ir, { indices: ["x"] });
    assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
    assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
    const back = readEsql(printed.text);
    assert.ok(back.ok && back.value.kind === "ir", printed.text);
    if (back.ok && back.value.kind === "ir") assert.equal((stripSpans(back.value.query) as NodeOf<"correlation">).extraMeasures, ir.extraMeasures ?? (ir.anyOf ? undefined : []));
    const source = parseEsqlAst(text);
    const again = parseEsqlAst(printed.text);
    if (!source.ok || !again.ok) return assert.unreachable("does not parse");
    const keys = (rows: readonly ReadonlyMap<string, unknown>[]) => esqlGroups(rows, ir.groupBy);
    let alerting = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), (events) => {
        const want = evaluateStream(ir, events);
        if (!want.ok) throw new Error(want.reason);
        const expected = irGroups(want.matches);
        if (expected.length) alerting++;
        for (const q of [source.value, again.value]) {
          const got = runEsql(q, events);
          if (!got.ok) throw new Error(got.reason);
          const actual = keys(got.rows);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${q === source.value ? text : printed.text}\nevents ${JSON.stringify(events)}\nIR ${expected.join(" ")}, ES|QL ${actual.join(" ")}`);
        }
      }),
      { ...RUNS, numRuns: 300 },
    );
    assert.ok(alerting > 20, `${alerting} event sets alert`);
  });
}

test("Sigma and Elastic refuse it as an extra measure, Splunk as a computed one, each by name", () => {
  const file = "rules/psexec_network_connection.yaml";
  const [rule] = readRules([{ path: file, text: readFileSync(file, "utf8") }]).rules;
  if (!rule) return assert.unreachable("no rule");
  for (const [text, what] of [
    ['FROM logs-* | WHERE process.name == "psexec.exe" | STATS d = COUNT_DISTINCT(TO_LOWER(user.name)) BY host.name | WHERE d >= 2', "lower-cased values"],
    ['FROM logs-* | WHERE process.name == "psexec.exe" | STATS d = COUNT_DISTINCT(COALESCE(source.ip, destination.ip)) BY host.name | WHERE d >= 2', "the first of several fields"],
  ] as const) {
    const query = { ...correlation(text), timespan: { value: 10, unit: "m" as const } };
    const result = convertRule({ ...rule, type: "query", language: "kuery", query, index: ["logs-*"] }, ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "auto" }));
    assert.equal(result.outcome.converted, []);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
    assert.equal(errors.map((e) => e.split(":")[0]), ["sigma/several-measures", "splunk/computed-measure", "elastic/correlation"], errors.join("\n"));
    assert.match(errors[1]!, what);
  }
});

test.run();
