import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../../src/diagnostics/diagnostic.js";
import { parseQuery } from "../../../src/query/parse-query.js";
import { readElasticToml } from "../../../src/sources/elastic/index.js";

const BASE = `[metadata]
creation_date = "2020/02/18"
integration = ["endpoint"]
maturity = "production"
updated_date = "2024/05/21"
min_stack_version = "8.13.0"

[rule]
author = ["Elastic"]
description = """
Two lines
of description.
"""
from = "now-9m"
index = ["logs-endpoint.events.*"]
language = "kuery"
license = "Elastic License v2"
name = "Test Rule"
risk_score = 47
rule_id = "00000000-1111-2222-3333-444444444444"
severity = "medium"
tags = ["OS: Windows"]
timestamp_override = "event.ingested"
type = "query"

query = '''
process.name:cmd.exe and
  process.args:"/c"
'''
`;

const THREAT = `
[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1059"
name = "Command and Scripting Interpreter"
reference = "https://attack.mitre.org/techniques/T1059/"
[[rule.threat.technique.subtechnique]]
id = "T1059.001"
name = "PowerShell"
reference = "https://attack.mitre.org/techniques/T1059/001/"

[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"
`;

function one(text: string) {
  const r = readElasticToml("r.toml", text);
  assert.equal(r.diagnostics.map(formatDiagnostic), []);
  assert.is(r.rules.length, 1);
  return r.rules[0]!;
}

function errors(text: string): string[] {
  const r = readElasticToml("r.toml", text);
  assert.is(r.rules.length, 0, "a rule with an error is not returned");
  return r.diagnostics.map(formatDiagnostic);
}

test("[rule] keys map to Rule fields; TOML has no version, so 1", () => {
  const rule = one(BASE);
  assert.is(rule.id, "00000000-1111-2222-3333-444444444444");
  assert.is(rule.name, "Test Rule");
  assert.is(rule.description, "Two lines\nof description.\n");
  assert.is(rule.type, "query");
  assert.is(rule.language, "kuery");
  assert.is(rule.taxonomy, "ecs");
  assert.equal(rule.index, ["logs-endpoint.events.*"]);
  assert.is(rule.severity, "medium");
  assert.is(rule.riskScore, 47);
  assert.equal(rule.schedule, { interval: { value: 5, unit: "m" }, from: "now-9m", to: "now" });
  assert.is(rule.maxSignals, 100);
  assert.is(rule.enabled, false, "Kibana installs a rule without `enabled` disabled");
  assert.is(rule.version, 1);
  assert.equal(rule.authors, ["Elastic"]);
  assert.is(rule.license, "Elastic License v2");
  assert.is(rule.queryText, 'process.name:cmd.exe and\n  process.args:"/c"\n');
  assert.is(rule.query.kind, "and");
  assert.equal(rule.source, { file: "r.toml", format: "elastic-toml", line: 8, queryLine: 27, queryCol: 1 });
});

test("[metadata]: dates become YYYY-MM-DD, the rest is kept under custom.metadata", () => {
  const rule = one(BASE);
  assert.is(rule.date, "2020-02-18");
  assert.is(rule.modified, "2024-05-21");
  assert.equal(rule.custom["metadata"], { integration: ["endpoint"], maturity: "production", min_stack_version: "8.13.0" });
  assert.equal(rule.custom["timestamp_override"], "event.ingested");
  assert.equal(Object.keys(rule.custom), ["metadata", "timestamp_override"], "metadata first, then [rule] keys in source order");
});

test("[[rule.threat]] with technique and subtechnique", () => {
  const rule = one(BASE + THREAT);
  assert.equal(rule.threat, [
    {
      framework: "MITRE ATT&CK",
      tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
      techniques: [
        {
          id: "T1059",
          name: "Command and Scripting Interpreter",
          reference: "https://attack.mitre.org/techniques/T1059/",
          subtechniques: [{ id: "T1059.001", name: "PowerShell", reference: "https://attack.mitre.org/techniques/T1059/001/" }],
        },
      ],
    },
  ]);
});

