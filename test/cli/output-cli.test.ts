/**
 * Outputs for git, as a subprocess: naming templates that mirror the rules tree, collisions as
 * errors, the Splunk app folder and .tgz, `--check` diffs, reports that CI UIs read.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, seedVariant, SIGMA_RULE, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

/** Names and contents of a ustar archive's entries. */
function untar(tgz: Buffer): Map<string, string> {
  const tar = gunzipSync(tgz);
  const out = new Map<string, string>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const field = (o: number, n: number) => h.subarray(o, o + n).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12), 8);
    const prefix = field(345, 155);
    const name = (prefix ? prefix + "/" : "") + field(0, 100);
    out.set(name, tar.subarray(at + 512, at + 512 + size).toString("utf8"));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

test("--naming '{target}/{path}' mirrors the rules tree; bundles stay beside them", () => {
  const dir = tempTree({ "rules/windows/net/a.yaml": seedVariant(seed, 1), "rules/b.yaml": seedVariant(seed, 2), "rules/sigma/whoami.yml": SIGMA_RULE });
  const r = rulecast(["convert", "rules", "--out", "out", "--naming", "{target}/{path}"], dir);
  assert.is(r.code, 0, r.stderr);
  for (const f of ["sigma/windows/net/a.yml", "sigma/b.yml", "sigma/sigma/whoami.yml", "splunk/windows/net/a.spl", "elastic/windows/net/a.json", "elastic/rules.ndjson", "splunk/savedsearches.conf"]) {
    assert.ok(existsSync(join(dir, "out", f)), f);
  }
  const byId = rulecast(["convert", "rules", "--out", "ids", "--naming", "{target}/{id}"], dir);
  assert.is(byId.code, 0, byId.stderr);
  assert.ok(existsSync(join(dir, "ids/elastic/00000001-312f-4e04-bb55-3a79b8c95267.json")));
  assert.is(rulecast(["convert", "rules", "--out", "out", "--naming", "{target}/{path}", "--check"], dir).code, 0);
});

test("two rules given one name are a collision: error, exit 1, nothing written", () => {
  const dir = tempTree({ "rules/a.yaml": seedVariant(seed, 1), "rules/b.yaml": seedVariant(seed, 2) });
  const r = rulecast(["convert", "rules", "--out", "out", "--naming", "{target}/rule"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^rules\/b\.yaml:1:1: error output\/name-collision: sigma\/rule\.yml: rule 00000002-312f-4e04-bb55-3a79b8c95267 \(rules\/b\.yaml\) and rule 00000001-312f-4e04-bb55-3a79b8c95267 \(rules\/a\.yaml\) would both be written here/m);
  assert.not.ok(existsSync(join(dir, "out")));
  const bad = rulecast(["convert", "rules", "--naming", "{target}/{name}"], dir);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /unknown placeholder \{name\}/);
});

test("--splunk-app writes an app folder and a .tgz holding the same files, byte-identical on rerun", () => {
  const dir = tempTree({ "rules/a.yaml": seed });
  const r = rulecast(["convert", "rules", "--to", "splunk", "--out", "out", "--splunk-app", "soc_detections"], dir);
  assert.is(r.code, 0, r.stderr);
  const app = join(dir, "out/splunk-app/soc_detections");
  const appConf = readFileSync(join(app, "default/app.conf"), "utf8");
  assert.match(appConf, /^id = soc_detections$/m);
  assert.match(appConf, /^label = soc_detections$/m);
  const conf = readFileSync(join(app, "default/savedsearches.conf"), "utf8");
  assert.is(conf, readFileSync(join(dir, "out/splunk/savedsearches.conf"), "utf8"));
  assert.match(conf, /^\[soc_detections - Unusual Process Network Connection - Rule\]$/m);
  assert.match(readFileSync(join(app, "metadata/default.meta"), "utf8"), /^export = system$/m);
  const tgz = readFileSync(join(dir, "out/splunk-app/soc_detections.tgz"));
  const entries = untar(tgz);
  assert.equal([...entries.keys()], ["soc_detections/", "soc_detections/default/", "soc_detections/default/app.conf", "soc_detections/default/macros.conf", "soc_detections/default/savedsearches.conf", "soc_detections/metadata/", "soc_detections/metadata/default.meta"]);
  assert.is(entries.get("soc_detections/default/savedsearches.conf"), conf);
  rulecast(["convert", "rules", "--to", "splunk", "--out", "out", "--splunk-app", "soc_detections"], dir);
  assert.ok(readFileSync(join(dir, "out/splunk-app/soc_detections.tgz")).equals(tgz), "same bytes on rerun");
  assert.is(rulecast(["convert", "rules", "--to", "splunk", "--out", "out", "--splunk-app", "soc_detections", "--check"], dir).code, 0);
  const bad = rulecast(["convert", "rules", "--splunk-app", "9 bad name"], dir);
  assert.is(bad.code, 2, bad.stderr);
});

