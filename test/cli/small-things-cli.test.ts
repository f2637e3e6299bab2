/**
 * What a user expects of any CLI and of rule checks: --version, a suggestion for a mistyped
 * command, a sub-technique in the wrong list named as such, a severity that contradicts the risk
 * score, and an import that leaves detection-rules' retired rules out unless asked.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

test("--version prints the package version, exit 0", () => {
  const r = rulecast(["--version"], process.cwd());
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), pkg.version);
});

test("a mistyped command gets a suggestion; an unknown one lists the commands (exit 2)", () => {
  const typo = rulecast(["conver", "rules"], process.cwd());
  assert.is(typo.code, 2);
  assert.match(typo.stderr, /^rulecast: unknown command `conver`; did you mean convert\?/m);
  const unknown = rulecast(["frobnicate"], process.cwd());
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command `frobnicate` \(commands: convert, check, import, test, list, init, attack/);
});

test("a sub-technique listed as a technique names where it belongs", () => {
  const dir = tempTree({ "rules/r.yaml": seed.replace(/id: T1127$/m, "id: T1218.011") });
  const r = rulecast(["check", "rules", "--to", "sigma"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /rules\/r\.yaml:39:13: error rule\/invalid-value: T1218\.011 is a sub-technique: list it under `subtechniques:` of technique T1218/);
  assert.not.match(r.stderr, /must match pattern/);
});

test("a severity that contradicts the risk score is a warning at risk_score; a matching one is not", () => {
  const dir = tempTree({ "rules/bad.yaml": seed.replace(/^severity: .*$/m, "severity: critical").replace(/^risk_score: .*$/m, "risk_score: 73"), "rules/good.yaml": seed });
  const r = rulecast(["check", "rules", "--to", "sigma"], dir);
  assert.match(r.stderr, /rules\/bad\.yaml:\d+:1: warning rule\/severity-risk-mismatch: severity critical contradicts risk score 73 \(critical is 74–100; 73 is high\)/);
  assert.not.match(r.stderr, /good\.yaml:\d+:\d+: warning rule\/severity-risk-mismatch/);
});

test("import skips rules under _deprecated/ with one line, unless --include-deprecated", () => {
  const toml = readFileSync("../shared/corpus/elastic/rules/windows/" + readdirSync("../shared/corpus/elastic/rules/windows").find((f) => f.endsWith(".toml"))!, "utf8");
  const dir = tempTree({ "in/windows/a.toml": toml, "in/_deprecated/b.toml": toml.replace(/^rule_id = ".*"$/m, 'rule_id = "00000000-0000-4000-8000-000000000001"') });
  const r = rulecast(["import", "in", "--out", "rules"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipped 1 file\(s\) under _deprecated\//);
  assert.equal(readdirSync(join(dir, "rules")), ["windows"]);
  const all = rulecast(["import", "in", "--out", "all", "--include-deprecated"], dir);
  assert.is(all.code, 0, all.stderr);
  assert.equal(readdirSync(join(dir, "all")).sort(), ["_deprecated", "windows"]);
});

test.run();
