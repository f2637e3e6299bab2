import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Part, Query } from "../../src/ir/query.js";
import type { Rule } from "../../src/ir/rule.js";
import { sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { sigmaToEcs } from "../../src/passes/sigma-to-ecs.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";

const mapping = sigmaEcsMapping();

function sigmaRules(logsource: string, detection: string, extra = ""): Rule[] {
  const body = detection.trim().split("\n").map((l) => `    ${l}`).join("\n");
  const text = `title: T\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\n${extra}logsource: ${logsource}\ndetection:\n${body}\n`;
  const r = readSigmaFile("t.yml", text);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !r.rules[0]) throw new Error(errors.map((e) => e.message).join("; "));
  return r.rules;
}
const convert = (logsource: string, detection: string, extra = "") => {
  const r = sigmaToEcs(sigmaRules(logsource, detection, extra)[0]!, mapping);
  return { rule: r.rule!, query: noSpans(r.rule!.query), problems: r.problems };
};
/** Without source positions and Sigma search names: what a query matches. */
function noSpans<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" || k === "search" ? undefined : v))) as T;
}
const text = (value: string): Part => ({ kind: "text", value });
const any: Part = { kind: "any" };
const m = (field: string, parts: Part[], caseSensitive = false): Query => ({ kind: "match", field, value: { kind: "string", parts }, caseSensitive });
const cond = (field: string, value: string): Query => m(field, [text(value)], true);
const codes = (ps: { code: string; severity: string }[]) => ps.map((p) => `${p.severity} ${p.code}`);

test("process_creation/windows: fields renamed, source conditions in front, index set, taxonomy ecs", () => {
  const r = convert("{category: process_creation, product: windows}", `sel:\n    Image|endswith: '\\cmd.exe'\n    CommandLine|contains: '/c'\ncondition: sel`);
  assert.equal(r.problems, []);
  assert.is(r.rule.taxonomy, "ecs");
  assert.equal(r.query, {
    kind: "and",
    children: [
      cond("event.category", "process"),
      cond("event.type", "start"),
      cond("host.os.type", "windows"),
      m("process.executable", [any, text("\\cmd.exe")]),
      m("process.command_line", [any, text("/c"), any]),
    ],
  });
  assert.equal(r.rule.index, ["logs-endpoint.events.process-*", "logs-windows.sysmon_operational-*", "logs-system.security-*", "winlogbeat-*"]);
});

test("a rule's own index is kept", () => {
  const r = convert("{category: process_creation, product: windows}", "sel: {Image: x}\ncondition: sel");
  const withIndex = sigmaToEcs({ ...sigmaRules("{category: process_creation, product: windows}", "sel: {Image: x}\ncondition: sel")[0]!, index: ["my-*"] }, mapping);
  assert.equal(withIndex.rule?.index, ["my-*"]);
  assert.is(r.rule.index.length, 4);
});

test("security service: EventID → event.code as keyword text, unlisted fields → winlog.event_data, channel condition", () => {
  const r = convert("{product: windows, service: security}", "sel:\n    EventID: 4624\n    LogonType: 3\ncondition: sel");
  assert.equal(r.problems, []);
  const q = r.query as Extract<Query, { kind: "and" }>;
  assert.equal(q.children[0], cond("winlog.channel", "Security"));
  assert.equal((q.children[1] as { field: string; value: unknown }).field, "event.code");
  assert.equal((q.children[1] as { value: unknown }).value, { kind: "string", parts: [text("4624")] });
  assert.equal((q.children[2] as { field: string }).field, "winlog.event_data.LogonType");
  assert.equal(r.rule.index, ["logs-system.security-*", "logs-windows.forwarded-*", "winlogbeat-*"]);
});