test("--check lists each stale file with a unified diff and exits 1; writes nothing", () => {
  const dir = tempTree({ "rules/a.yaml": seed });
  assert.is(rulecast(["convert", "rules", "--out", "out"], dir).code, 0);
  const spl = join(dir, "out/splunk/unusual_process_network_connection.spl");
  writeFileSync(spl, "stale\n");
  const r = rulecast(["convert", "rules", "--out", "out", "--check"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /out\/splunk\/unusual_process_network_connection\.spl: differs from a fresh conversion/);
  assert.match(r.stdout, /^--- out\/splunk\/unusual_process_network_connection\.spl\n\+\+\+ out\/splunk\/unusual_process_network_connection\.spl \(regenerated\)\n/m);
  assert.match(r.stdout, /^-stale$/m);
  assert.is(readFileSync(spl, "utf8"), "stale\n", "--check writes nothing");
  assert.equal(readdirSync(join(dir, "out/splunk")).filter((f) => f.includes("rulecast-tmp")), [], "no temporary files left");
});

test("--report json|sarif|junit place findings at file, line and column with rule id and title", () => {
  const dir = tempTree({ "rules/a.yaml": seedVariant(seed, 1, (t) => t.replace("interval: 5m", "interval: 10m")) });
  const sarif = rulecast(["check", "rules", "--report", "sarif", "out/check.sarif"], dir);
  assert.is(sarif.code, 1);
  const s = JSON.parse(readFileSync(join(dir, "out/check.sarif"), "utf8"));
  assert.is(s.version, "2.1.0");
  const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "schedule/interval-exceeds-lookback");
  assert.ok(res, JSON.stringify(s.runs[0].results));
  assert.is(res.level, "error");
  assert.equal(res.locations[0].physicalLocation, { artifactLocation: { uri: "rules/a.yaml" }, region: { startLine: 15, startColumn: 1 } });
  assert.is(res.properties.ruleId, "00000001-312f-4e04-bb55-3a79b8c95267");
  assert.match(res.message.text, /^Seed Variant 1: the rule runs every 10m/);

  rulecast(["check", "rules", "--report", "json", "check.json"], dir);
  const j = JSON.parse(readFileSync(join(dir, "check.json"), "utf8"));
  const entry = j.findings.find((f: { checkId: string }) => f.checkId === "schedule/interval-exceeds-lookback");
  assert.equal(Object.keys(entry).sort(), ["checkId", "column", "file", "line", "message", "ruleId", "severity", "title"]);

  rulecast(["check", "rules", "--report", "junit", "check.xml"], dir);
  const x = readFileSync(join(dir, "check.xml"), "utf8");
  assert.match(x, /<testcase classname="rules\/a\.yaml" name="Seed Variant 1 \[00000001-312f-4e04-bb55-3a79b8c95267\]">/);
  assert.match(x, /<failure type="schedule\/interval-exceeds-lookback"/);

  const conv = rulecast(["convert", "rules", "--report", "json", "convert.json"], dir);
  assert.is(conv.code, 0, conv.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, "convert.json"), "utf8")).summary, { converted: 1, skipped: 0, failed: 0 });
});

test("--fail-on warning: convert exits 1 on warnings (the seed PsExec rule narrows its log source)", () => {
  const dir = tempTree({ "rules/a.yaml": readFileSync("rules/psexec_network_connection.yaml", "utf8") });
  assert.is(rulecast(["convert", "rules", "--to", "sigma"], dir).code, 0);
  const r = rulecast(["convert", "rules", "--to", "sigma", "--fail-on", "warning"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /warning mapping\/logsource-narrowed/);
});

test("--templates: the README's example adds a field to every Elastic rule and the ndjson bundle", () => {
  const builtin = readFileSync("templates/elastic/rule.json.hbs", "utf8");
  const dir = tempTree({
    "rules/a.yaml": seed,
    "my-templates/elastic/rule.json.hbs": builtin.replace('  "severity": {{json severity}},', '  "exceptions_list": [],\n  "severity": {{json severity}},'),
    "bad/elastic/rule.json.hbs": "{{constructor.name}}",
  });
  const r = rulecast(["convert", "rules", "--to", "elastic", "--templates", "my-templates", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, "out/elastic/unusual_process_network_connection.json"), "utf8")).exceptions_list, []);
  assert.equal(JSON.parse(readFileSync(join(dir, "out/elastic/rules.ndjson"), "utf8").split("\n")[0]!).exceptions_list, []);
  // Prototype access is off: a template cannot reach `constructor` of the view.
  const proto = rulecast(["convert", "rules", "--to", "elastic", "--templates", "bad"], dir);
  assert.not.match(proto.stdout, /Object/);
  assert.is(rulecast(["convert", "rules", "--templates", "nope"], dir).code, 2);
});

test.run();
