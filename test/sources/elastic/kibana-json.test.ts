import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../../src/diagnostics/diagnostic.js";
import { readElasticJson, readKibanaNdjson } from "../../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../../src/sources/native/read-native-rule.js";
import { elasticTarget } from "../../../src/targets/elastic/index.js";
import { testContext } from "../../helpers/convert-fixture.js";

const RULE = {
  id: "6f1a2c3e-0000-4000-8000-000000000001",
  rule_id: "11111111-2222-3333-4444-555555555555",
  name: "Encoded PowerShell",
  description: "Detects encoded commands.",
  type: "query",
  language: "kuery",
  query: 'process.name:"powershell.exe" and process.args:"-enc"',
  index: ["logs-endpoint.events.*"],
  severity: "high",
  risk_score: 73,
  interval: "5m",
  from: "now-9m",
  to: "now",
  max_signals: 100,
  enabled: true,
  version: 3,
  revision: 7,
  immutable: false,
  created_at: "2024-01-01T00:00:00.000Z",
  created_by: "elastic",
  updated_at: "2024-01-02T00:00:00.000Z",
  updated_by: "elastic",
  rule_source: { type: "internal" },
  execution_summary: { last_execution: { status: "succeeded" } },
  tags: ["OS: Windows"],
  author: ["Elastic"],
  false_positives: [],
  references: [],
  threat: [
    {
      framework: "MITRE ATT&CK",
      tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
      technique: [],
    },
  ],
  timestamp_override: "event.ingested",
  related_integrations: [{ package: "endpoint", version: "^8.2.0" }],
  required_fields: [{ name: "process.name", type: "keyword", ecs: true }],
  exceptions_list: [],
};

const SUMMARY = { exported_count: 1, exported_rules_count: 1, missing_rules: [], missing_rules_count: 0 };
const EXCEPTION_LIST = { list_id: "endpoint_list", type: "endpoint", name: "Endpoint", namespace_type: "agnostic" };
const CONNECTOR = { id: "c1", type: "action", attributes: { actionTypeId: ".slack" } };

const lines = (...xs: unknown[]) => xs.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join("\n") + "\n";

test("ndjson: one rule per line; response-only keys dropped, the rest of the unknown keys kept in custom", () => {
  const r = readKibanaNdjson("export.ndjson", lines(RULE, "", SUMMARY));
  assert.equal(r.diagnostics, []);
  assert.is(r.rules.length, 1);
  const rule = r.rules[0]!;
  assert.is(rule.id, RULE.rule_id);
  assert.is(rule.version, 3);
  assert.is(rule.enabled, true);
  assert.is(rule.query.kind, "and");
  assert.equal(rule.threat[0]!.techniques, []);
  assert.equal(Object.keys(rule.custom), ["timestamp_override", "related_integrations", "required_fields", "exceptions_list"]);
  for (const k of ["id", "revision", "immutable", "created_at", "updated_by", "rule_source", "execution_summary"]) assert.not.ok(k in rule.custom, k);
  const queryCol = lines(RULE).indexOf('"query":"') + '"query":"'.length + 1;
  assert.equal(rule.source, { file: "export.ndjson", format: "elastic-ndjson", line: 1, queryLine: 1, queryCol });
  assert.is(lines(RULE).slice(queryCol - 1, queryCol - 1 + 12), "process.name");
});

test("ndjson: exception lists and connectors are skipped with an info; bad lines are errors, the rest still read", () => {
  const r = readKibanaNdjson("export.ndjson", lines(EXCEPTION_LIST, "{not json", RULE, [1, 2], CONNECTOR, { foo: 1 }, SUMMARY));
  assert.is(r.rules.length, 1);
  assert.is(r.rules[0]!.source.line, 3);
  // The JSON parser's own words differ between Node releases: only the place is checked for line 2.
  assert.equal(r.diagnostics.map((d) => [d.code, d.line, d.col]).slice(1, 2), [["elastic/json-syntax", 2, 2]]);
  assert.equal(r.diagnostics.filter((d) => d.line !== 2).map(formatDiagnostic), [
    "export.ndjson:1:1: info elastic/skipped: skipped: exception list, not a rule",
    "export.ndjson:4:1: error elastic/not-a-rule: expected a JSON object (one rule)",
    "export.ndjson:5:1: info elastic/skipped: skipped: action connector, not a rule",
    "export.ndjson:6:1: error elastic/not-a-rule: not a rule: no `rule_id`, `type` or `name`",
  ]);
});

