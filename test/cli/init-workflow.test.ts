/**
 * The CI workflow `init` writes must run as written: its `run:` steps are executed here, in
 * order, in a fresh folder, with rulecast installed from this checkout the way the workflow
 * installs it (package.json's devDependency, `npm install`, offline).
 */
import { execSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { rulecast } from "../helpers/cli.js";

const baseEnv = () => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RULECAST_") && !k.startsWith("npm_"))), npm_config_offline: "true", NO_COLOR: "1" });

test("init without a source writes no workflow that could not install rulecast, and says how to get one", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-init-"));
  const r = rulecast(["init"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(join(dir, ".github/workflows/rulecast.yml")));
  assert.match(r.stderr, /no CI workflow written: .*--source SPEC/);
});

test("init --source: the workflow's run steps pass in a fresh rules repository", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-init-"));
  const spec = `file:${resolve(".")}`;
  const r = rulecast(["init", "--source", spec], dir);
  assert.is(r.code, 0, r.stderr);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  assert.is(pkg.devDependencies["rulecast"], spec);
  const workflow = parse(readFileSync(join(dir, ".github/workflows/rulecast.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const runs = Object.values(workflow.jobs).flatMap((j) => j.steps).flatMap((s) => (s.run ? [s.run] : []));
  assert.ok(runs.length >= 3, "install, check, convert --check");
  assert.not.ok(runs.some((s) => /npm (install|i) .*\brulecast\b/.test(s)), "rulecast comes from package.json, not a registry name");
  const sh = (cmd: string) => execSync(cmd, { cwd: dir, env: baseEnv(), stdio: "pipe", encoding: "utf8" });
  sh(runs[0]!); // npm install
  sh("npx --no-install rulecast convert"); // the user commits out/ before CI checks it
  for (const step of runs.slice(1)) sh(step);
  assert.ok(existsSync(join(dir, "rulecast.sarif")));
  // The check step fails when out/ is stale: it is a real check, not a formality.
  writeFileSync(join(dir, "out/splunk/savedsearches.conf"), "# edited\n");
  assert.throws(() => sh(runs[runs.length - 1]!));
});

test("init --source keeps an existing package.json's other keys and refuses to repoint rulecast without --force", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-init-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "mine", devDependencies: { rulecast: "git+https://a.example/r.git", other: "1.0.0" } }));
  const refused = rulecast(["init", "--source", "git+https://b.example/r.git"], dir);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /already installs rulecast from/);
  const forced = rulecast(["init", "--source", "git+https://b.example/r.git", "--force"], dir);
  assert.is(forced.code, 0, forced.stderr);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; devDependencies: Record<string, string> };
  assert.equal(pkg, { name: "mine", devDependencies: { rulecast: "git+https://b.example/r.git", other: "1.0.0" } });
});

test.run();
