/**
 * Kibana rule types that are more than their query reach Sigma and Splunk as what they mean: a
 * threshold as a count correlation over the look-back; a new-terms rule as a `newTerms` query
 * where the target declares it can search first-seen values (Splunk), refused by name elsewhere;
 * indicator-match rules are refused. Never the bare query, which would alert on every event it matches.
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

const newTerms = (settings: Rule["newTerms"], over: Partial<Rule> = {}): Rule => ({ ...base, type: "new_terms", ...(settings ? { newTerms: settings } : {}), ...over });

test("a new-terms rule is a newTerms query where the target says it can search first-seen values", () => {
  const r = lowerPlatformRuleTypes(newTerms({ fields: ["user.name", "host.name"], historyStart: "now-7d" }), { newTerms: true });
  assert.ok("rule" in r);
  if (!("rule" in r)) return;
  assert.equal(r.rule.query, { kind: "newTerms", query: base.query, fields: ["user.name", "host.name"], history: { value: 7, unit: "d" } });
  // Kibana filters beside the query are part of the events grouped, in the window and the history alike.
  const filter = { kind: "exists", field: "user.name" } as const;
  const filtered = lowerPlatformRuleTypes(newTerms({ fields: ["user.name"], historyStart: "now-5d" }, { sideFilters: { query: filter } }), { newTerms: true });
  assert.ok("rule" in filtered && filtered.rule.query.kind === "newTerms");
  assert.equal("rule" in filtered && filtered.rule.query.kind === "newTerms" ? filtered.rule.query.query : undefined, { kind: "and", children: [base.query, filter] });
});

test("a new-terms rule: refused by name where the target cannot say it, or where no fixed search can", () => {
  const ok = { fields: ["user.name"], historyStart: "now-7d" };
  const elsewhere = lowerPlatformRuleTypes(newTerms(ok));
  assert.ok("error" in elsewhere && elsewhere.byTarget === true && elsewhere.error.includes("no first-seen search"));
  const cases: [Rule, string][] = [
    [newTerms(undefined), "without a list of new_terms_fields"],
    [newTerms({ fields: ["a", "b", "c", "d"], historyStart: "now-7d" }), "4 new_terms_fields; Kibana takes 1 to 3"],
    [newTerms({ fields: [], historyStart: "now-7d" }), "0 new_terms_fields"],
    [newTerms({ fields: ["a", "a"], historyStart: "now-7d" }), "names `a` twice"],
    [newTerms({ fields: ["a"], historyStart: "now-7d/d" }), "not a fixed offset"],
    [newTerms({ fields: ["a"], historyStart: "2024-01-01T00:00:00Z" }), "not a fixed offset"],
    [newTerms({ fields: ["a"], historyStart: "now-0d" }), "is zero"],
    [newTerms({ fields: ["a"], historyStart: "now-9m" }), "does not reach back past the look-back now-9m"],
    [newTerms(ok, { query: thresholdCorrelation("x", base.query, { groupBy: [], events: 2 }) }), "over a correlation query"],
  ];
  for (const [rule, message] of cases) {
    const r = lowerPlatformRuleTypes(rule, { newTerms: true });
    assert.ok("error" in r && r.error.includes(message), `${message}: ${JSON.stringify(r).slice(0, 200)}`);
  }
});

test("Elastic corpus: a new-terms rule is a first-seen search in Splunk, refused by name for Sigma, kept for Elastic", () => {
  const r = convertRules(corpus("linux/execution_potentially_overly_permissive_container_creation.toml"), ["sigma", "splunk", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  assert.equal(r.outcomes[0]!.converted, ["splunk", "elastic"]);
  assert.equal(r.outcomes[0]!.failed, ["sigma"]);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(errors.map((d) => d.code), ["rule/kibana-type"]);
  assert.match(errors[0]!.message, /^sigma: a new-terms rule .* no first-seen search/);
  assert.match(r.files.find((f) => f.path.endsWith(".spl"))!.content, "| stats count min(_time) as firstTime max(_time) as lastTime by ParentImage\n");
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

test("an ES|QL rule's `@timestamp >= NOW() - span` is its look-back when shorter than the rule's, left out when not", () => {
  const text = "FROM logs-* | WHERE @timestamp >= NOW() - 1 hour AND host.id IS NOT NULL | STATS n = COUNT(*) BY host.id | WHERE n >= 5";
  const narrowed = lowerPlatformRuleTypes(esqlRule(text, "now-9h"));
  if (!("rule" in narrowed)) return assert.unreachable(narrowed.error);
  assert.is(narrowed.rule.schedule.from, "now-1h");
  assert.ok(narrowed.rule.query.kind === "correlation" && narrowed.rule.query.timespan?.value === 1 && narrowed.rule.query.timespan.unit === "h");
  assert.equal(narrowed.warnings?.map((w) => w.code), ["esql/now-window", "esql/lookback-window"]);
  assert.is(narrowed.warnings?.[0]?.at?.start, text.indexOf("@timestamp"));
  const implied = lowerPlatformRuleTypes(esqlRule('FROM logs-* | WHERE @timestamp > NOW() - 1 hour AND a == "x"', "now-9m"));
  if (!("rule" in implied)) return assert.unreachable(implied.error);
  assert.is(implied.rule.schedule.from, "now-9m");
  assert.ok(implied.rule.query.kind === "match");
  assert.match(implied.warnings?.map((w) => w.message).join("\n") ?? "", /already holds: left out[\s\S]*`>` leaves out an event at exactly 1h/);
  const rounded = lowerPlatformRuleTypes(esqlRule(text, "now-1d/d"));
  assert.ok("error" in rounded && rounded.code === "esql/time-dependent", JSON.stringify(rounded));
});

test("an ES|QL rule is refused with the reader's code and position; a look-back of no fixed length cannot be a timespan", () => {
  const text = 'FROM logs-* | GROK message "%{WORD:w}" | WHERE w == "a"';
  const grok = lowerPlatformRuleTypes(esqlRule(text));
  assert.ok("error" in grok && grok.code === "esql/unsupported-command" && grok.at?.start === text.indexOf("GROK"));
  const rounded = lowerPlatformRuleTypes(esqlRule("FROM logs-* | STATS n = COUNT(*) | WHERE n >= 5", "now-1d/d"));
  assert.ok("error" in rounded && rounded.code === "esql/lookback-window", JSON.stringify(rounded));
});

test.run();
