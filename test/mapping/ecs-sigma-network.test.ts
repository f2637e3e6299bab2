/**
 * Network connections of Elastic Defend in Sysmon's names (issue 15): the host's side of a
 * connection (event.action connection_attempted/connection_accepted, network.direction
 * outgoing/incoming) is Sysmon's Initiated, and a sequence's network step is renamed as network
 * events name their fields even when its first step reads process starts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

function rule(query: string, os = "linux"): string {
  const eql = /^(sequence|network|process|any) /.test(query);
  return [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000015",
    "name: Network test",
    "description: network test",
    `type: ${eql ? "eql" : "query"}`,
    `language: ${eql ? "eql" : "kuery"}`,
    'index: ["logs-endpoint.events.network*", "logs-endpoint.events.process*"]',
    `tags: [${os}]`,
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");
}

/** The Splunk search (raw events, Sysmon names) of one ECS rule, or its errors. */
function splunk(query: string, os?: string, options: Parameters<typeof testContext>[0] = {}) {
  const read = readRules([{ path: "rules/net.yaml", text: rule(query, os) }]);
  const out = convertRules(read.rules, ["splunk"], testContext(options));
  const spl = out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  const errors = out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  return { spl, errors, diagnostics: out.diagnostics };
}

test("connection_attempted is a connection the process opened: Initiated=true in Sysmon's network event", () => {
  const r = splunk('event.category:network and event.type:start and event.action:connection_attempted and process.name:curl');
  assert.equal(r.errors, []);
  assert.match(r.spl, /EventCode=3 Initiated="true"/);
  assert.not.match(r.spl, /connection_attempted/);
});

test("connection_accepted (and Endgame's ipv4 name) is one the process accepted: Initiated=false", () => {
  const r = splunk('event.category:network and event.type:start and event.action:(connection_accepted or ipv4_connection_accept_event) and process.name:ollama');
  assert.equal(r.errors, []);
  assert.match(r.spl, /Initiated="false"/);
  assert.not.match(r.spl, /Initiated="true"/);
});

test("an action with no Initiated value stays unmapped, named", () => {
  const r = splunk('event.category:network and event.type:start and event.action:disconnect_received and process.name:cat');
  assert.equal(r.spl, "");
  assert.ok(r.errors.some((m) => m.includes("event.action")), r.errors.join("\n"));
});

test("the Initiated table is for network events only: a process event's event.action keeps its own meaning", () => {
  // `fork` is no process start (ecs-sigma.yaml `implied`), and no network action either.
  const r = splunk('event.category:process and event.type:start and event.action:fork and process.name:sh');
  assert.ok(r.errors.some((m) => m.includes("event.action")), r.errors.join("\n"));
});

test("network.direction outgoing/incoming (Elastic Defend on Windows) are Initiated true/false", () => {
  const out = splunk('event.category:network and event.type:start and network.direction:outgoing and process.name:"mshta.exe"', "windows");
  assert.equal(out.errors, []);
  assert.match(out.spl, /Initiated="true"/);
  const inc = splunk('event.category:network and event.type:start and network.direction:(incoming or ingress) and process.name:"mshta.exe"', "windows");
  assert.equal(inc.errors, []);
  assert.match(inc.spl, /Initiated="false"/);
  assert.not.match(inc.spl, /Initiated="true"/);
});

test("a sequence's network step is renamed with the network table, although its first step reads process starts", () => {
  const r = splunk(
    'sequence by process.entity_id with maxspan=3s [process where host.os.type == "linux" and event.type == "start" and event.action == "exec" and process.name == "curl"] [network where host.os.type == "linux" and event.type == "start" and event.action == "connection_attempted"]',
  );
  assert.equal(r.errors, []);
  // Step 1: exec is what process_creation says (lifted); step 2: the network table's Initiated.
  assert.match(r.spl, /EventCode=1 Image="\*\/curl"/);
  assert.match(r.spl, /EventCode=3 Initiated="true"/);
  assert.not.match(r.spl, /connection_attempted|exec/);
});

test("CIM: network.direction outgoing/incoming are Network_Traffic direction outbound/inbound", () => {
  const r = splunk('event.category:network and event.type:start and network.direction:incoming and destination.port:3389', "windows", { splunkTaxonomy: "cim" });
  assert.equal(r.errors, []);
  assert.not.ok(r.diagnostics.some((d) => d.code === "splunk/cim-fallback"), r.diagnostics.map((d) => d.message).join("\n"));
  assert.match(r.spl, /All_Traffic\.direction="inbound"/);
});

test("a sequence-wide join key that one step's events name differently is refused, named", () => {
  // user.name is Sysmon's User in a process start, and no one field in the Security log.
  const r = splunk(
    'sequence by user.name with maxspan=1m [process where host.os.type == "windows" and event.type == "start" and process.name == "schtasks.exe"] [iam where host.os.type == "windows" and event.action == "scheduled-task-created"]',
    "windows",
  );
  assert.equal(r.spl, "");
  assert.ok(r.errors.some((m) => m.includes("`user.name`")), r.errors.join("\n"));
});

test.run();
