/**
 * ECS names of one path component or account (issue 19.2, exactness): a process name that may begin
 * anywhere (`*foo.exe`) is a path that ends with the rest of it, not one whose last component is
 * exactly the rest; a Windows user name is the part of Sysmon's `DOMAIN\name` after the backslash.
 * Checked in the Sigma file and read back by Elastic as the query it came from.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const rule = (query: string): string =>
  [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000193",
    "name: Names test",
    "description: names test",
    "type: eql",
    "language: eql",
    'index: ["logs-endpoint.events.process-*"]',
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");

function roundTrip(query: string): { detection: Record<string, unknown>; back: string } {
  const ctx = testContext();
  const out = convertRules(readRules([{ path: "rules/n.yaml", text: rule(query) }]).rules, ["sigma"], ctx);
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const doc = parse(yml) as { taxonomy?: string; detection: Record<string, unknown> };
  assert.is(doc.taxonomy, undefined);
  const again = convertRules(readRules([{ path: "back.yml", text: yml }]).rules, ["elastic"], ctx);
  assert.equal(again.diagnostics.filter((d) => d.severity === "error"), []);
  const json = again.files.find((f) => f.path.endsWith(".json"))?.content ?? "{}";
  return { detection: doc.detection, back: (JSON.parse(json) as { query: string }).query };
}

test("a name that may begin anywhere: the path ends with the rest (barfoo.exe matches *foo.exe)", () => {
  const { detection, back } = roundTrip('process where host.os.type == "windows" and event.type == "start" and process.name : "*foo.exe"');
  assert.equal(detection.selection, { "Image|endswith": "foo.exe" });
  assert.match(back, /process\.executable : "\*foo\.exe"/);
});

test("a whole name is still the last component", () => {
  const { detection } = roundTrip('process where host.os.type == "windows" and event.type == "start" and process.name : "foo.exe"');
  assert.equal(detection.selection, { "Image|endswith": "\\foo.exe" });
});

test("a Windows user name is what follows the backslash of Sysmon's User, read back as user.name", () => {
  const { detection, back } = roundTrip('process where host.os.type == "windows" and event.type == "start" and process.name : "cmd.exe" and user.name : "SYSTEM"');
  assert.equal(detection.selection, { "Image|endswith": "\\cmd.exe", "User|endswith": "\\SYSTEM" });
  assert.match(back, /user\.name : "SYSTEM"/);
  assert.not.match(back, /user\.domain/);
});

test("a Windows domain is what precedes the backslash, read back as user.domain", () => {
  const { detection, back } = roundTrip('process where host.os.type == "windows" and event.type == "start" and process.name : "cmd.exe" and user.domain : ("NT AUTHORITY", "AUTORIT* NT")');
  assert.equal(detection.selection_user, { "User|startswith": "NT AUTHORITY\\" });
  // Sigma escapes a backslash before a wildcard: `\\*` in the file is the backslash, then any name.
  assert.equal(detection.selection_user_2, { User: "AUTORIT* NT\\\\*" });
  assert.match(back, /user\.domain : \("NT AUTHORITY", "AUTORIT\* NT"\)/);
  assert.not.match(back, /user\.name/);
});

test("a domain with a backslash of its own, or outside Sysmon's User categories, keeps ECS names", () => {
  const ctx = testContext();
  for (const q of [
    'process where host.os.type == "windows" and event.type == "start" and user.domain : "A\\\\B"',
    'file where host.os.type == "windows" and event.type == "creation" and user.domain : "NT AUTHORITY"',
  ]) {
    const out = convertRules(readRules([{ path: "rules/n.yaml", text: rule(q) }]).rules, ["sigma"], ctx);
    const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
    assert.is((parse(yml) as { taxonomy?: string }).taxonomy, "ecs", q);
  }
});

test("a Linux user name is the whole User", () => {
  const { detection, back } = roundTrip('process where host.os.type == "linux" and event.type == "start" and process.name : "sh" and user.name : "root"');
  assert.equal(detection.selection, { "Image|endswith": "/sh", User: "root" });
  assert.match(back, /user\.name : "root"/);
});

test.run();
