/**
 * A correlation with extra measures (ES|QL `STATS c = COUNT(*), d = COUNT_DISTINCT(f) … | WHERE c
 * >= 5 AND d >= 2`): the targets whose correlation bounds one measure refuse it by name, since
 * dropping a bound would alert on other groups; the ES|QL printer writes every bound.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule } from "../../../src/pipeline/convert.js";
import { readRules } from "../../../src/pipeline/read-rules.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { testContext } from "../../helpers/convert-fixture.js";
import { checkEsql } from "../../helpers/esql-oracle.js";

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

test("Sigma, Splunk and Elastic refuse it by name", () => {
  const file = "rules/psexec_network_connection.yaml";
  const [rule] = readRules([{ path: file, text: readFileSync(file, "utf8") }]).rules;
  if (!rule) return assert.unreachable("no rule");
  const { query, indices } = reading();
  const result = convertRule({ ...rule, type: "query", language: "kuery", query, index: [...indices] }, ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "auto" }));
  assert.equal(result.outcome.converted, []);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  assert.equal(errors, [
    "sigma/several-measures: sigma: a Sigma correlation bounds one measure; this one also bounds value_count",
    "splunk/several-measures: splunk: the correlation search bounds one measure; this one also bounds value_count",
    "elastic/correlation: elastic: the correlation also bounds value_count; Elastic's threshold and EQL forms bound one measure",
  ]);
});

test.run();