test("ProcessId of a Sysmon file, network, registry, image-load or DNS event is process.pid (Winlogbeat renames it there), not winlog.event_data.ProcessId", () => {
  for (const category of ["file_event", "file_delete", "network_connection", "image_load", "registry_event", "registry_set", "dns_query"]) {
    const r = convert(`{category: ${category}, product: windows}`, "sel:\n    ProcessId: 4\ncondition: sel");
    assert.equal(r.problems, [], category);
    assert.match(JSON.stringify(r.query), '"field":"process.pid"', category);
    assert.not.match(JSON.stringify(r.query), "winlog.event_data.ProcessId", category);
  }
  // The Security log keeps the fallback: its ProcessId is another event's field of its own.
  assert.match(JSON.stringify(convert("{product: windows, service: security}", "sel:\n    ProcessId: 4\ncondition: sel").query), "winlog.event_data.ProcessId");
});

test("image_load: module vs acting process, and OR-ed source alternatives", () => {
  const r = convert("{category: image_load, product: windows}", "sel:\n    ImageLoaded|endswith: '\\x.dll'\n    Image|endswith: '\\y.exe'\ncondition: sel");
  assert.equal(r.problems, []);
  const q = r.query as Extract<Query, { kind: "and" }>;
  assert.equal(q.children[0], {
    kind: "or",
    children: [
      { kind: "and", children: [cond("event.category", "library"), cond("host.os.type", "windows")] },
      { kind: "and", children: [cond("winlog.channel", "Microsoft-Windows-Sysmon/Operational"), cond("event.code", "7")] },
    ],
  });
  assert.equal(q.children.slice(1), [m("file.path", [any, text("\\x.dll")]), m("process.executable", [any, text("\\y.exe")])]);
});

test("Hashes: contains ALG=hex → one ECS hash field, exact at full length, prefix when shorter", () => {
  const full = "A".repeat(64);
  const r = convert("{category: process_creation, product: windows}", `sel:\n    Hashes|contains:\n        - 'SHA256=${full}'\n        - 'MD5=ABCD'\n        - 'IMPHASH=${"B".repeat(32)}'\ncondition: sel`);
  assert.equal(r.problems, []);
  const or = (r.query as Extract<Query, { kind: "and" }>).children[3];
  assert.equal(or, { kind: "or", children: [m("process.hash.sha256", [text(full)]), m("process.hash.md5", [text("ABCD"), any]), m("process.pe.imphash", [text("B".repeat(32))])] });
  const bad = convert("{category: process_creation, product: windows}", "sel:\n    Hashes|endswith: 'ABCD'\ncondition: sel");
  assert.equal(codes(bad.problems), ["error mapping/value-unmapped"]);
  const d = convert("{category: driver_load, product: windows}", `sel:\n    Hashes|contains: 'SHA1=${"C".repeat(40)}'\ncondition: sel`);
  assert.equal((d.query as Extract<Query, { kind: "and" }>).children[2], m("file.hash.sha1", [text("C".repeat(40))]));
});

test("Initiated and Signed: text booleans become ECS values; other values are errors", () => {
  const r = convert("{category: network_connection, product: windows}", "sel:\n    Initiated: 'true'\n    DestinationPort: 443\ncondition: sel");
  assert.equal(r.problems, []);
  const q = r.query as Extract<Query, { kind: "and" }>;
  assert.equal(q.children[3], m("network.direction", [text("egress")], true));
  assert.is((q.children[4] as { field: string }).field, "destination.port");
  const s = convert("{category: image_load, product: windows}", "sel:\n    Signed: 'false'\ncondition: sel");
  assert.equal((s.query as Extract<Query, { kind: "and" }>).children[1], { kind: "match", field: "file.code_signature.signed", value: { kind: "boolean", value: false }, caseSensitive: false });
  const bad = convert("{category: network_connection, product: windows}", "sel:\n    Initiated: 'maybe'\ncondition: sel");
  assert.equal(codes(bad.problems), ["error mapping/value-unmapped"]);
});

