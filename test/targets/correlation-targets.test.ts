/**
 * Correlations where the targets differ from the IR's reading and must say so: Sigma 2.1
 * value_sum / value_avg (Splunk adds up or averages the field over the window; Elastic has no rule
 * type that aggregates a field, so it refuses the rule by name), and temporal_ordered conditions a
 * sequence cannot say.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { checkEsql } from "../helpers/esql-oracle.js";
import { testContext } from "../helpers/convert-fixture.js";

const text = (type: string, op: string) => `title: Failed logon
id: 3e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
status: test
logsource: {product: windows, service: security}
detection:
    selection: {EventID: 4625}
    condition: selection
level: low
---
title: Measured
id: 3e95725d-7320-415d-80f7-004da920fc12
status: test
correlation:
    type: ${type}
    rules: [failed_logon]
    group-by: [TargetUserName]
    timespan: 10m
    condition: {${op}: 50, field: SubjectLogonId}
level: high
`;

function convert(type: string, op: string) {
  const read = readRules([{ path: "c.yml", text: text(type, op) }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  return convertRules(read.rules, ["splunk", "elastic"], testContext());
}

test("Splunk: a sliding sum or mean for gt/gte, fixed whole windows otherwise; look-back covers the window", () => {
  const spl = (type: string, op: string) => convert(type, op).files.find((f) => f.path === "measured.spl")?.content ?? "";
  assert.match(spl("value_sum", "gte"), "| streamstats time_window=10m sum(SubjectLogonId) as rc_count by TargetUserName\n| where rc_count>=50");
  assert.match(spl("value_avg", "gt"), "| streamstats time_window=10m avg(SubjectLogonId) as rc_count by TargetUserName\n| where rc_count>50");
  assert.match(spl("value_avg", "lt"), "| stats avg(SubjectLogonId) as rc_count by _time, TargetUserName\n| where rc_count<50");
  const conf = convert("value_sum", "gte").files.find((f) => f.path === "savedsearches.conf")?.content ?? "";
  // interval 5m + timespan 10m + ingestion lag 10m
  assert.match(conf, "dispatch.earliest_time = -25m@m\ndispatch.latest_time = -10m@m");
});

test("Elastic writes value_sum and value_avg as ES|QL rules (STATS over the look-back) with an info line (issue 18)", () => {
  for (const type of ["value_sum", "value_avg"]) {
    const r = convert(type, "gte");
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), [], type);
    const info = r.diagnostics.find((d) => d.code === "elastic/esql-instead");
    assert.ok(info, type);
    assert.match(info.message, `a ${type} correlation is no threshold rule`);
    const outcome = r.outcomes.find((o) => o.rule.name === "Measured")!;
    assert.equal([outcome.converted, outcome.failed], [["splunk", "elastic"], []]);
    const rule = JSON.parse(r.files.find((f) => f.path === "measured.json")!.content) as { type: string; query: string; from: string };
    assert.is(rule.type, "esql");
    assert.is(rule.from, "now-10m");
    const measure = type === "value_sum" ? "Esql.value_sum = COALESCE(SUM(TO_DOUBLE(winlog.event_data.SubjectLogonId)), 0)" : "Esql.value_avg = AVG(TO_DOUBLE(winlog.event_data.SubjectLogonId))";
    assert.match(rule.query, `| STATS ${measure} BY winlog.event_data.TargetUserName\n| WHERE Esql.${type} >= 50`);
    assert.ok(checkEsql(rule.query, { release: true }).ok, rule.query);
  }
});

test("temporal_ordered: a condition short of all rules in order is refused by both targets, never written as a sequence", () => {
  const ordered = (condition: string) => `${text("event_count", "gte").split("---")[0]}---
title: Ordered
id: 3e95725d-7320-415d-80f7-004da920fc19
name: ordered
status: test
logsource: {product: windows, service: security}
detection: {selection: {EventID: 4624}, condition: selection}
level: low
---
title: In order
id: 3e95725d-7320-415d-80f7-004da920fc20
status: test
correlation: {type: temporal_ordered, rules: [failed_logon, ordered], group-by: [TargetUserName], timespan: 10m${condition}}
level: high
`;
  const run = (condition: string) => {
    const read = readRules([{ path: "o.yml", text: ordered(condition) }]);
    return convertRules(read.rules, ["splunk", "elastic"], testContext()).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  };
  assert.equal(run(""), [], "the default condition is all rules");
  assert.equal(run(", condition: {eq: 2}"), []);
  const partial = run(", condition: {gte: 1}");
  assert.equal(partial.map((e) => e.split(":")[0]), ["splunk/correlation", "elastic/correlation"]);
  assert.match(partial[0]!, "also holds for 1 of the 2 rules in order");
  assert.match(run(", condition: {gt: 2}")[0]!, "never holds for 2 rules in order");
});

test("Elastic thresholds group by the aliased fields when every rule names the same one, and refuse otherwise", () => {
  const aliased = (netField: string) => `title: P
id: 9e95725d-7320-415d-80f7-004da920fc11
name: p
logsource: {product: windows, category: process_creation}
detection: {sel: {Image|endswith: '\\whoami.exe'}, condition: sel}
level: low
---
title: N
id: 9e95725d-7320-415d-80f7-004da920fc12
name: n
logsource: {product: windows, category: network_connection}
detection: {sel: {DestinationPort: 4444}, condition: sel}
level: low
---
title: Both
id: 9e95725d-7320-415d-80f7-004da920fc13
level: high
correlation:
    type: event_count
    rules: [p, n]
    group-by: [host]
    aliases:
        host: {p: Computer, n: ${netField}}
    timespan: 10m
    condition: {gte: 2}
`;
  const run = (netField: string) => convertRules(readRules([{ path: "a.yml", text: aliased(netField) }]).rules, ["elastic"], testContext());
  const same = run("Computer");
  const rule = JSON.parse(same.files.find((f) => f.path === "both.json")!.content) as { threshold: unknown };
  assert.equal(rule.threshold, { field: ["host.name"], value: 2 });
  // Not one field for every rule: no threshold, but an ES|QL rule whose group key is a CASE (issue 18).
  const differ = run("SourceHostname");
  assert.equal(differ.diagnostics.filter((d) => d.severity === "error"), []);
  assert.match(differ.diagnostics.find((d) => d.code === "elastic/esql-instead")!.message, "`host` is `host.name` or `source.domain` depending on the rule");
  const esql = JSON.parse(differ.files.find((f) => f.path === "both.json")!.content) as { type: string; query: string };
  assert.is(esql.type, "esql");
  assert.match(esql.query, "| EVAL host = CASE(");
  assert.ok(checkEsql(esql.query, { release: true }).ok, esql.query);
});

test.run();
