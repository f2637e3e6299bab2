/**
 * The `toCim` rewrite records on the rule what a CIM renderer prints: each query's data set and the
 * query in its CIM names (join keys too), or the reason the rule is not CIM. It never fails the
 * rule: not CIM is a plan, which the Splunk form turns into its raw-event fallback.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import type { Rule } from "../../src/ir/rule.js";
import { packagedCim } from "../../src/mapping/cim-mapping.js";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { runRewrites } from "../../src/pipeline/rewrites.js";
import { toCim } from "../../src/passes/to-cim.js";
import { splunkTarget } from "../../src/targets/splunk/index.js";
import { cimSearch } from "../../src/targets/splunk/splunk-cim.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { testContext } from "../helpers/convert-fixture.js";

const s = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
const m = (field: string, value: string): Query => ({ kind: "match", field, value: s(value), caseSensitive: false });
const rule = (query: Query, over: Partial<Rule> = {}): Rule => ({ id: "r1", name: "R", taxonomy: "sigma", tags: [], index: [], source: { file: "r.yml", format: "sigma", line: 1 }, custom: {}, query, logsource: { category: "process_creation", product: "windows" }, ...over }) as unknown as Rule;

test("a boolean Sigma query: its data set and the query in CIM names; the product is said, not searched", () => {
  const r = toCim(rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("CommandLine", "*-enc*")] }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Endpoint.Processes");
  assert.equal(r.plan.search.query, { kind: "and", children: [m("process_path", "*\\x.exe"), m("process", "*-enc*")] });
  assert.is(r.product, "windows");
});

test("an ECS sequence: each step lifted to its data set, the join keys in CIM names", () => {
  const q: Query = {
    kind: "sequence",
    by: ["process.entity_id"],
    steps: [
      { query: { kind: "and", children: [m("event.category", "process"), m("event.type", "start"), m("process.name", "a.exe")] }, by: [] },
      { query: { kind: "and", children: [m("event.category", "process"), m("event.type", "start"), m("process.name", "b.exe")] }, by: [] },
    ],
  } as unknown as Query;
  const r = toCim(rule(q, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "sequence");
  if (r.plan.kind !== "sequence") return;
  assert.equal(r.plan.steps.map((st) => [st.dataset.key, st.keys]), [["Endpoint.Processes", ["process_guid"]], ["Endpoint.Processes", ["process_guid"]]]);
});

test("an ECS lift that covers only part of the query's events keeps its warning in the CIM plan", () => {
  const q: Query = { kind: "and", children: [m("event.category", "registry"), m("event.type", "change"), m("registry.path", "HKLM\\x*")] };
  const r = toCim(rule(q, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Endpoint.Registry");
  assert.equal(r.problems.map((p) => `${p.severity} ${p.code}`), ["warning mapping/logsource-narrowed"]);
});

test("ECS file creation / deletion is CIM action=created / deleted, not every Filesystem event; event.category file alone is every one", () => {
  const plan = (...conds: Query[]) => {
    const r = toCim(rule({ kind: "and", children: [m("event.category", "file"), ...conds, m("file.name", "x.dll")] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
    return r.plan.kind === "search" ? [r.plan.search.dataset.key, r.plan.search.query] : r.plan;
  };
  const fileName = m("file_name", "x.dll");
  assert.equal(plan(m("event.type", "creation")), ["Endpoint.Filesystem", { kind: "and", children: [m("action", "created"), fileName] }]);
  assert.equal(plan(m("event.type", "deletion")), ["Endpoint.Filesystem", { kind: "and", children: [m("action", "deleted"), fileName] }]);
  // Elastic Defend's actions, which the Sigma lift takes as implied by file_event / file_delete.
  assert.equal(plan(m("event.action", "creation")), ["Endpoint.Filesystem", { kind: "and", children: [m("action", "created"), fileName] }]);
  assert.equal(plan(m("event.action", "deletion")), ["Endpoint.Filesystem", { kind: "and", children: [m("action", "deleted"), fileName] }]);
  assert.equal(plan(), ["Endpoint.Filesystem", fileName]);
});

test("ECS process-start actions without event.category are Endpoint.Processes, the action implied as beside event.category process", () => {
  const r = toCim(rule({ kind: "and", children: [m("event.type", "start"), m("event.action", "exec"), m("process.name", "exim4")] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Endpoint.Processes");
  assert.equal(r.plan.search.query, m("process_name", "exim4"));
  // Another action names no process start: no data set.
  const other = toCim(rule({ kind: "and", children: [m("event.action", "mount"), m("process.name", "x")] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(other.plan.kind, "not-cim");
});

test("ECS `.caseless` multi-fields are their base field compared case-insensitively; other uses stay unmapped", () => {
  const cased = (field: string, value: string): Query => ({ kind: "match", field, value: s(value), caseSensitive: true });
  const r = toCim(rule({ kind: "and", children: [m("event.category", "process"), m("event.type", "start"), cased("process.name.caseless", "msbuild.exe")] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.equal(r.plan.search.query, m("process_name", "msbuild.exe"));
  const range: Query = { kind: "range", field: "process.name.caseless", op: "gt", value: s("a") } as Query;
  const other = toCim(rule({ kind: "and", children: [m("event.category", "process"), m("event.type", "start"), range] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.equal(other.plan, { kind: "not-cim", reason: "field `process.name.caseless` has no field in CIM Endpoint.Processes" });
});

test("a network category ORed with network products' data sets is Network_Traffic, with the narrowed warning; another data set or no category is not", () => {
  const or = (...children: Query[]): Query => ({ kind: "or", children });
  const plan = (lifted: Query) => toCim(rule({ kind: "and", children: [lifted, m("destination.port", "23")] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  const r = plan(or(m("data_stream.dataset", "panw.panos"), m("event.dataset", "zeek.connection"), or(m("event.category", "network"), m("event.category", "network_traffic"))));
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Network_Traffic.All_Traffic");
  assert.equal(r.plan.search.query, m("dest_port", "23"));
  assert.equal(r.problems.map((p) => p.code), ["mapping/logsource-narrowed"]);
  assert.is(plan(or(m("data_stream.dataset", "zeek.rdp"), m("event.category", "network"))).plan.kind, "not-cim");
  assert.is(plan(or(m("data_stream.dataset", "panw.panos"), m("data_stream.dataset", "pfsense.log"))).plan.kind, "not-cim");
});

test("flow records by their action are Network_Traffic, widened and warned (refused under NOT); network.packets / bytes are CIM packets / bytes", () => {
  const packets: Query = { kind: "range", field: "network.packets", op: "lte", value: { kind: "number", value: 2, raw: "2" } } as Query;
  const r = toCim(rule({ kind: "and", children: [{ kind: "or", children: [m("event.action", "network_flow"), m("event.action", "flow_started")] }, packets] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Network_Traffic.All_Traffic");
  assert.equal(r.plan.search.query, { ...packets, field: "packets" });
  assert.equal(r.problems.map((p) => `${p.code} ${p.field}`), ["mapping/widened event.action", "mapping/widened event.action"]);
  const not = toCim(rule({ kind: "and", children: [m("event.category", "network"), { kind: "not", child: m("event.action", "network_flow") }] }, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(not.plan.kind, "not-cim");
});

test("an OR whose branches hold events of different data sets of one model is their union; of one data set, one search; of two models, not CIM", () => {
  const or = (...children: Query[]): Query => ({ kind: "or", children });
  const and = (...children: Query[]): Query => ({ kind: "and", children });
  const ecsRule = (q: Query) => rule(q, { taxonomy: "ecs", logsource: undefined });
  const fileDeleted = and(m("event.category", "file"), m("event.type", "deletion"), m("file.name", "x.tmp"));
  const registry = and(m("event.category", "registry"), m("registry.value", "Remcos"));
  const processStart = and(m("event.category", "process"), m("event.type", "start"), m("process.name", "a.exe"));
  const union = toCim(ecsRule(and(m("host.os.type", "windows"), or(fileDeleted, registry))), packagedCim());
  assert.is(union.plan.kind, "union");
  if (union.plan.kind !== "union") return;
  assert.equal(union.plan.searches.map((q) => [q.dataset.key, q.query]), [
    ["Endpoint.Filesystem", and(m("action", "deleted"), m("file_name", "x.tmp"))],
    ["Endpoint.Registry", m("registry_value_name", "Remcos")],
  ]);
  assert.is(union.product, "windows");
  const one = toCim(ecsRule(or(processStart, and(m("event.category", "process"), m("event.type", "start"), m("process.name", "b.exe")))), packagedCim());
  assert.equal(one.plan.kind === "search" && [one.plan.search.dataset.key, one.plan.search.query], ["Endpoint.Processes", or(m("process_name", "a.exe"), m("process_name", "b.exe"))]);
  const network = and(m("event.category", "network"), m("event.type", "start"), m("destination.port", "4444"));
  assert.is(toCim(ecsRule(or(processStart, network)), packagedCim()).plan.kind, "not-cim");
  // A branch no data set holds keeps the whole rule out.
  assert.is(toCim(ecsRule(or(processStart, and(m("event.category", "file"), m("file.Ext.header_bytes", "4d5a")))), packagedCim()).plan.kind, "not-cim");
  // The Splunk form: each data set's tagged events its branch matches, exactly.
  const ctx = testContext({ splunkTaxonomy: "cim" });
  const done = runRewrites(splunkTarget, ecsRule(or(fileDeleted, registry)), [{ pass: "toCim" }], ctx);
  if (!done.rule) return assert.unreachable("no rule");
  const spl = cimSearch(done.rule, { summariesOnly: false });
  if (!spl.ok) return assert.unreachable(spl.reason);
  const parsed = parseSpl(spl.spl);
  if (!parsed.ok) return assert.unreachable(JSON.stringify(parsed.error));
  const at = (e: Record<string, unknown>) => evaluateSpl(parsed.value, e, { eventTags: true });
  assert.equal(at({ tag: ["endpoint", "filesystem"], action: "deleted", file_name: "x.tmp" }), { ok: true, matched: true });
  assert.equal(at({ tag: ["endpoint", "filesystem"], action: "created", file_name: "x.tmp" }), { ok: true, matched: false });
  assert.equal(at({ tag: ["endpoint", "registry"], registry_value_name: "Remcos" }), { ok: true, matched: true });
  assert.equal(at({ tag: ["endpoint", "filesystem"], registry_value_name: "Remcos" }), { ok: true, matched: false }, "a branch only in its data set");
});

test("not CIM is a named plan, and the rewrite keeps the rule (the form falls back), without the mapping's notes", () => {
  const r = toCim(rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] }), packagedCim());
  assert.equal(r.plan, { kind: "not-cim", reason: "field `Description` has no field in CIM Endpoint.Processes" });
  const ctx = testContext({ splunkTaxonomy: "cim" });
  const done = runRewrites(splunkTarget, rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] }), [{ pass: "toCim" }], ctx);
  assert.equal(done.rule?.cim, r.plan);
  assert.equal(done.diagnostics, []);
});

test("fieldHomes: the option's entries go over the packaged tables", () => {
  const q = { kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] } as Query;
  const ctx = testContext({ splunkTaxonomy: "cim", splunkCimFields: ["Description -> Endpoint.Processes.process_name"] });
  const done = runRewrites(splunkTarget, rule(q), [{ pass: "toCim", fieldHomes: "splunkCimFields" }], ctx);
  assert.is(done.rule?.cim?.kind, "search");
  assert.ok(done.diagnostics.some((d) => d.code === "splunk/cim-product"));
  // Without the declaration the same settings are not read.
  assert.is(runRewrites(splunkTarget, rule(q), [{ pass: "toCim" }], ctx).rule?.cim?.kind, "not-cim");
});

const processStart = (name: string): Query => ({ kind: "and", children: [m("event.category", "process"), m("event.type", "start"), m("process.name", name)] });
const count = (over: object): Query => ({ kind: "correlation", type: "event_count", rules: [{ name: "r", query: processStart("net.exe") }], groupBy: ["host.hostname", "user.name"], condition: [{ op: "gte", value: 10 }], ...over }) as Query;

test("a correlation (a threshold's count): each rule in its data set's names, the group-by fields as its keys", () => {
  const r = toCim(rule(count({}), { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "correlation");
  if (r.plan.kind !== "correlation") return;
  assert.equal(r.plan.rules.map((st) => [st.dataset.key, st.keys]), [["Endpoint.Processes", ["dest", "user"]]]);
  assert.equal(r.plan.rules[0]!.query, m("process_name", "net.exe"));
  const distinct = toCim(rule(count({ type: "value_count", valueField: "user.name" }), { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(distinct.plan.kind === "correlation" && distinct.plan.valueField, "user");
});

test("a correlation's further measures (all of them, or one of several sets) in CIM names, their filters too", () => {
  const plan = toCim(rule(count({ extraMeasures: [{ type: "value_count", valueField: "user.name", condition: [{ op: "gte", value: 2 }] }], anyOf: [[{ type: "event_count", filter: m("process.name", "cmd.exe"), condition: [{ op: "gte", value: 3 }] }], [{ type: "value_count", valueField: "process.pid", condition: [{ op: "gt", value: 4 }] }]] }), { taxonomy: "ecs", logsource: undefined }), packagedCim()).plan;
  assert.is(plan.kind, "correlation");
  if (plan.kind !== "correlation") return;
  assert.equal(plan.extraMeasures, [{ type: "value_count", condition: [{ op: "gte", value: 2 }], valueField: "user" }]);
  assert.equal(plan.anyOf, [[{ type: "event_count", condition: [{ op: "gte", value: 3 }], filter: m("process_name", "cmd.exe") }], [{ type: "value_count", condition: [{ op: "gt", value: 4 }], valueField: "process_id" }]]);
  // The Splunk CIM form measures them in one streamstats over the tagged events.
  const ctx = testContext({ splunkTaxonomy: "cim" });
  const done = runRewrites(splunkTarget, rule(count({ timespan: { value: 5, unit: "m" }, extraMeasures: [{ type: "value_count", valueField: "user.name", condition: [{ op: "gte", value: 2 }] }] }), { taxonomy: "ecs", logsource: undefined }), [{ pass: "toCim" }], ctx);
  assert.ok(done.rule);
  if (!done.rule) return;
  const spl = cimSearch(done.rule, { summariesOnly: false });
  assert.ok(spl.ok && spl.spl.includes("| streamstats time_window=5m count as rc_count, dc(user) as rc_count_2 by dest, user\n| where rc_count>=10 AND rc_count_2>=2"), JSON.stringify(spl));
});

test("a correlation whose measure CIM would change, or cannot say, is not CIM, by name", () => {
  const ecs = (over: object) => toCim(rule(count(over), { taxonomy: "ecs", logsource: undefined }), packagedCim()).plan;
  // host.id → dest joins hosts that share a name: fewer distinct values than the rule counts.
  assert.equal(ecs({ type: "value_count", valueField: "host.id" }), {
    kind: "not-cim",
    reason: "the measured field `host.id` → `dest` in CIM Endpoint.Processes would change what is measured: the host by its name rather than its agent id: hosts that share a name are joined",
  });
  // process.args (one argument) has only the whole command line as a CIM home.
  assert.equal(ecs({ type: "value_count", valueField: "process.args" }), { kind: "not-cim", reason: "the measured field `process.args` has no field in CIM Endpoint.Processes" });
  assert.equal(ecs({ type: "value_count" }), { kind: "not-cim", reason: "a value_count correlation needs the field it measures" });
  assert.equal(ecs({ extraMeasures: [{ type: "value_count", field: "user.name", condition: [{ op: "gte", value: 2 }] }] }), { kind: "not-cim", reason: "a further value_count measure needs the field it measures" });
  // A further measure's field is measured as the main one: a widened home would change it too.
  assert.equal(ecs({ extraMeasures: [{ type: "value_count", valueField: "host.id", condition: [{ op: "gte", value: 2 }] }] }).kind, "not-cim");
  // Its filter is read in the data set: a field it lacks keeps the rule out.
  assert.equal(ecs({ extraMeasures: [{ type: "event_count", filter: m("process.args_count", "3"), condition: [{ op: "gte", value: 2 }] }] }), { kind: "not-cim", reason: "field `process.args_count` has no field in CIM Endpoint.Processes" });
  assert.equal(ecs({ groupBy: ["process.args"] }), { kind: "not-cim", reason: "join key `process.args` has no field in CIM Endpoint.Processes" });
});

test("an Elastic threshold rule under --splunk-taxonomy cim: a count over the data set's tagged events by CIM fields, not the raw fallback", () => {
  const text = readFileSync("rules/unusual_process_network_connection.yaml", "utf8")
    .replace(/^type: query$/m, "type: threshold\nthreshold:\n  field: [host.hostname]\n  value: 5")
    .replace(/^query: >-\n(  .*\n)+/m, "query: event.category:process and event.type:start and process.name:net.exe\n");
  const read = readRules([{ path: "r.yaml", text }]);
  const res = convertRule(read.rules[0]!, ["splunk"], testContext({ splunkTaxonomy: "cim" }));
  assert.equal(res.outcome.converted, ["splunk"], JSON.stringify(res.diagnostics));
  assert.not.ok(res.diagnostics.some((d) => d.code === "splunk/cim-fallback"));
  const spl = res.files.find((f) => f.path.endsWith(".spl"))!.content;
  // The data set's tags are search terms (any value of the multi-valued `tag`), and mvfind in eval.
  assert.equal(spl.split("\n").slice(0, 1), ['tag=process tag=report process_name="net.exe"']);
  assert.match(spl, '| eval rc_rules=mvappend(if(isnotnull(mvfind(tag, "(?i)^process$")) AND isnotnull(mvfind(tag, "(?i)^report$")) AND (process_name=="net.exe"), "1", null()))\n');
  // The threshold counts within the look-back (9m), as the raw-event form does.
  assert.match(spl, /\| where isnotnull\(dest\)\n\| sort 0 _time\n\| streamstats time_window=9m count as rc_count by dest\n\| where rc_count>=5\n/);
});

test.run();
