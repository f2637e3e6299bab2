/**
 * The log source of an ECS rule is inferred from all its evidence, never left empty (issue 19.1):
 * fields one log source has, source conditions, data sets, index patterns; disagreement is a
 * warning naming both sides, a field that contradicts the query's own conditions an error.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

function rule(query: string, index: readonly string[], extra = ""): string {
  return [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000001",
    "name: Lift test",
    "description: lift test",
    "type: query",
    "language: kuery",
    `index: [${index.map((i) => JSON.stringify(i)).join(", ")}]`,
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
    extra,
  ].join("\n");
}

function sigma(text: string, path = "rules/lift.yaml") {
  const read = readRules([{ path, text }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), [], "the fixture reads");
  const r = convertRules(read.rules, ["sigma"], testContext());
  const doc = r.files[0] ? (parse(r.files[0].content) as Record<string, any>) : undefined;
  return { doc, codes: r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), diagnostics: r.diagnostics };
}

test("script-block text is ps_script, and event.category:process with it is lifted, not a conflict", () => {
  const r = sigma(rule('event.category:process and host.os.type:windows and powershell.file.script_block_text:"Invoke-Mimikatz"', ["winlogbeat-*", "logs-windows.powershell*"]));
  assert.equal(r.doc?.logsource, { category: "ps_script", product: "windows" });
  assert.equal(Object.keys(r.doc?.detection.selection).map((k) => k.split("|")[0]), ["ScriptBlockText"]);
  assert.not.ok(r.codes.includes("mapping/logsource-narrowed"));
});

test("the index pattern alone names ps_script", () => {
  const r = sigma(rule('event.code:"4104" and process.pid:4', ["logs-windows.powershell*"]));
  assert.equal(r.doc?.logsource, { category: "ps_script", product: "windows" });
});

test("event.dataset and data_stream.dataset name cloud log sources, and are lifted", () => {
  const aws = sigma(rule('event.dataset:aws.cloudtrail and event.action:"StopLogging"', ["filebeat-*", "logs-aws*"]));
  assert.equal(aws.doc?.logsource, { product: "aws", service: "cloudtrail" });
  assert.not.match(JSON.stringify(aws.doc?.detection), "aws.cloudtrail");
  const okta = sigma(rule('data_stream.dataset:okta.system and event.action:"user.session.start"', ["logs-okta*"]));
  assert.equal(okta.doc?.logsource, { product: "okta", service: "okta" });
});

test("index patterns name product and service; a broad pattern does not contradict them", () => {
  const r = sigma(rule('event.code:"4624" and winlog.event_data.LogonType:"10"', ["winlogbeat-*", "logs-system.security*"]));
  assert.equal(r.doc?.logsource, { product: "windows", service: "security" });
  const cloud = sigma(rule('event.action:"StopLogging"', ["filebeat-*", "logs-aws.cloudtrail-*"]));
  assert.equal(cloud.doc?.logsource, { product: "aws", service: "cloudtrail" });
});

test("the query and an index pattern that disagree: a warning names both, the query's is kept", () => {
  const r = sigma(rule('host.os.type:linux and event.code:"4624"', ["logs-system.security*"]));
  assert.equal(r.doc?.logsource.product, "linux");
  const w = r.diagnostics.find((d) => d.code === "mapping/logsource-conflict");
  assert.ok(w, r.codes.join(","));
  assert.match(w!.message, "host.os.type:linux");
  assert.match(w!.message, "logs-system.security*");
});

test("nothing known: the data set becomes product/service with a definition and a warning, never {}", () => {
  const r = sigma(rule('event.action:"alert"', ["logs-acme_edr.alert-*"]));
  assert.equal(r.doc?.logsource.product, "acme_edr");
  assert.equal(r.doc?.logsource.service, "alert");
  assert.match(r.doc?.logsource.definition, "logs-acme_edr.alert-*");
  assert.ok(r.codes.includes("mapping/logsource-guessed"));
  const none = sigma(rule('event.action:"alert"', ["endgame-*"]));
  assert.equal(none.doc?.logsource.product, "endgame");
  assert.ok(none.doc?.logsource.definition);
  const ds = sigma(rule('event.dataset:zoom.webhook and event.action:"x"', ["filebeat-*"]));
  assert.equal(ds.doc?.logsource.product, "zoom");
  assert.match(ds.doc?.logsource.definition, "zoom.webhook");
});

test("a script-block field under network conditions is an error for every target", () => {
  const text = rule('event.category:network and powershell.file.script_block_text:"x"', ["winlogbeat-*"]);
  const read = readRules([{ path: "rules/conflict.yaml", text }]);
  const r = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
  assert.equal(r.files, []);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(errors.map((d) => d.code), ["mapping/logsource-field-conflict"]);
  assert.match(errors[0]!.message, "powershell.file.script_block_text");
  assert.match(errors[0]!.message, "network_connection");
  assert.equal(r.outcomes[0]!.failed, ["sigma", "splunk", "elastic"]);
});

test("a Sigma rule with ScriptBlockText under process_creation is an error for every target", () => {
  const text = [
    "title: Conflict",
    "id: 0a1b2c3d-0000-4000-8000-000000000002",
    "status: test",
    "logsource: { category: process_creation, product: windows }",
    "detection:",
    "    selection:",
    "        ScriptBlockText|contains: Invoke-Mimikatz",
    "    condition: selection",
    "level: high",
  ].join("\n");
  const read = readRules([{ path: "rules/conflict.yml", text }]);
  const r = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
  assert.equal(r.files, []);
  const e = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(e.map((d) => d.code), ["mapping/logsource-field-conflict"]);
  assert.match(e[0]!.message, "ScriptBlockText");
  assert.match(e[0]!.message, "process_creation");
  assert.equal(e[0]!.line, 7);
});

test("Elastic's image-load idiom (Defend's library events or Sysmon 7's `Image loaded*`) is image_load, and file.name there is ImageLoaded", () => {
  const q = (branch: string) =>
    rule(
      `any where host.os.type == "windows" and (${branch} or (event.category == "process" and event.action : "Image loaded*")) and process.name : "WINWORD.EXE" and (dll.name : "wmiutils.dll" or file.name : "wmiutils.dll")`,
      ["logs-endpoint.events.library-*", "logs-windows.sysmon_operational-*"],
    ).replace("language: kuery", "language: eql").replace("type: query", "type: eql");
  const r = sigma(q('event.category == "library"'));
  assert.equal(r.doc?.logsource, { category: "image_load", product: "windows" });
  assert.is(r.doc?.taxonomy, undefined);
  const names = Object.entries(r.doc?.detection ?? {}).flatMap(([k, v]: [string, any]) => (k === "condition" ? [] : Object.keys(v).map((f) => f.split("|")[0])));
  assert.equal([...new Set(names)].sort(), ["Image", "ImageLoaded"]);
  // With driver loads in the OR it is image_load without them (driver_load is another log source),
  // and a warning names what is left out (test/passes/lift-leaves-out.test.ts).
  const both = sigma(q('event.category : ("library", "driver")'));
  assert.is(both.doc?.taxonomy, undefined);
  assert.is(both.doc?.logsource?.category, "image_load");
  assert.ok(both.diagnostics.some((d) => d.code === "mapping/logsource-narrowed" && d.message.includes("`event.category:driver`")));
});

test("Sysmon 1's `Process Create*` action is one of the process-start actions process_creation already says", () => {
  const text = rule(
    'process where host.os.type == "windows" and event.type == "start" and event.action like ("exec", "start", "Process Create*") and process.name : "gitleaks.exe"',
    ["logs-endpoint.events.process-*", "logs-windows.sysmon_operational-*"],
  ).replace("language: kuery", "language: eql").replace("type: query", "type: eql");
  const r = sigma(text);
  assert.equal(r.doc?.logsource, { category: "process_creation", product: "windows" });
  assert.is(r.doc?.taxonomy, undefined);
  assert.not.match(JSON.stringify(r.doc?.detection), /event\.action/);
});

test("Defend's file `modification` is no file_event (a creation): file_change, with the action kept", () => {
  const eql = (q: string) => rule(q, ["logs-endpoint.events.file-*"]).replace("language: kuery", "language: eql").replace("type: query", "type: eql");
  for (const action of ['event.action == "modification"', 'event.action in ("modification", "rename")']) {
    const r = sigma(eql(`file where host.os.type == "macos" and ${action} and file.path like "/Library/DirectoryServices/PlugIns/*.dsplug"`));
    assert.equal(r.doc?.logsource, { category: "file_change", product: "macos" });
    assert.is(r.doc?.taxonomy, "ecs");
    assert.match(JSON.stringify(r.doc?.detection), /modification/);
    // Read back as file_event it was event.type:creation AND modification: no event. Now the read-back
    // adds event.type:change, which no Elastic document shows for `modification`: still said.
    const narrowed = r.diagnostics.filter((d) => d.code === "mapping/logsource-narrowed").map((d) => d.message).join(" ");
    assert.match(narrowed, /event\.type:change is added/);
    assert.not.match(narrowed, /creation/);
  }
  // A rename alone is still file_rename, a creation file_event.
  assert.equal(sigma(eql('file where host.os.type == "macos" and event.action == "rename" and file.path : "/tmp/x"')).doc?.logsource, { category: "file_rename", product: "macos" });
  assert.equal(sigma(eql('file where host.os.type == "macos" and event.type == "creation" and file.path : "/tmp/x"')).doc?.logsource, { category: "file_event", product: "macos" });
});

test("a rule's Kibana filters (ANDed beside the query) do not hide the query's source conditions from the lift", () => {
  const toml = [
    "[metadata]",
    'creation_date = "2024/01/01"',
    'maturity = "production"',
    'updated_date = "2024/01/01"',
    "[rule]",
    'author = ["Elastic"]',
    'description = "lift test"',
    'index = ["logs-windows.powershell*"]',
    'language = "kuery"',
    'license = "Elastic License v2"',
    'name = "Lift test"',
    "risk_score = 21",
    'rule_id = "0a1b2c3d-0000-4000-8000-000000000001"',
    'severity = "low"',
    'type = "query"',
    "query = '''",
    'event.category:process and host.os.type:windows and powershell.file.script_block_text:"Get-Clipboard"',
    "'''",
    "[[rule.filters]]",
    "[rule.filters.meta]",
    "negate = true",
    '[rule.filters.query.wildcard."file.path"]',
    "case_insensitive = true",
    "value = '?:\\Windows\\*.psd1'",
  ].join("\n");
  const r = sigma(toml, "rules/lift.toml");
  assert.equal(r.doc?.logsource, { category: "ps_script", product: "windows" });
  assert.is(r.doc?.taxonomy, undefined, JSON.stringify(r.doc?.detection));
  assert.not.match(JSON.stringify(r.doc?.detection), /event\.category|host\.os\.type/);
  assert.match(JSON.stringify(r.doc?.detection), /psd1/);
});

test.run();