test("ndjson: a query error is placed on the rule's line, at the column inside the JSON string", () => {
  const bad = { ...RULE, query: 'process.name:"a\\"b" and )' };
  const text = lines(SUMMARY, bad);
  const r = readKibanaNdjson("export.ndjson", text);
  assert.is(r.rules.length, 0);
  assert.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  assert.is(d.code, "kql/unexpected-token");
  assert.is(d.line, 2);
  assert.is(d.ruleId, RULE.rule_id);
  // The `)` in the file, past the escaped quotes: the escapes are counted.
  assert.is(text.split("\n")[1]![d.col! - 1], ")");
});

test("json: unknown type is an error naming the type; machine_learning is read", () => {
  const r = readElasticJson("r.json", JSON.stringify({ ...RULE, type: "magic" }, null, 2));
  assert.equal(r.diagnostics.map(formatDiagnostic), [
    `r.json:6:3: error elastic/unknown-rule-type: rule type \`magic\` is not known [rule ${RULE.rule_id}] (hint: known types: query, eql, threshold, esql, new_terms, threat_match, machine_learning, saved_query)`,
  ]);
  const ml = { ...RULE, type: "machine_learning", anomaly_threshold: 75, machine_learning_job_id: ["job"] } as Record<string, unknown>;
  delete ml["query"];
  delete ml["language"];
  const m = readElasticJson("ml.json", JSON.stringify(ml));
  assert.equal(m.diagnostics, []);
  assert.is(m.rules[0]!.type, "machine_learning");
  assert.equal(m.rules[0]!.custom["machine_learning_job_id"], ["job"]);
});

test("json: a `meta` that rulecast did not write is kept as custom.meta", () => {
  const r = readElasticJson("r.json", JSON.stringify({ ...RULE, meta: { from: "1m", kibana_siem_app_url: "x" } }));
  assert.equal(r.rules[0]!.custom["meta"], { from: "1m", kibana_siem_app_url: "x" });
});

test("json: rulecast's own Elastic output reads back releases, history, dates and custom from `meta`", () => {
  const path = "rules/psexec_network_connection.yaml";
  const seed = readNativeRuleFile(path, readFileSync(path, "utf8")).rules[0]!;
  const rule = { ...seed, date: "2020-02-18", modified: "2020-11-01", status: "stable" as const, custom: { maturity: "production", nested: { a: [1, 2] } } };
  const out = elasticTarget.renderRule(rule, testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const back = readElasticJson("out/elastic/x.json", out.files[0]!.content);
  assert.equal(back.diagnostics, []);
  const r = back.rules[0]!;
  assert.is(r.id, seed.id);
  assert.is(r.version, seed.version);
  assert.is(r.added, seed.added);
  assert.is(r.lastModified, seed.lastModified);
  assert.equal(r.history, seed.history);
  assert.is(r.date, "2020-02-18");
  assert.is(r.modified, "2020-11-01");
  assert.is(r.status, "stable");
  assert.equal(r.custom, rule.custom);
  assert.equal(r.threat, seed.threat);
  assert.equal(r.falsePositives, seed.falsePositives);
  assert.is(r.query.kind, "sequence");
});

test("json: not JSON, or JSON that is no rule, is an error", () => {
  assert.equal(readElasticJson("r.json", "{\n  \"a\": 1,\n}").diagnostics.map((d) => [d.code, d.line]), [["elastic/json-syntax", 3]]);
  assert.equal(readElasticJson("r.json", "[]").diagnostics.map((d) => d.code), ["elastic/not-a-rule"]);
});

test.run();