test("[rule.threshold] with cardinality; a single field string becomes a list", () => {
  const text = BASE.replace('type = "query"', 'type = "threshold"') + `
[rule.threshold]
field = "host.id"
value = 25
[[rule.threshold.cardinality]]
field = "user.name"
value = 3
`;
  const rule = one(text);
  assert.is(rule.type, "threshold");
  // One form: a count correlation over the rule's events, counted over each run's look-back.
  const events = parseQuery("kuery", rule.queryText);
  assert.ok(events.ok);
  assert.equal(rule.query, {
    kind: "correlation",
    type: "value_count",
    rules: [{ name: "test_rule_events", query: events.ok ? events.value : undefined }],
    groupBy: ["host.id"],
    condition: [{ op: "gte", value: 3 }],
    valueField: "user.name",
    minEvents: 25,
  });
  const many = readElasticToml("m.toml", text + `[[rule.threshold.cardinality]]\nfield = "host.name"\nvalue = 2\n`);
  assert.equal(many.rules, []);
  assert.equal(many.diagnostics.map((d) => d.code), ["elastic/threshold-cardinality"]);
});

test("[rule.new_terms] wrapper becomes new_terms_fields and history_window_start", () => {
  const text = BASE.replace('type = "query"', 'type = "new_terms"') + `
[rule.new_terms]
field = "new_terms_fields"
value = ["host.id", "user.name"]
[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-14d"
`;
  const rule = one(text);
  assert.is(rule.type, "new_terms");
  assert.equal(rule.custom["new_terms_fields"], ["host.id", "user.name"]);
  assert.is(rule.custom["history_window_start"], "now-14d");
  assert.not.ok("new_terms" in rule.custom);
});

test("keys without a Rule field and [transform] are kept in custom, never dropped", () => {
  const text = BASE.replace('[rule]\n', `[rule]
building_block_type = "default"
setup = "Install the integration."
note = "## Triage"
interval = "10m"
max_signals = 1000
enabled = true
`) + `
[rule.alert_suppression]
group_by = ["host.name"]
missing_fields_strategy = "suppress"
[rule.alert_suppression.duration]
unit = "h"
value = 1

[rule.investigation_fields]
field_names = ["process.name"]

[[rule.filters]]
[rule.filters.meta]
negate = true
[rule.filters.query.match_phrase]
"user.name" = "SYSTEM"

[[rule.risk_score_mapping]]
field = "event.risk_score"
operator = "equals"
value = ""

[transform]
[[transform.osquery]]
label = "Osquery - Retrieve DNS Cache"
query = "SELECT * FROM dns_cache"
`;
  const rule = one(text);
  assert.is(rule.setup, "Install the integration.");
  assert.is(rule.note, "## Triage");
  assert.equal(rule.schedule.interval, { value: 10, unit: "m" });
  assert.is(rule.maxSignals, 1000);
  assert.is(rule.enabled, true);
  assert.is(rule.custom["building_block_type"], "default");
  assert.equal(rule.custom["alert_suppression"], { group_by: ["host.name"], missing_fields_strategy: "suppress", duration: { unit: "h", value: 1 } });
  assert.equal(rule.custom["investigation_fields"], { field_names: ["process.name"] });
  assert.equal(rule.custom["filters"], [{ meta: { negate: true }, query: { match_phrase: { "user.name": "SYSTEM" } } }]);
  assert.equal(rule.custom["risk_score_mapping"], [{ field: "event.risk_score", operator: "equals", value: "" }]);
  assert.equal(rule.custom["transform"], { osquery: [{ label: "Osquery - Retrieve DNS Cache", query: "SELECT * FROM dns_cache" }] });
  assert.is(rule.source.queryLine, 33, "the osquery `query =` under [transform] is not the rule's query");
});

