/**
 * Sigma `|cased` (issue 19.3): never on a value without letters; `sigma_case: insensitive` (the
 * default) drops it with a per-rule warning that the match widened, `exact` keeps it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { parseConfig } from "../../src/config/config-file.js";
import { resolveSettings } from "../../src/config/settings.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { BUILTIN_CONFIG as declared, BUILTIN_SETTINGS as settingsOf } from "../helpers/declarations.js";
import { testContext } from "../helpers/convert-fixture.js";

const RULE = [
  "rule_id: 0a1b2c3d-0000-4000-8000-000000000003",
  "name: Case test",
  "description: case test",
  "type: eql",
  "language: eql",
  'index: ["winlogbeat-*"]',
  "severity: low",
  "risk_score: 21",
  "query: 'process where event.type == \"start\" and host.os.type == \"windows\" and process.executable == \"C:\\\\Tools\\\\x.exe\" and process.pid == 4 and winlog.event_data.LogonId == \"0x3e7\" and winlog.event_data.LogonType == \"10\"'",
].join("\n");

function convert(sigmaCase?: "exact" | "insensitive") {
  const read = readRules([{ path: "rules/case.yaml", text: RULE }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  const r = convertRules(read.rules, ["sigma"], testContext(sigmaCase ? { sigmaCase } : {}));
  assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
  const doc = parse(r.files[0]!.content) as { detection: Record<string, Record<string, unknown>> };
  return { keys: Object.values(doc.detection).flatMap((s) => (typeof s === "object" ? Object.keys(s) : [])), diagnostics: r.diagnostics };
}

test("insensitive (the default): no |cased, one warning naming the fields whose match widened", () => {
  const r = convert();
  assert.ok(r.keys.includes("Image"), r.keys.join(" "));
  assert.not.ok(r.keys.some((k) => k.includes("|cased")), r.keys.join(" "));
  const w = r.diagnostics.filter((d) => d.code === "sigma/case-widened");
  assert.is(w.length, 1);
  assert.match(w[0]!.message, "`Image`");
  assert.match(w[0]!.message, "`LogonId`");
  // Digits only: case means nothing, nothing widened.
  assert.not.match(w[0]!.message, "LogonType");
});

test("exact: |cased where the value has a letter, never on digits", () => {
  const r = convert("exact");
  assert.ok(r.keys.includes("Image|cased"), r.keys.join(" "));
  assert.ok(r.keys.includes("LogonId|cased"), r.keys.join(" "));
  assert.ok(r.keys.includes("LogonType"), r.keys.join(" "));
  assert.equal(r.diagnostics.filter((d) => d.code === "sigma/case-widened"), []);
});

test("sigma_case comes from flag, env or config, and refuses other values", () => {
  const read = parseConfig("c.yaml", "sigma_case: exact\n", declared);
  assert.ok("config" in read);
  const cfg = "config" in read ? read.config : undefined;
  const at = (values: Record<string, string>, env: Record<string, string>) => resolveSettings({ values }, env, cfg, "/r/c.yaml", "/r", settingsOf);
  const get = (r: ReturnType<typeof at>) => ("settings" in r ? r.settings.options["sigmaCase"] : r.error);
  assert.is(get(at({}, {})), "exact");
  assert.is(get(at({}, { RULECAST_SIGMA_CASE: "insensitive" })), "insensitive");
  assert.is(get(at({ sigmaCase: "exact" }, { RULECAST_SIGMA_CASE: "insensitive" })), "exact");
  assert.is(get(resolveSettings({}, {}, undefined, undefined, "/r", settingsOf)), "insensitive");
  assert.match(String(get(at({ sigmaCase: "lower" }, {}))), "--sigma-case must be one of exact, insensitive");
  const bad = parseConfig("c.yaml", "sigma_case: upper\n", declared);
  assert.ok("error" in bad);
});

test.run();