test("Sysmon User DOMAIN\\name: split exactly where the pattern allows, error where it would change meaning", () => {
  const pc = "{category: process_creation, product: windows}";
  const contains = convert(pc, "sel:\n    User|contains: 'AUTHORI'\ncondition: sel");
  assert.equal((contains.query as Extract<Query, { kind: "and" }>).children[3], {
    kind: "or",
    children: [m("user.domain", [any, text("AUTHORI"), any]), m("user.name", [any, text("AUTHORI"), any])],
  });
  const exact = convert(pc, "sel:\n    User: 'NT AUTHORITY\\SYSTEM'\ncondition: sel");
  // The split AND is flattened into the rule's AND, after the source conditions.
  assert.equal((exact.query as Extract<Query, { kind: "and" }>).children.slice(3), [m("user.domain", [text("NT AUTHORITY")]), m("user.name", [text("SYSTEM")])]);
  const ends = convert(pc, "sel:\n    User|endswith: '\\SYSTEM'\ncondition: sel");
  assert.equal((ends.query as Extract<Query, { kind: "and" }>).children[3], m("user.name", [text("SYSTEM")]));
  const bare = convert(pc, "sel:\n    User: 'SYSTEM'\ncondition: sel");
  assert.equal(codes(bare.problems), ["error mapping/value-unmapped"]);
  const linux = convert("{category: process_creation, product: linux}", "sel:\n    User: root\ncondition: sel");
  assert.equal(linux.problems, []);
  assert.equal((linux.query as Extract<Query, { kind: "and" }>).children[3], m("user.name", [text("root")]));
});

test("registry: DWORD notation warns (mapping/value-format); registry_add warns that it is broader", () => {
  const r = convert("{category: registry_set, product: windows}", "sel:\n    TargetObject|endswith: '\\Enabled'\n    Details: 'DWORD (0x00000001)'\ncondition: sel");
  assert.equal(codes(r.problems), ["warning mapping/value-format"]);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children.slice(3).map((c) => (c as { field: string }).field), ["registry.path", "registry.data.strings"]);
  const add = convert("{category: registry_add, product: windows}", "sel:\n    TargetObject|contains: '\\Run'\ncondition: sel");
  assert.equal(codes(add.problems), ["warning mapping/logsource-broader"]);
});

// Issue 18: before, the field was an error (mapping/unmapped-field) here too.
test("unknown log source: warning, no conditions, no index; a field keeps its Sigma name with a warning, since no integration names it", () => {
  const r = convert("{product: velocity, category: application}", "sel:\n    logtype: 1001\ncondition: sel");
  assert.equal(codes(r.problems), ["warning mapping/unmapped-source-field", "warning mapping/logsource-unmapped"]);
  assert.is(r.problems[0]!.field, "logtype");
  assert.match(r.problems[0]!.message, "{category: application, product: velocity} has no entry");
  assert.match(r.problems[1]!.message, /no event\.category/);
  assert.match(r.problems[1]!.message, /no index/);
  assert.equal(r.rule.index, []);
  assert.equal(r.query, { kind: "match", field: "logtype", value: { kind: "number", value: 1001, raw: "1001" }, caseSensitive: false });
  const kw = convert("{product: ruby_on_rails, category: application}", "keywords: ['ActionController::RoutingError']\ncondition: keywords");
  assert.equal(codes(kw.problems), ["warning mapping/logsource-unmapped"]);
});

test("value table: OpenCanary's logtype code becomes the name the integration stores; other codes are errors", () => {
  const r = convert("{product: opencanary, category: application}", "sel:\n    logtype: 2000\ncondition: sel");
  assert.equal(r.problems, []);
  assert.equal(r.rule.index, ["logs-opencanary.events-*"]);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children[1], { kind: "match", field: "log.logger", value: { kind: "string", parts: [{ kind: "text", value: "LOG_FTP_LOGIN_ATTEMPT" }] }, caseSensitive: true });
  const unknown = convert("{product: opencanary, category: application}", "sel:\n    logtype: 42\ncondition: sel");
  assert.equal(codes(unknown.problems), ["error mapping/value-unmapped"]);
  const wild = convert("{product: opencanary, category: application}", "sel:\n    logtype|startswith: '20'\ncondition: sel");
  assert.equal(codes(wild.problems), ["error mapping/value-unmapped"]);
});

