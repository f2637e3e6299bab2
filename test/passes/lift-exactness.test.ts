/**
 * Log-source lifting says what the lifted conditions said (issue 17, item 6): Elastic → Sigma →
 * Elastic must not add a condition the rule did not have without a warning, must not widen, and
 * must never write a query that contradicts itself. Each case goes through both conversions and
 * compares the two Elastic queries on events made from the rule's own values.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleEvents } from "../semantic/rule-events.js";

const rule = (query: string, os = "Linux") =>
  [
    "rule_id: 610949a1-312f-4e04-bb55-3a79b8c95261",
    "description: x",
    "name: File rule",
    "type: query",
    "language: kuery",
    "index: [logs-endpoint.events.*]",
    `tags: [${os}]`,
    "severity: low",
    "risk_score: 21",
    `query: '${query}'`,
    "",
  ].join("\n");

function roundTrip(query: string, os?: string) {
  const ctx = testContext();
  const original = readRules([{ path: "r.yaml", text: rule(query, os) }]).rules[0]!;
  const toSigma = convertRule(original, ["sigma"], ctx);
  const yml = toSigma.files.find((f) => f.path.endsWith(".yml"))?.content;
  if (yml === undefined) return { original, toSigma };
  const sigma = readRules([{ path: "r.yml", text: yml }]).rules[0]!;
  const json = convertRule(sigma, ["elastic"], ctx).files.find((f) => f.path.endsWith(".json"))!.content;
  const k = JSON.parse(json) as { query: string; language: string };
  const back = (k.language === "eql" ? parseEql(k.query) : parseKql(k.query)) as { ok: true; value: Query };
  return { original, toSigma, yml, back: back.value, text: k.query };
}

/**
 * Events made from both queries' values on which the two disagree. Two other classes, each with
 * its own warning, are left out: the product the tags say (host.os.type, set on every event) and
 * Sigma's case-insensitive match (sigma/case-widened; the `case` variants).
 */
function disagreements(a: Query, b: Query, os = "linux"): unknown[] {
  const ca = compileQuery(a);
  const cb = compileQuery(b);
  if (!ca.ok || !cb.ok) throw new Error("not compiled");
  return [...ruleEvents(a), ...ruleEvents(b)]
    .filter((e) => !e.construct.endsWith(" case"))
    .map((e) => ({ ...e.event, "host.os.type": os }))
    .filter((e) => ca.test(e) !== cb.test(e));
}

const codes = (r: ReturnType<typeof roundTrip>) => r.toSigma.diagnostics.map((d) => d.code);

