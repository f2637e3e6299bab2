/**
 * Every command as a subprocess: `--help` with examples, `init` then `convert` in an empty folder,
 * `check` findings and exit codes, `list`, `attack layer`, stdin, and usage errors (exit 2) that
 * name the command listing valid values.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, seedVariant, SIGMA_RULE, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

test("every command's --help shows examples", () => {
  for (const cmd of [["convert"], ["check"], ["import"], ["test"], ["list"], ["init"], ["attack", "layer"]]) {
    const r = rulecast([...cmd, "--help"], process.cwd());
    assert.is(r.code, 0, cmd.join(" "));
    assert.match(r.stdout, /Examples:/, cmd.join(" "));
    assert.match(r.stdout, new RegExp(`rulecast ${cmd.join(" ")}`), cmd.join(" "));
  }
});

test("init then convert works in an empty folder; init again refuses to overwrite (exit 2)", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-init-"));
  const init = rulecast(["init", "--source", "git+https://git.example.org/sec/rulecast.git"], dir);
  assert.is(init.code, 0, init.stderr);
  for (const f of ["rulecast.config.yaml", "rules/example_rule.yaml", ".github/workflows/rulecast.yml", "package.json"]) assert.ok(existsSync(join(dir, f)), f);
  const check = rulecast(["check"], dir);
  assert.is(check.code, 0, check.stderr);
  assert.match(check.stderr, /1 rules checked, 0 errors, 0 warnings/);
  const convert = rulecast(["convert"], dir);
  assert.is(convert.code, 0, convert.stderr);
  assert.match(convert.stderr, /1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped/);
  for (const f of ["sigma/example_certutil_network_connection.yml", "splunk/savedsearches.conf", "elastic/rules.ndjson"]) assert.ok(existsSync(join(dir, "out", f)), f);
  assert.is(rulecast(["convert", "--check"], dir).code, 0);
  const again = rulecast(["init"], dir);
  assert.is(again.code, 2);
  assert.match(again.stderr, /not overwriting rulecast\.config\.yaml/);
  assert.match(readFileSync(join(dir, ".github/workflows/rulecast.yml"), "utf8"), /rulecast convert --check/);
});

test("check: the bundled rules have warnings only (exit 0); --fail-on warning makes them fail (exit 1)", () => {
  const r = rulecast(["check", "rules"], process.cwd());
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /rules\/psexec_network_connection\.yaml:44:13: warning attack\/revoked-technique: T1035 \(Service Execution\) was revoked; use T1569\.002/);
  assert.match(r.stderr, /rules\/unusual_process_network_connection\.yaml:39:13: warning attack\/name-mismatch: T1127 is named `Trusted Developer Utilities Proxy Execution`/);
  assert.is((r.stderr.match(/revoked-technique/g) ?? []).length, 1, "one finding for a technique listed under two tactics");
  assert.is(rulecast(["check", "rules", "--fail-on", "warning"], process.cwd()).code, 1);
  assert.is(rulecast(["check", "rules"], process.cwd(), { env: { RULECAST_FAIL_ON: "warning" } }).code, 1);
});

test("check: schedule gaps, unknown ATT&CK ids, duplicate ids and names, schema errors; exit 1", () => {
  const gap = seedVariant(seed, 1, (t) => t.replace("interval: 5m", "interval: 10m"));
  const badAttack = seedVariant(seed, 2, (t) => t.replace("id: T1127", "id: T9999").replace("id: TA0002", "id: TA0999"));
  const dupName = seedVariant(seed, 3).replace(/^name: .*$/m, "name: Seed Variant 1");
  const dupId = seedVariant(seed, 4).replace(/^rule_id: .*$/m, "rule_id: 00000001-312f-4e04-bb55-3a79b8c95267");
  const dir = tempTree({ "rules/a.yaml": gap, "rules/b.yaml": badAttack, "rules/c.yaml": dupName, "rules/d.yaml": dupId, "rules/e.yaml": "rule_id: x\n" });
  const r = rulecast(["check", "rules"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^rules\/a\.yaml:15:1: error schedule\/interval-exceeds-lookback: the rule runs every 10m but searches only now-9m\.\.now/m);
  assert.match(r.stderr, /^rules\/b\.yaml:\d+:\d+: error attack\/unknown-tactic: TA0999 is not an ATT&CK v18\.1 tactic/m);
  assert.match(r.stderr, /^rules\/b\.yaml:39:13: error attack\/unknown-technique: T9999 is not an ATT&CK v18\.1 technique/m);
  assert.match(r.stderr, /^rules\/c\.yaml:3:1: error rule\/duplicate-name: rule name `Seed Variant 1` is also used by rules\/a\.yaml:1/m);
  assert.match(r.stderr, /^rules\/d\.yaml:2:1: error rule\/duplicate-id: rule id 00000001-312f-4e04-bb55-3a79b8c95267 is also used by rules\/a\.yaml:1/m);
  assert.match(r.stderr, /^rules\/e\.yaml:1:1: error rule\/missing-field: required field `name` is missing/m);
  assert.not.ok(existsSync(join(dir, "out")), "check writes nothing");
});

test("check: mapping coverage per target", () => {
  const unmapped = seedVariant(seed, 5, (t) => t.replace("event.type:connection and", "event.type:connection and some.custom_field:x and"));
  const dir = tempTree({ "rules/a.yaml": unmapped });
  const r = rulecast(["check", "rules", "--to", "splunk"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /error mapping\/unmapped-field: splunk: .*some\.custom_field/);
  const warn = rulecast(["check", "rules", "--to", "splunk", "--unmapped", "warning"], dir);
  assert.is(warn.code, 0, warn.stderr);
});

test("list: targets, formats, mappings, fields; an unknown name answers with the listing command", () => {
  const cwd = process.cwd();
  assert.match(rulecast(["list", "targets"], cwd).stdout, /^sigma +.*\nsplunk +.*\nelastic +/);
  const formats = rulecast(["list", "formats"], cwd).stdout;
  assert.match(formats, /elastic-toml/);
  assert.match(formats, /sarif/);
  assert.match(rulecast(["list", "mappings"], cwd).stdout, /sigma-splunk/);
  assert.match(rulecast(["list", "fields", "--mapping", "sigma-splunk"], cwd).stdout, /^EventID\tEventCode$/m);
  assert.match(rulecast(["list", "fields", "--mapping", "sigma-ecs"], cwd).stdout, /^OpNum\twinlog\.event_data\.param8 \| winlog\.event_data\.param7\t\(value: unnamed-insertion\)\t\[product=rpc_firewall\]$/m);
  const bad = rulecast(["list", "fields", "--mapping", "qradar"], cwd);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /unknown mapping `qradar`; run `rulecast list mappings`/);
  const badFormat = rulecast(["check", "rules", "--report", "xml", "r.xml"], cwd);
  assert.is(badFormat.code, 2);
  assert.match(badFormat.stderr, /unknown report format `xml`; run `rulecast list formats`/);
  const badFrom = rulecast(["convert", "rules", "--from", "qradar"], cwd);
  assert.is(badFrom.code, 2);
  assert.is(rulecast(["list", "nothing"], cwd).code, 2);
});

test("stdin: `-` reads one rule; results on stdout, diagnostics on stderr", () => {
  const dir = tempTree({});
  const r = rulecast(["convert", "-", "--to", "splunk"], dir, { input: SIGMA_RULE });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^==> splunk\/whoami_execution\.spl <==\n/);
  assert.match(r.stdout, /whoami\.exe/);
  assert.match(r.stderr, /1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped/);
  const bad = rulecast(["convert", "-"], dir, { input: "rule_id: x\n" });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /^<stdin>:1:1: error rule\/missing-field/m);
});

test("attack layer: a Navigator layer of the rules' techniques", () => {
  const dir = tempTree({ "rules/a.yaml": seed });
  const r = rulecast(["attack", "layer", "rules", "--out", "layer.json"], dir);
  assert.is(r.code, 0, r.stderr);
  const layer = JSON.parse(readFileSync(join(dir, "layer.json"), "utf8")) as { domain: string; versions: { attack: string }; techniques: { techniqueID: string; tactic: string; score: number; comment: string }[] };
  assert.is(layer.domain, "enterprise-attack");
  assert.is(layer.versions.attack, "18");
  assert.equal(layer.techniques.map((t) => [t.techniqueID, t.tactic, t.score, t.comment]), [["T1127", "defense-evasion", 1, "Unusual Process Network Connection"]]);
});

test("import is wired: a missing path is a usage error", () => {
  const r = rulecast(["import", "nope", "--out", "rules"], tempTree({}));
  assert.is(r.code, 2);
  assert.match(r.stderr, /no such file or directory/);
});

test("no progress bar when stderr is not a terminal", () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`rules/r${i}.yaml`] = seedVariant(seed, 100 + i);
  const r = rulecast(["convert", "rules", "--to", "sigma"], tempTree(files));
  assert.is(r.code, 0, r.stderr.slice(0, 500));
  assert.not.match(r.stderr, /\r/);
  assert.match(r.stderr, /60 converted/);
});

test.run();