test("boolean fields: Sysmon's empty placeholders can never match an ECS boolean, and say so", () => {
  const r = convert("{category: image_load, product: windows}", "sel:\n    ImageLoaded|endswith: '.dll'\nfilter:\n    Signed:\n      - ''\n      - '-'\ncondition: sel and not filter");
  assert.equal(codes(r.problems), ["warning mapping/value-format", "warning mapping/value-format"]);
  // `not (none or none)` holds for every event, so the filter disappears from the query.
  const body = r.query as Extract<Query, { kind: "and" }>;
  assert.is((body.children[body.children.length - 1] as { field?: string }).field, "file.path");
  assert.not.ok(JSON.stringify(r.query).includes('"none"'));
});

test("a field the log source implies: its own value always holds, another never (with a warning)", () => {
  const ls = "{product: gcp, service: google_workspace.admin}";
  const same = convert(ls, "sel:\n    eventService: admin.googleapis.com\n    eventName: REMOVE_PRIVILEGE\ncondition: sel");
  assert.equal(same.problems, []);
  assert.equal((same.query as Extract<Query, { kind: "and" }>).children.map((c) => (c as { field: string }).field), ["event.dataset", "event.action"]);
  const other = convert(ls, "sel:\n    eventService: login.googleapis.com\ncondition: sel");
  assert.equal(codes(other.problems), ["warning mapping/value-format", "error mapping/never-matches"]);
  assert.equal(other.query, { kind: "none" });
  const pattern = convert(ls, "sel:\n    eventService|contains: admin\ncondition: sel");
  assert.equal(codes(pattern.problems), ["error mapping/value-unmapped"]);
});

test("no fallback outside Windows: an unlisted Linux field is unmapped", () => {
  const r = convert("{category: process_creation, product: linux}", "sel:\n    LogonId: 0\ncondition: sel");
  assert.equal(codes(r.problems), ["error mapping/unmapped-field"]);
});

