/**
 * A lift that takes a conjunct allowing events of another kind beside those of the log source
 * (issue 19.2): `event.category : ("library", "driver")` is image_load without the driver loads.
 * The log source leaves those events out, so the warning must name them and say why; a value the
 * row does not list keeps the conjunct in the query (nothing is dropped without a word).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import type { Query } from "../../src/ir/query.js";
import { liftExactness } from "../../src/passes/lift-exactness.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";

function sigmaOf(query: string, index?: readonly string[], language: "eql" | "kuery" = "eql") {
  const read = readRules([{ path: "rules/left-out.yaml", text: ruleText({ id: "0a1b2c3d-0000-4000-8000-0000000000a1", name: "Left out", query, language, ...(index ? { index } : {}) }) }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), [], "the fixture reads");
  const r = convertRules(read.rules, ["sigma"], testContext());
  const doc = r.files[0] ? (parse(r.files[0].content) as Record<string, any>) : undefined;
  const narrowed = r.diagnostics.filter((d) => d.code === "mapping/logsource-narrowed").map((d) => d.message);
  return { doc, narrowed, fields: JSON.stringify(doc?.detection ?? {}) };
}

const IMAGE_LOAD = '(event.category : ("library", "driver") or (event.category == "process" and event.action : "Image loaded*"))';

test("library or driver loads: image_load without the drivers, and a warning that names them", () => {
  const r = sigmaOf(`any where host.os.type == "windows" and ${IMAGE_LOAD} and dll.name : "scrobj.dll"`);
  assert.equal(r.doc?.logsource, { category: "image_load", product: "windows" });
  assert.not.ok(r.doc?.taxonomy, "Sigma field names");
  assert.not.match(r.fields, "event.category");
  assert.match(r.fields, "ImageLoaded");
  assert.ok(r.narrowed.some((m) => m.includes("leaves out `event.category:driver`") && m.includes("driver_load")), r.narrowed.join("\n"));
});

test("a branch the row does not list (file events) keeps the conjunct in the query, in ECS names", () => {
  const r = sigmaOf('any where host.os.type == "windows" and (event.category : ("library", "file") or (event.category == "process" and event.action : "Image loaded*")) and dll.name : "scrobj.dll"');
  assert.match(r.fields, "event.category");
  assert.not.ok(r.narrowed.some((m) => m.includes("leaves out")), r.narrowed.join("\n"));
});

test("a rename allowed beside a creation: file_event without the renames, said in a warning; a rename alone is file_rename", () => {
  const r = sigmaOf('file where host.os.type == "linux" and event.action in ("rename", "creation") and file.path : "/etc/cron.d/*"', ["logs-endpoint.events.file*"]);
  assert.equal(r.doc?.logsource, { category: "file_event", product: "linux" });
  assert.not.ok(r.doc?.taxonomy, "Sigma field names");
  assert.not.match(r.fields, "event.action");
  assert.ok(r.narrowed.some((m) => m.includes("leaves out `event.action:rename`") && m.includes("file_rename")), r.narrowed.join("\n"));
  const alone = sigmaOf('file where host.os.type == "linux" and event.action == "rename" and file.path : "/etc/cron.d/*"', ["logs-endpoint.events.file*"]);
  assert.equal(alone.doc?.logsource, { category: "file_rename", product: "linux" });
  assert.not.ok(alone.narrowed.some((m) => m.includes("leaves out")), alone.narrowed.join("\n"));
});

test("Defend's fork beside exec: process_creation without the forks, said in a warning; forks alone stay in the query, with the reason", () => {
  const r = sigmaOf('process where host.os.type == "linux" and event.type == "start" and event.action in ("exec", "fork") and process.name : "sshd"', ["logs-endpoint.events.process*"]);
  assert.equal(r.doc?.logsource, { category: "process_creation", product: "linux" });
  assert.not.ok(r.doc?.taxonomy, "Sigma field names");
  assert.not.match(r.fields, "event.action");
  assert.ok(r.narrowed.some((m) => m.includes("leaves out `event.action:fork`") && m.includes("not an exec")), r.narrowed.join("\n"));
  // Fork is never process creation (README: rejected as inexact): alone it keeps ECS names.
  const read = readRules([{ path: "rules/fork.yaml", text: ruleText({ id: "0a1b2c3d-0000-4000-8000-0000000000a2", name: "Fork", query: 'process where host.os.type == "linux" and event.type == "start" and event.action == "fork" and process.name : "sshd"', index: ["logs-endpoint.events.process*"] }) }]);
  const alone = convertRules(read.rules, ["sigma"], testContext());
  const doc = parse(alone.files[0]!.content) as Record<string, any>;
  assert.is(doc.taxonomy, "ecs");
  assert.match(JSON.stringify(doc.detection), "event.action");
  assert.ok(alone.diagnostics.some((d) => d.code === "mapping/logsource-kept" && d.message.includes("`event.action:fork`") && d.message.includes("not an exec")));
  assert.not.ok(alone.diagnostics.some((d) => d.code === "mapping/logsource-narrowed" && d.message.includes("leaves out")));
});

test("Packetbeat's network_traffic events beside the endpoint's: network_connection without them, said in a warning, and the read-back's widening said too", () => {
  const r = sigmaOf("(data_stream.dataset: network_traffic.flow or (event.category: (network or network_traffic))) and network.transport:tcp and destination.port:5900", ["logs-network_traffic.*", "logs-endpoint.events.network-*"], "kuery");
  assert.equal(r.doc?.logsource, { category: "network_connection" });
  assert.not.ok(r.doc?.taxonomy, "Sigma field names");
  assert.not.match(r.fields, "network_traffic");
  assert.ok(r.narrowed.some((m) => m.includes("leaves out `data_stream.dataset:network_traffic.flow`, `event.category:network_traffic`") && m.includes("Packetbeat")), r.narrowed.join("\n"));
  // No read-back row fits a product-less network_connection (one without a product would fit every
  // product's, macOS and firewalls included): Elastic reads it back as no condition, which widens, and says so.
  const read = readRules([{ path: "rules/nt.yaml", text: ruleText({ id: "0a1b2c3d-0000-4000-8000-0000000000a3", name: "NT", language: "kuery", query: "(data_stream.dataset: network_traffic.flow or (event.category: (network or network_traffic))) and network.transport:tcp and destination.port:5900", index: ["logs-network_traffic.*"] }) }]);
  const all = convertRules(read.rules, ["sigma"], testContext()).diagnostics;
  assert.ok(all.some((d) => d.code === "mapping/logsource-widened" && d.message.includes("network_traffic.flow")), all.map((d) => d.message).join("\n"));
});

test("a network_connection of a product without a read-back row (a firewall) is not read back as endpoint connections of every OS", () => {
  for (const product of ["fortigate"]) {
    const y = `title: t\nid: 0a1b2c3d-0000-4000-8000-0000000000b1\nlogsource:\n  category: network_connection\n  product: ${product}\ndetection:\n  sel:\n    DestinationPort: 4444\n  condition: sel\nlevel: low\n`;
    const r = convertRules(readRules([{ path: "r.yml", text: y }]).rules, ["elastic"], testContext());
    assert.ok(r.diagnostics.some((d) => d.code === "mapping/logsource-unmapped"), product);
    assert.not.match(r.files[0]?.content ?? "", "sysmon_operational", product);
  }
});

test("a lifted OR over several fields that the read-back tests none of is said to widen (it was dropped without a word)", () => {
  const parsed = parseKql("(data_stream.dataset:network_traffic.flow or event.category:network) and destination.port:5900");
  if (!parsed.ok) throw new Error("fixture");
  const conjuncts = (parsed.value as Extract<Query, { kind: "and" }>).children;
  const valuesOf = (c: Query, field: string) => (c.kind === "match" && c.field === field && c.value.kind === "string" ? [c.value.parts.map((p) => (p.kind === "text" ? p.value : "*")).join("")] : undefined);
  const none = liftExactness(conjuncts, new Set([0]), {}, new Set(), valuesOf);
  assert.equal(none.dropped, ["data_stream.dataset:network_traffic.flow or event.category:network"]);
  const some = liftExactness(conjuncts, new Set([0]), { "event.category": ["network"] }, new Set(), valuesOf);
  assert.equal(some.dropped, []);
});

test("a cross-platform rule (tags for several OSes) whose query names none: the log source's one product leaves the other OSes out, said in a warning", () => {
  const text = (tags: string) =>
    ruleText({ id: "0a1b2c3d-0000-4000-8000-0000000000a4", name: "Cross", query: 'process where event.type == "start" and process.name : ("tailscaled", "tailscaled.exe")', index: ["logs-endpoint.events.process-*"] }) + `\ntags: [${tags}]`;
  const many = convertRules(readRules([{ path: "rules/x.yaml", text: text('"OS: Windows", "OS: Linux", "OS: macOS"') }]).rules, ["sigma"], testContext());
  assert.equal((parse(many.files[0]!.content) as Record<string, any>).logsource, { category: "process_creation", product: "windows" });
  assert.ok(many.diagnostics.some((d) => d.code === "mapping/logsource-narrowed" && d.message.includes("leaves out the events of `linux`, `macos`")), many.diagnostics.map((d) => d.message).join("\n"));
  const one = convertRules(readRules([{ path: "rules/x.yaml", text: text('"OS: Linux"') }]).rules, ["sigma"], testContext());
  assert.not.ok(one.diagnostics.some((d) => d.message.includes("leaves out the events of")));
});

test.run();
