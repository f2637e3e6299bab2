/**
 * Windows Security rules in Sigma's taxonomy (issue 19.2): the Elastic pipeline's event.action
 * names are Security event IDs, its winlog.logon.type names are LogonType numbers, and the
 * event.category/event.outcome those names always carry are lifted with them. Each mapping is
 * checked both ways: the Sigma file uses Sigma names, and Elastic reads it back as the event codes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

function rule(query: string): string {
  const eql = query.startsWith("any where ");
  return [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000019",
    "name: Security test",
    "description: security test",
    `type: ${eql ? "eql" : "query"}`,
    `language: ${eql ? "eql" : "kuery"}`,
    'index: ["logs-system.security*", "logs-windows.forwarded*", "winlogbeat-*"]',
    "tags: [Windows]",
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");
}

/** ECS rule → Sigma (the file, parsed) → Elastic (the query text). */
function both(query: string) {
  const ctx = testContext();
  const read = readRules([{ path: "rules/sec.yaml", text: rule(query) }]);
  const toSigma = convertRules(read.rules, ["sigma"], ctx);
  const yml = toSigma.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const doc = parse(yml) as Record<string, any>;
  const again = readRules([{ path: "back.yml", text: yml }]);
  const json = convertRules(again.rules, ["elastic"], ctx).files.find((f) => f.path.endsWith(".json"))?.content;
  const back = json ? (JSON.parse(json) as { query: string }).query : "";
  const warned = toSigma.diagnostics.filter((d) => d.code === "sigma/ecs-taxonomy").map((d) => d.message);
  return { yml, doc, back, warned };
}

const fields = (doc: Record<string, any>): string[] =>
  Object.entries(doc.detection ?? {}).flatMap(([k, v]) => (k === "condition" ? [] : (Array.isArray(v) ? v : [v]).flatMap((m) => Object.keys(m ?? {}))));

test("event.action scheduled-task-created is EventID 4698 on the Security channel, and iam (which it always is) is lifted", () => {
  const r = both('event.category:iam and event.action:"scheduled-task-created" and winlog.event_data.TaskName:"\\\\Evil"');
  assert.is(r.doc.taxonomy, undefined, r.yml);
  // A Security action name is evidence of the Security log: the log source says so too.
  assert.equal(r.doc.logsource, { product: "windows", service: "security" });
  assert.equal(fields(r.doc).sort(), ["Channel", "EventID", "TaskName"]);
  assert.match(r.yml, /EventID: 4698\n/);
  assert.match(r.back, /event\.code : "4698"/);
  assert.match(r.back, /winlog\.channel : "Security"/);
  assert.not.match(r.back, /event\.action|event\.category/);
});

test("a name the pipeline gives several event codes becomes all of them", () => {
  const r = both('event.action:"added-member-to-group" and winlog.event_data.TargetUserName:"x"');
  const selection = Object.values(r.doc.detection).find((s: any) => s && typeof s === "object" && "EventID" in s) as Record<string, unknown>;
  assert.equal(selection.EventID, [4728, 4732, 4756]);
});

test("winlog.logon.type is LogonType by the pipeline's table, and logged-in's success outcome is lifted", () => {
  const r = both('event.action:"logged-in" and event.outcome:"success" and winlog.logon.type:"Network"');
  assert.is(r.doc.taxonomy, undefined, r.yml);
  assert.equal(fields(r.doc).sort(), ["Channel", "EventID", "LogonType"]);
  assert.match(r.back, /winlog\.event_data\.LogonType : "3"/);
});

test("an outcome logged-in never has is not lifted: the file keeps ECS names and says why", () => {
  const r = both('event.action:"logged-in" and event.outcome:"failure"');
  assert.is(r.doc.taxonomy, "ecs");
  assert.match(r.warned.join(), "`event.outcome`");
});

test("an action the table does not list (a task name) keeps ECS names, with a warning naming event.action", () => {
  const r = both('event.action:"Log clear" and winlog.channel:"System"');
  assert.is(r.doc.taxonomy, "ecs");
  assert.match(r.warned.join(), "`event.action`");
});

test("a pattern on event.action is no whole name: not looked up, ECS names kept", () => {
  const r = both('event.action:logged-in* and winlog.event_data.TargetUserName:"x"');
  assert.is(r.doc.taxonomy, "ecs");
});

test("event.action existing says nothing about the event code: ECS names kept", () => {
  const r = both('event.action:* and winlog.event_data.TargetUserName:"x"');
  assert.is(r.doc.taxonomy, "ecs");
});

test("event.action absent (null) says nothing about the event code either: ECS names kept", () => {
  const r = both('any where winlog.event_data.TargetUserName == "x" and event.action == null');
  assert.is(r.doc.taxonomy, "ecs");
  assert.match(r.warned.join(), "`event.action`");
});

test("user.name in the Security log is not Sysmon's User (the account differs per event ID): ECS names kept", () => {
  const r = both('event.action:"scheduled-task-created" and not user.name:*$');
  assert.is(r.doc.taxonomy, "ecs");
  assert.match(r.warned.join(), "`user.name`");
});

test("a Security action name on Linux (auditd's logged-in) is no Windows event: no Security log, no EventID", () => {
  const r = both('host.os.type:linux and event.action:"logged-in" and user.name:"root"');
  assert.equal(r.doc.logsource?.product, "linux");
  assert.not.match(r.yml, /EventID|service: security/);
});

test("an event code with the category the Security pipeline gives it is the Security log, and the category is lifted (issue 15)", () => {
  const r = both('event.category:authentication and event.code:4769 and winlog.event_data.TicketEncryptionType:"0x17"');
  assert.is(r.doc.taxonomy, undefined, r.yml);
  assert.equal(r.doc.logsource, { product: "windows", service: "security" });
  assert.equal(fields(r.doc).sort(), ["EventID", "TicketEncryptionType"]);
  assert.match(r.back, /event\.code : "4769"/);
  assert.match(r.back, /winlog\.channel (==|:) "Security"/);
  const iam = both('event.category:iam and event.code:4738 and winlog.event_data.AllowedToDelegateTo:*krbtgt*');
  assert.equal(iam.doc.logsource, { product: "windows", service: "security" });
  assert.equal(fields(iam.doc).sort(), ["AllowedToDelegateTo|contains", "EventID"]);
});

test("an event code with another category is no evidence of the Security log: the category stays, ECS names kept", () => {
  // 4769 is authentication in the Security pipeline; under iam it is no Security event.
  const r = both('event.category:iam and event.code:4769 and winlog.event_data.TicketEncryptionType:"0x17"');
  assert.is(r.doc.taxonomy, "ecs");
  assert.match(r.warned.join(), "`event.category`");
});

test.run();