test("file + event.type:change is Sigma's file_change, and comes back meaning the same (it came back as creation and change)", () => {
  const r = roundTrip("event.category:file and event.type:change and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /category: file_change/);
  assert.not.match(r.text ?? "", /creation/);
  assert.equal(disagreements(r.original.query, r.back!), []);
  assert.not.ok(codes(r).includes("mapping/logsource-narrowed"), codes(r).join());
});

test("file + event.type:creation is file_event and comes back exact, without a warning", () => {
  const r = roundTrip("event.category:file and event.type:creation and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /category: file_event/);
  assert.equal(disagreements(r.original.query, r.back!), []);
  assert.not.ok(codes(r).includes("mapping/logsource-narrowed"), codes(r).join());
});

test("file alone becomes file_event only with a warning that Elastic reads it back with event.type:creation added", () => {
  const r = roundTrip('event.category:file and event.action:"opened-file" and file.path:/etc/shadow');
  const narrowed = r.toSigma.diagnostics.find((d) => d.code === "mapping/logsource-narrowed");
  assert.ok(narrowed, codes(r).join());
  assert.match(narrowed!.message, "event.type:creation is added");
});

test("a remaining condition the read-back excludes refuses the lift instead of writing a query that matches nothing", () => {
  const r = roundTrip("event.category:file and event.type:(change or info) and file.path:/etc/shadow");
  assert.is(r.yml, undefined);
  const error = r.toSigma.diagnostics.find((d) => d.severity === "error");
  assert.is(error?.code, "mapping/logsource-contradiction");
  assert.match(error!.message, "event.type:change or info, which event.type:creation excludes");
});

test("Windows file_change is read back as Sysmon event 2: warnings say the match narrows (channel and code added) and widens (category and type dropped)", () => {
  const r = roundTrip("event.category:file and event.type:change and file.path:C\\\\x", "Windows");
  assert.match(r.yml ?? "", /category: file_change/);
  const said = (code: string) => r.toSigma.diagnostics.find((d) => d.code === code)?.message ?? "";
  assert.match(said("mapping/logsource-narrowed"), /winlog\.channel:Microsoft-Windows-Sysmon\/Operational is added; event\.code:2 is added/);
  assert.match(said("mapping/logsource-widened"), "without `event.category:file`, `event.type:change`, which the query said: the match widens");
});

test("a remaining condition wider than the read-back's is a narrowing, said", () => {
  const r = roundTrip("event.category:file and event.type:creation and host.os.type:(linux or macos) and file.path:/etc/shadow");
  assert.match(r.toSigma.diagnostics.find((d) => d.code === "mapping/logsource-narrowed")?.message ?? "", "host.os.type:linux or macos is narrowed to host.os.type:linux");
});

test("`not event.type:deletion` under file_event says nothing the read-back (event.type:creation) does not: lifted, so the file keeps Sigma names", () => {
  const r = roundTrip("event.category:file and not event.type:deletion and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /category: file_event/);
  assert.not.match(r.yml ?? "", /taxonomy: ecs|event\.type/);
  // Exact against the lift's own (warned) reading: file_event is file creation.
  const asLifted = parseKql("event.category:file and event.type:creation and file.path:/etc/shadow") as { ok: true; value: Query };
  assert.equal(disagreements(asLifted.value, r.back!), []);
  assert.ok(codes(r).includes("mapping/logsource-narrowed"), codes(r).join());
});

test("a remaining `host.os.type:(linux or macos)` under a log source read back as host.os.type:linux allows every read-back event: lifted, so the file keeps Sigma names; the narrowing is still said", () => {
  const r = roundTrip("event.category:process and event.type:start and host.os.type:(linux or macos) and process.executable:/tmp/x");
  assert.match(r.yml ?? "", /category: process_creation/);
  assert.not.match(r.yml ?? "", /taxonomy: ecs|host\.os\.type/);
  assert.match(r.toSigma.diagnostics.find((d) => d.code === "mapping/logsource-narrowed")?.message ?? "", "host.os.type:linux or macos is narrowed to host.os.type:linux");
  // Exact against the lift's own (warned) reading, host.os.type:linux.
  const asLifted = parseKql("event.category:process and event.type:start and host.os.type:linux and process.executable:/tmp/x") as { ok: true; value: Query };
  assert.equal(disagreements(asLifted.value, r.back!), []);
  // The same under file_event: `event.type:(creation or change)` allows the read-back's creation.
  const f = roundTrip("event.category:file and event.type:(creation or change) and file.path:/etc/shadow");
  assert.not.match(f.yml ?? "", /taxonomy: ecs|event\.type/);
});

test("Defend\'s `event.action:deletion` is never typed creation: `not event.action:deletion` under file_event (read back as event.type:creation) is lifted, so the file keeps Sigma names", () => {
  const r = roundTrip("event.category:file and not event.action:deletion and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /category: file_event/);
  assert.not.match(r.yml ?? "", /taxonomy: ecs|event\.action/);
  const asLifted = parseKql("event.category:file and event.type:creation and file.path:/etc/shadow") as { ok: true; value: Query };
  assert.equal(disagreements(asLifted.value, r.back!), []);
  // Under a log source whose read-back says no event.type (registry_event), it stays.
  const reg = roundTrip("event.category:registry and not event.action:deletion and registry.path:x", "Windows");
  assert.match(reg.yml ?? "", /event\.action/);
});

test("file + event.action:deletion is file_delete (it was file_event, read back as creation beside deletion: no event), the action lifted as process-start actions are", () => {
  const r = roundTrip("event.category:file and event.action:deletion and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /category: file_delete/);
  assert.not.match(r.yml ?? "", /taxonomy: ecs|event\.action/);
  assert.match(r.text ?? "", /event\.type\s*(:|==)\s*"deletion"/);
  assert.not.match(r.text ?? "", /creation/);
});

test("a query of nothing but source conditions keeps its implied ones even when the product condition is the last taken (it was refused as matching every event)", () => {
  const r = roundTrip("host.os.type:linux and event.category:file and event.action:deletion");
  assert.match(r.yml ?? "", /category: file_delete/);
  assert.match(r.yml ?? "", /event\.action: .?deletion/);
  assert.not.ok(codes(r).includes("sigma/match-all"), codes(r).join());
});

test("a negation the read-back does not settle stays in the query (no event.type value is declared exclusive of change)", () => {
  const r = roundTrip("event.category:file and not event.type:change and file.path:/etc/shadow");
  assert.match(r.yml ?? "", /event\.type/);
});

test("Splunk, which reads the log source through its own table, gets no ECS read-back check", () => {
  const ctx = testContext();
  const original = readRules([{ path: "r.yaml", text: rule('event.category:file and event.action:"opened-file" and file.path:/etc/shadow') }]).rules[0]!;
  const r = convertRule(original, ["splunk"], ctx);
  assert.not.ok(r.diagnostics.some((d) => /read back in ECS/.test(d.message)), r.diagnostics.map((d) => d.message).join("\n"));
});

test.run();
