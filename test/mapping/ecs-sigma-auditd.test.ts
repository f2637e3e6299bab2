/**
 * Linux auditd rules of Auditbeat's names (issue 15): `event.module:auditd` is the audit log, and
 * the action names go-libaudit gives exactly one record type are that type (linux:audit `type`).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

function splunk(query: string) {
  const text = [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000152",
    "name: Auditd test",
    "description: auditd test",
    "type: query",
    "language: kuery",
    'index: ["auditbeat-*", "logs-auditd_manager.auditd-*"]',
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");
  const out = convertRules(readRules([{ path: "rules/auditd.yaml", text }]).rules, ["splunk"], testContext());
  return {
    spl: out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "",
    errors: out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
  };
}

test("event.module auditd with an anomaly action is that audit record type in linux:audit", () => {
  const r = splunk('event.module:auditd and event.action:"failed-log-in-too-many-times-to"');
  assert.equal(r.errors, []);
  assert.equal(r.spl.split("\n")[0], 'sourcetype="linux:audit" type="ANOM_LOGIN_FAILURES"');
  const t = splunk('event.module:auditd and event.action:("opened-too-many-sessions-to" or "attempted-log-in-during-unusual-hour-to")');
  assert.equal(t.errors, []);
  assert.match(t.spl, /type="ANOM_LOGIN_SESSIONS" OR type="ANOM_LOGIN_TIME"/);
});

test("an action several record types or syscalls share has no type: unmapped, named", () => {
  const r = splunk('event.module:auditd and event.action:"opened-file"');
  assert.equal(r.spl, "");
  assert.ok(r.errors.some((m) => m.includes("event.action")), r.errors.join("\n"));
});

test.run();
