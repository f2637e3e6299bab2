/**
 * Kibana rule types that are more than their query reach Sigma and Splunk as what they mean: a
 * threshold as a count correlation over the look-back; new-terms and indicator-match rules are
 * refused by name. Never the bare query, which would alert on every event it matches.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import { lowerPlatformRuleTypes } from "../../src/passes/lower-platform-rule-types.js";
import type { Rule } from "../../src/ir/rule.js";
import { thresholdCorrelation, type CountThreshold } from "../../src/ir/count-threshold.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const base = {
  name: "Many kills",
  type: "threshold",
  query: { kind: "match", field: "event.action", value: { kind: "string", parts: [{ kind: "text", value: "kill" }] }, caseSensitive: true },
  schedule: { interval: { value: 5, unit: "m" }, from: "now-9m", to: "now" },
} as unknown as Rule;

/** The rule as readers give a threshold rule: its query counted per group. */
const threshold = (t: CountThreshold, over: Partial<Rule> = {}): Rule => ({ ...base, ...over, query: thresholdCorrelation(base.name, base.query, t) });

test("a threshold is an event_count (or value_count) correlation over the look-back", () => {
  const count = lowerPlatformRuleTypes(threshold({ groupBy: ["host.id"], events: 10 }));
  assert.ok("rule" in count);
  if (!("rule" in count)) return;
  assert.equal(count.rule.query, {
    kind: "correlation",
    type: "event_count",
    rules: [{ name: "many_kills_events", query: base.query }],
    groupBy: ["host.id"],
    timespan: { value: 9, unit: "m" },
    condition: [{ op: "gte", value: 10 }],
  });
  const distinct = lowerPlatformRuleTypes(threshold({ groupBy: [], events: 1, distinct: { field: "process.name", count: 5 } }));
  assert.ok("rule" in distinct && distinct.rule.query.kind === "correlation" && distinct.rule.query.type === "value_count" && distinct.rule.query.valueField === "process.name");
});

test("what a correlation cannot hold is refused by name", () => {
  const both = lowerPlatformRuleTypes(threshold({ groupBy: ["host.id"], events: 2, distinct: { field: "process.pid", count: 2 } }));
  assert.ok("error" in both && both.error.includes("both 2 events and 2 distinct"));
  const rounded = lowerPlatformRuleTypes(threshold({ groupBy: [], events: 3 }, { schedule: { ...base.schedule, from: "now-1d/d" } }));
  assert.ok("error" in rounded && rounded.error.includes("no fixed length"));
  for (const type of ["new_terms", "threat_match"] as const) {
    const r = lowerPlatformRuleTypes({ ...base, type });
    assert.ok("error" in r && r.error.includes("would alert on every"), type);
  }
  assert.equal(lowerPlatformRuleTypes({ ...base, type: "query" }), { rule: { ...base, type: "query" } });
});

test("a saved-query rule: refused without its query, converted with a warning when it carries a copy", () => {
  const empty = lowerPlatformRuleTypes({ ...base, type: "saved_query", queryText: "" });
  assert.ok("error" in empty && empty.error.includes("without its query"));
  const copy = lowerPlatformRuleTypes({ ...base, type: "saved_query", queryText: "event.action:kill" });
  assert.ok("rule" in copy);
  assert.equal("rule" in copy ? copy.warnings?.map((w) => w.code) : [], ["rule/kibana-saved-query"]);
});

const corpus = (name: string) => {
  const path = `../shared/corpus/elastic/rules/${name}`;
  return readRules([{ path, text: readFileSync(path, "utf8") }]).rules;
};

test("Elastic corpus: the network-sweep threshold becomes a value_count correlation in Sigma; Elastic keeps the threshold", () => {
  const r = convertRules(corpus("network/discovery_potential_network_sweep_detected.toml"), ["sigma", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  const sigma = r.files.find((f) => f.target === "sigma")!;
  const docs = parseAllDocuments(sigma.content).map((d) => d.toJS() as Record<string, unknown>);
  assert.equal(docs[1]!["correlation"], {
    type: "value_count",
    rules: ["potential_network_sweep_detected_events"],
    "group-by": ["source.ip"],
    timespan: "9m",
    condition: { gte: 100, field: "destination.ip" },
  });
  const kibana = JSON.parse(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content) as Record<string, unknown>;
  assert.equal(kibana["threshold"], { field: ["source.ip"], value: 1, cardinality: [{ field: "destination.ip", value: 100 }] });
});

test("Elastic corpus: a new-terms rule is refused for Sigma and Splunk and kept for Elastic", () => {
  const r = convertRules(corpus("cross-platform/defense_evasion_genai_config_modification.toml"), ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  // One line for both targets: the problem is the rule's type, not either target.
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(errors.map((d) => d.code), ["rule/kibana-type"]);
  assert.match(errors[0]!.message, "only Kibana has such rules");
  assert.equal(r.outcomes[0]!.failed, ["sigma", "splunk"]);
  assert.match(r.files.find((f) => f.path.endsWith(".json"))!.content, '"type": "new_terms"');
});

const esqlRule = (text: string, from = "now-9m"): Rule =>
  ({ ...base, type: "esql", language: "esql", index: [], queryText: text, query: { kind: "opaque", language: "esql", text }, schedule: { ...base.schedule, from } }) as Rule;

test("an ES|QL rule's query is read into the IR: FROM's patterns as its index, the look-back as an aggregation's timespan, said", () => {
  const plain = lowerPlatformRuleTypes(esqlRule('FROM logs-a-*, logs-b-* | WHERE process.name == "x"'));
  assert.ok("rule" in plain && plain.rule.query.kind === "match" && plain.rule.index.join() === "logs-a-*,logs-b-*");
  const counted = lowerPlatformRuleTypes(esqlRule('FROM logs-* | WHERE host.id IS NOT NULL | STATS n = COUNT(*) BY host.id | WHERE n >= 5'));
  if (!("rule" in counted)) return assert.unreachable(counted.error);
  assert.ok(counted.rule.query.kind === "correlation");
  if (counted.rule.query.kind === "correlation") assert.equal(counted.rule.query.timespan, { value: 9, unit: "m" });
  assert.equal(counted.warnings?.map((w) => w.code), ["esql/lookback-window"]);
  assert.equal(counted.warnings?.[0]?.at?.start, "FROM logs-* | WHERE host.id IS NOT NULL | ".length);
});

test("an ES|QL rule is refused with the reader's code and position; a look-back of no fixed length cannot be a timespan", () => {
  const text = 'FROM logs-* | GROK message "%{WORD:w}" | WHERE w == "a"';
  const grok = lowerPlatformRuleTypes(esqlRule(text));
  assert.ok("error" in grok && grok.code === "esql/unsupported-command" && grok.at?.start === text.indexOf("GROK"));
  const rounded = lowerPlatformRuleTypes(esqlRule("FROM logs-* | STATS n = COUNT(*) | WHERE n >= 5", "now-1d/d"));
  assert.ok("error" in rounded && rounded.code === "esql/lookback-window", JSON.stringify(rounded));
});

test.run();
