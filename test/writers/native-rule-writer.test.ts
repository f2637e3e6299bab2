import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { changedFields } from "../../src/targets/native/index.js";
import { countThreshold } from "../../src/ir/count-threshold.js";
import type { NodeOf } from "../../src/ir/query.js";
import type { Rule } from "../../src/ir/rule.js";
import { readElasticToml } from "../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";
import { ruleSchema } from "../../src/sources/native/rule-schema.js";
import { writeNativeRule } from "../../src/targets/native/native-rule-writer.js";

const SEEDS = ["rules/psexec_network_connection.yaml", "rules/unusual_process_network_connection.yaml"];

function readSeed(path: string): Rule {
  const r = readNativeRuleFile(path, readFileSync(path, "utf8"));
  assert.equal(r.diagnostics, []);
  return r.rules[0]!;
}

function roundTrip(rule: Rule): Rule {
  const back = readNativeRuleFile("back.yaml", writeNativeRule(rule));
  assert.equal(back.diagnostics, []);
  return back.rules[0]!;
}

const TOML = `[metadata]
creation_date = "2021/01/05"
updated_date = "2021/03/04"
maturity = "production"

[rule]
author = ["Elastic", "Someone"]
description = "Trailing spaces  \\nand a second line."
false_positives = ["Admins.  ", "Backups\\nat night"]
from = "now-9m"
index = ["logs-*"]
language = "kuery"
license = "Elastic License v2"
name = "Writer Test"
note = """
  Indented first line.
Then markdown:  
- item
"""
references = ["https://example.com/a"]
risk_score = 99
rule_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
setup = "Tabs\\tand 'quotes' and \\"doubles\\""
severity = "critical"
tags = ["yes", "true", "1.0", "null", "- dash", "#hash"]
type = "threshold"

query = '''
event.category:authentication and   
  event.outcome:failure
'''

[rule.threshold]
field = ["source.ip", "user.name"]
value = 10
[[rule.threshold.cardinality]]
field = "host.name"
value = 2
`;

test("the seed rule files survive write → read unchanged (source aside)", () => {
  for (const path of SEEDS) {
    const rule = readSeed(path);
    assert.equal(changedFields(rule, roundTrip(rule)), [], path);
  }
});

test("keys come in the order of the schema's properties", () => {
  const rule = readSeed(SEEDS[0]!);
  const keys = Object.keys(parse(writeNativeRule({ ...rule, custom: { x: 1 }, status: "stable", date: "2020-01-01" })) as object);
  const order = Object.keys((ruleSchema() as { properties: object }).properties);
  assert.equal(keys, order.filter((k) => keys.includes(k)));
  assert.ok(keys.length >= 25, `only ${keys.length} keys written`);
});

test("a multi-line query is a literal block; text with trailing blanks or a leading indent still reads back exactly", () => {
  const r = readElasticToml("w.toml", TOML);
  assert.equal(r.diagnostics, []);
  const rule = r.rules[0]!;
  const text = writeNativeRule(rule);
  assert.match(text, /\nquery: /);
  const back = roundTrip(rule);
  assert.equal(changedFields(rule, back), []);
  assert.is(back.queryText, "event.category:authentication and   \n  event.outcome:failure\n");
  assert.is(back.note, "  Indented first line.\nThen markdown:  \n- item\n");
  assert.equal(back.tags, ["yes", "true", "1.0", "null", "- dash", "#hash"]);
  // The file keeps Kibana's threshold syntax; both readers give the same count correlation.
  assert.match(text, "\nthreshold:\n    field:\n        - source.ip\n        - user.name\n    value: 10\n    cardinality:\n        - field: host.name\n          value: 2\n");
  assert.equal(countThreshold(back.query as NodeOf<"correlation">), { groupBy: ["source.ip", "user.name"], events: 10, distinct: { field: "host.name", count: 2 } });
  assert.equal(back.custom, { metadata: { maturity: "production" } });
});

test("a plain multi-line query is written as `query: |`", () => {
  const rule = readSeed(SEEDS[0]!);
  assert.match(writeNativeRule(rule), /\nquery: \|\n {4}sequence by process\.entity_id\n {6}\[process where/);
});

test("custom data of any shape is written under `custom:`; logsource, which has no key, rides there and comes back", () => {
  const rule = readSeed(SEEDS[1]!);
  const custom = { alert_suppression: { group_by: ["host.name"], duration: { value: 1, unit: "h" } }, empty: {}, list: [], n: null, "a key: odd": ["x\ny"] };
  const text = writeNativeRule({ ...rule, custom, logsource: { category: "network_connection", product: "windows" } });
  assert.match(text, "logsource:");
  const back = readNativeRuleFile("b.yaml", text);
  assert.equal(back.diagnostics, []);
  assert.equal(back.rules[0]!.custom, custom);
  assert.equal(back.rules[0]!.logsource, { category: "network_connection", product: "windows" });
  // A Sigma log source's extra keys (kept in custom.logsource by the Sigma reader) stay in custom.
  const extra = writeNativeRule({ ...rule, custom: { logsource: { vendor_note: "x" } }, logsource: { product: "windows", definition: "d" } });
  const again = readNativeRuleFile("c.yaml", extra).rules[0]!;
  assert.equal([again.logsource, again.custom], [{ product: "windows", definition: "d" }, { logsource: { vendor_note: "x" } }]);
});

test("what the schema cannot hold is refused when read back, never silently changed", () => {
  const rule = readSeed(SEEDS[1]!);
  const back = readNativeRuleFile("b.yaml", writeNativeRule({ ...rule, type: "machine_learning" }));
  assert.equal(back.rules, []);
  // A machine_learning rule runs an anomaly job (its settings under custom) and has no query.
  assert.equal(back.diagnostics.map((d) => d.message), [
    "a machine_learning rule needs `machine_learning_job_id` under `custom:`",
    "a machine_learning rule needs `anomaly_threshold` under `custom:`",
    "a machine_learning rule has no query: its anomaly job decides",
  ]);
});

test("output is deterministic, LF only, one trailing newline", () => {
  const rule = readSeed(SEEDS[0]!);
  const a = writeNativeRule(rule);
  assert.is(a, writeNativeRule(rule));
  assert.not.match(a, /\r/);
  assert.ok(a.endsWith("\n") && !a.endsWith("\n\n"));
});

test.run();
