/**
 * Sigma 2.1 value_sum / value_avg correlations: Splunk adds up or averages the field over the
 * window; Elastic has no rule type that aggregates a field, so it refuses the rule by name.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
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
  assert.match(conf, "dispatch.earliest_time = -15m");
});

test("Elastic refuses value_sum and value_avg by name, and only for Elastic", () => {
  for (const type of ["value_sum", "value_avg"]) {
    const r = convert(type, "gte");
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    assert.equal(errors.map((d) => d.code), ["elastic/correlation"], type);
    assert.match(errors[0]!.message, `a ${type} correlation has no Elastic form`);
    const outcome = r.outcomes.find((o) => o.rule.name === "Measured")!;
    assert.equal([outcome.converted, outcome.failed], [["splunk"], ["elastic"]]);
  }
});

test.run();