test("a log source with an entry keeps failing on a field no row names (an integration names its fields), with or without the other source keys", () => {
  assert.equal(codes(convert("{product: azure, service: auditlogs}", "sel:\n    Initiatedby: UPN\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  assert.equal(codes(convert("{product: rpc_firewall, category: application}", "sel:\n    Endpoint: x\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  // Generic antivirus and Azure PIM alerts have no entry: their fields keep their names.
  assert.equal(codes(convert("{category: antivirus}", "sel:\n    Signature|startswith: PWS\ncondition: sel").problems), ["warning mapping/unmapped-source-field", "warning mapping/logsource-unmapped"]);
  const pim = convert("{product: azure, service: pim}", "sel:\n    riskEventType: staleSignInAlertIncident\ncondition: sel");
  assert.equal(pim.query, m("riskEventType", [text("staleSignInAlertIncident")]));
});

test("CloudTrail objects: requestParameters / responseElements / additionalEventData subfields keep their keys under aws.cloudtrail.flattened.*; the whole object keeps its keyword row", () => {
  const r = convert(
    "{product: aws, service: cloudtrail}",
    "sel:\n    requestParameters.containerDefinitions.command|contains: x\n    responseElements.publiclyAccessible: 'true'\n    additionalEventData.MFAUsed: 'No'\n    requestParameters: whole\ncondition: sel",
  );
  assert.equal(r.problems, []);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children.map((c) => (c as { field: string }).field), [
    "event.dataset",
    "aws.cloudtrail.flattened.request_parameters.containerDefinitions.command",
    "aws.cloudtrail.flattened.response_elements.publiclyAccessible",
    "aws.cloudtrail.flattened.additional_eventdata.MFAUsed",
    "aws.cloudtrail.request_parameters",
  ]);
  // Only under CloudTrail, and only below the object's name.
  assert.equal(codes(convert("{product: gcp, service: gcp.audit}", "sel:\n    requestParameters.userName: x\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  assert.equal(codes(convert("{product: aws, service: cloudtrail}", "sel:\n    requestParametersX.userName: x\ncondition: sel").problems), ["error mapping/unmapped-field"]);
});

test("Azure sign-in Status: Success / Failure become event.outcome as the pipeline sets it; any other status is refused", () => {
  const ok = convert("{product: azure, service: signinlogs}", "sel:\n    Status: Success\ncondition: sel");
  assert.equal(ok.problems, []);
  assert.equal((ok.query as Extract<Query, { kind: "and" }>).children[1], cond("event.outcome", "success"));
  const fail = convert("{product: azure, service: signinlogs}", "sel:\n    Status: failure\ncondition: sel");
  assert.equal((fail.query as Extract<Query, { kind: "and" }>).children[1], cond("event.outcome", "failure"));
  assert.equal(codes(convert("{product: azure, service: signinlogs}", "sel:\n    Status|contains: MFA Denied\ncondition: sel").problems), ["error mapping/value-unmapped"]);
});

test("Azure audit properties.message: a listed activity name is the operation name (case-insensitive, warned as a reading); any other value, a pattern, exists or null is an unmapped field (refused by default)", () => {
  const audit = "{product: azure, service: auditlogs}";
  const ok = convert(audit, "sel:\n    properties.message: Update Service principal\n    Status: Success\ncondition: sel");
  assert.equal(codes(ok.problems), ["warning mapping/field-reading"]);
  assert.equal((ok.query as Extract<Query, { kind: "and" }>).children.slice(1), [
    m("azure.auditlogs.operation_name", [text("Update Service principal")]),
    m("event.outcome", [text("Success")]),
  ]);
  // Not activity names in Microsoft's reference: refused by name, never renamed.
  for (const v of ["Add eligible member (permanent)", "Request Approved/Denied", "Add member from group"]) {
    assert.equal(codes(convert(audit, `sel:\n    properties.message: '${v}'\ncondition: sel`).problems), ["error mapping/unmapped-field"], v);
  }
  assert.equal(codes(convert(audit, "sel:\n    properties.message|contains: Add user\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  assert.equal(codes(convert(audit, "sel:\n    properties.message|cased: add user\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  assert.equal(codes(convert(audit, "sel:\n    properties.message: null\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  // A status reason Microsoft's guide names is the record's resultReason, warned (test/mapping/sigma-ecs-nested-and-reasons); another is refused.
  assert.equal(codes(convert(audit, "sel:\n    Status: Admin registered temporary access pass method for user\ncondition: sel").problems), ["warning mapping/field-reading"]);
  assert.equal(codes(convert(audit, "sel:\n    Status: Admin registered phone method for user\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  // Only under audit logs: the activity log's properties.message is another record.
  assert.equal(codes(convert("{product: azure, service: activitylogs}", "sel:\n    properties.message: Delete device\ncondition: sel").problems), ["error mapping/unmapped-field"]);
});

test("Azure sign-in properties.message: Device Code / ROPC are the authentication protocol's deviceCode / ropc, with a warning; other values refused", () => {
  const signin = "{product: azure, service: signinlogs}";
  const ok = convert(signin, "sel:\n    properties.message: Device Code\ncondition: sel");
  assert.equal(codes(ok.problems), ["warning mapping/field-reading"]);
  assert.equal((ok.query as Extract<Query, { kind: "and" }>).children[1], cond("azure.signinlogs.properties.authentication_protocol", "deviceCode"));
  assert.equal(codes(convert(signin, "sel:\n    properties.message: SAML\ncondition: sel").problems), ["error mapping/value-unmapped"]);
});

test("auditd a0-a7 are text: a number in a rule is its decimal text (EQL refuses keyword == number)", () => {
  const r = convert("{product: linux, service: auditd}", "sel:\n    type: SYSCALL\n    a0: 40000\n    a1: '-w'\ncondition: sel");
  assert.equal(r.problems, []);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children.slice(2), [m("auditd.log.a0", [text("40000")]), m("auditd.log.a1", [text("-w")])]);
  const re = convert("{product: linux, service: auditd}", "sel:\n    a1|re: '(^|/)\\.[^./]'\ncondition: sel");
  assert.equal(re.problems, []);
  assert.equal(((re.query as Extract<Query, { kind: "and" }>).children[1] as { field: string }).field, "auditd.log.a1");
});

test("proxy: cs-uri (the W3C name of the requested URI) is url.original, as c-uri is", () => {
  const r = convert("{category: proxy}", "sel:\n    cs-uri: /news.php\ncondition: sel");
  assert.equal(r.problems.filter((p) => p.severity === "error"), []);
  assert.equal(JSON.stringify(r.query).includes('"field":"url.original"'), true);
});

test("CloudTrail status: success / failure read as event.outcome, with a warning; any other value is unmapped", () => {
  const r = convert("{product: aws, service: cloudtrail}", "sel:\n    eventName: DeleteSAMLProvider\n    status: success\ncondition: sel");
  assert.equal(codes(r.problems), ["warning mapping/field-reading"]);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children[2], m("event.outcome", [text("success")]));
  assert.equal(codes(convert("{product: aws, service: cloudtrail}", "sel:\n    status: pending\ncondition: sel").problems), ["error mapping/unmapped-field"]);
});

test("Azure activity ResourceProviderValue: a whole value is the operation name's first segment (warned); a pattern or a value with a slash is unmapped", () => {
  const act = "{product: azure, service: activitylogs}";
  const r = convert(act, "sel:\n    ResourceProviderValue: Microsoft.ADHybridHealthService\ncondition: sel");
  assert.equal(codes(r.problems), ["warning mapping/field-reading"]);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children[1], m("azure.activitylogs.operation_name", [text("Microsoft.ADHybridHealthService/"), any]));
  assert.equal(codes(convert(act, "sel:\n    ResourceProviderValue|contains: Health\ncondition: sel").problems), ["error mapping/unmapped-field"]);
  assert.equal(codes(convert(act, "sel:\n    ResourceProviderValue: a/b\ncondition: sel").problems), ["error mapping/unmapped-field"]);
});

test("cloud: AWS CloudTrail eventName/eventSource → event.action/event.provider under event.dataset", () => {
  const r = convert("{product: aws, service: cloudtrail}", "sel:\n    eventSource: iam.amazonaws.com\n    eventName: CreateUser\ncondition: sel");
  assert.equal(r.problems, []);
  assert.equal((r.query as Extract<Query, { kind: "and" }>).children.map((c) => (c as { field: string }).field), ["event.dataset", "event.provider", "event.action"]);
  assert.equal(r.rule.index, ["logs-aws.cloudtrail-*", "filebeat-*"]);
});

test("cloud and network integrations: one name, a field per service (M365 alert name vs cmdlet, Zeek DNS query)", () => {
  const fields = (ls: string, det: string) => {
    const r = convert(ls, det);
    assert.equal(r.problems, [], ls);
    return (r.query as Extract<Query, { kind: "and" }>).children.map((c) => (c as { field: string }).field);
  };
  assert.equal(fields("{product: m365, service: threat_management}", "sel:\n    eventSource: SecurityComplianceCenter\n    eventName: 'Email reported by user as malware or phish'\ncondition: sel"), ["event.dataset", "event.provider", "rule.name"]);
  assert.equal(fields("{product: m365, service: exchange}", "sel:\n    eventName: Set-Mailbox\ncondition: sel"), ["event.dataset", "event.action"]);
  assert.equal(fields("{product: zeek, service: dns}", "sel:\n    query|endswith: '.onion'\n    id.resp_p: 53\ncondition: sel"), ["event.dataset", "zeek.dns.query", "destination.port"]);
  assert.equal(codes(convert("{product: m365, service: audit}", "sel:\n    eventName: x\ncondition: sel").problems), ["error mapping/unmapped-field"]);
});

test("correlation: each sub-rule mapped under its own log source; group-by renamed", () => {
  const file = `title: Failed logon
id: 0e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
logsource: {product: windows, service: security}
detection:
    sel: {EventID: 4625}
    condition: sel
---
title: Many failed logons
id: 2d2c4e6b-7f2d-4b15-9b5f-1b0c6c7c8a11
level: high
correlation:
    type: event_count
    rules: [failed_logon]
    group-by: [TargetUserName, Computer]
    timespan: 10m
    condition: {gte: 10}
`;
  const rule = readSigmaFile("c.yml", file).rules.find((r) => r.query.kind === "correlation")!;
  const r = sigmaToEcs(rule, mapping);
  assert.equal(r.problems, []);
  const q = noSpans(r.rule!.query) as Extract<Query, { kind: "correlation" }>;
  assert.equal(q.groupBy, ["winlog.event_data.TargetUserName", "host.name"]);
  assert.equal(q.rules[0]!.query, { kind: "and", children: [cond("winlog.channel", "Security"), m("event.code", [text("4625")])] });
  assert.equal(r.rule!.index, ["logs-system.security-*", "logs-windows.forwarded-*", "winlogbeat-*"]);
  assert.is(r.rule!.taxonomy, "ecs");
});

test("sequence: each step gets its own log source's conditions and renames", () => {
  const base = sigmaRules("{category: process_creation, product: windows}", "sel: {Image: a}\ncondition: sel")[0]!;
  const step = (q: Query, category: string) => ({ query: q, by: ["ProcessGuid"], logsource: { category, product: "windows" } });
  const seq: Query = {
    kind: "sequence",
    by: [],
    steps: [step(m("Image", [text("a")]), "process_creation"), step(m("TargetFilename", [text("b")]), "file_event")],
  };
  const r = sigmaToEcs({ ...base, query: seq, logsource: undefined }, mapping);
  const q = r.rule!.query as Extract<Query, { kind: "sequence" }>;
  assert.equal(codes(r.problems), []);
  assert.equal(q.steps[0]!.by, ["process.entity_id"]);
  assert.equal((q.steps[0]!.query as Extract<Query, { kind: "and" }>).children[0], cond("event.category", "process"));
  assert.equal((q.steps[1]!.query as Extract<Query, { kind: "and" }>).children.at(-1), m("file.path", [text("b")]));
  assert.ok(r.rule!.index.includes("logs-endpoint.events.file-*"));
});

test("an ECS rule passes through untouched", () => {
  const base = sigmaRules("{category: process_creation, product: windows}", "sel: {Image: a}\ncondition: sel")[0]!;
  const ecs = { ...base, taxonomy: "ecs" as const, language: "eql" as const, source: { ...base.source, format: "elastic-toml" as const } };
  assert.equal(sigmaToEcs(ecs, mapping), { rule: ecs, problems: [] });
});

test("a Sigma file in ECS names (taxonomy: ecs) keeps its fields; only its log source becomes ECS conditions", () => {
  const base = sigmaRules("{category: process_creation, product: windows}", "sel: {process.name: a.exe}\ncondition: sel")[0]!;
  const r = sigmaToEcs({ ...base, taxonomy: "ecs" }, mapping);
  assert.equal(r.problems, []);
  const text = JSON.stringify(r.rule!.query);
  assert.match(text, '"field":"process.name"');
  assert.match(text, '"field":"event.category"');
  assert.ok(r.rule!.index.length > 0);
});

test.run();