test("EQL is parsed; ES|QL and Lucene stay opaque text; machine_learning has no query", () => {
  const eql = one(BASE.replace('language = "kuery"', 'language = "eql"').replace('type = "query"', 'type = "eql"').replace(/query = '''[\s\S]*?'''/, `query = '''
sequence by host.id [process where true] [network where true]
'''`));
  assert.is(eql.query.kind, "sequence");
  const esql = one(BASE.replace('language = "kuery"', 'language = "esql"').replace('type = "query"', 'type = "esql"').replace(/query = '''[\s\S]*?'''/, `query = '''
from logs-* | where x > 1
'''`));
  assert.equal(esql.query, { kind: "opaque", language: "esql", text: "from logs-* | where x > 1\n", span: { start: 0, end: 26 } });
  const lucene = one(BASE.replace('language = "kuery"', 'language = "lucene"'));
  assert.is(lucene.query.kind, "opaque");
  const ml = one(
    BASE.replace('language = "kuery"\n', "").replace('type = "query"', 'type = "machine_learning"\nanomaly_threshold = 50\nmachine_learning_job_id = ["v3_rare_process"]').replace(/query = '''[\s\S]*?'''/, ""),
  );
  assert.is(ml.type, "machine_learning");
  assert.equal(ml.query, { kind: "opaque", language: "machine_learning", text: "" });
  assert.equal(ml.custom["machine_learning_job_id"], ["v3_rare_process"]);
});

test("a TOML syntax error reports the line and column smol-toml gives", () => {
  assert.equal(errors('[rule]\nname = "x"\nrisk_score = = 3\n'), [
    "r.toml:3:14: error elastic/toml-syntax: invalid value (hint: fix the TOML syntax)",
  ]);
});

test("a KQL error points into the multi-line query in the file", () => {
  const lines = errors(BASE.replace('  process.args:"/c"', '  process.args:"/c" )'));
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /^r\.toml:28:21: error kql\/unexpected-token: /);
});

test("an EQL error points into the query in the file", () => {
  const text = BASE.replace('language = "kuery"', 'language = "eql"').replace('type = "query"', 'type = "eql"').replace(/query = '''[\s\S]*?'''/, `query = '''
process where
  process.name == "a" and )
'''`);
  const lines = errors(text);
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /^r\.toml:28:27: error eql\/unexpected-token: /);
});

test("an unknown rule type is an error at the `type` key", () => {
  assert.equal(errors(BASE.replace('type = "query"', 'type = "magic"')), [
    "r.toml:24:1: error elastic/unknown-rule-type: rule type `magic` is not known [rule 00000000-1111-2222-3333-444444444444] (hint: known types: query, eql, threshold, esql, new_terms, threat_match, machine_learning, saved_query)",
  ]);
});

test("missing and invalid required keys are named", () => {
  assert.equal(errors(BASE.replace('severity = "medium"\n', 'severity = "urgent"\n').replace('name = "Test Rule"\n', "")), [
    "r.toml:8:1: error elastic/missing-field: required field `name` is missing [rule 00000000-1111-2222-3333-444444444444]",
    "r.toml:20:1: error elastic/invalid-value: `severity` must be one of low, medium, high, critical [rule 00000000-1111-2222-3333-444444444444]",
  ]);
  assert.equal(errors(BASE.replace("risk_score = 47", "risk_score = 470")), [
    "r.toml:19:1: error elastic/invalid-value: `risk_score` must be an integer from 0 to 100 [rule 00000000-1111-2222-3333-444444444444]",
  ]);
});

test("a file without [rule] is not a rule", () => {
  assert.equal(errors('[metadata]\ncreation_date = "2020/01/01"\n'), ["r.toml:1:1: error elastic/not-a-rule: no `[rule]` table: not a detection-rules file"]);
});

test.run();
