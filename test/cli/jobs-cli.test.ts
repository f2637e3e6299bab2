/**
 * `--jobs`: worker threads change nothing a run writes or says. The same rule set (corpus rules,
 * a file that is no YAML, a duplicate id, a rule that fails to convert, a YAML file that is no
 * rule) converted with one thread and with worker threads gives the same files byte for byte,
 * the same stdout and stderr (diagnostics in the same order) and the same exit code, with and
 * without --skip-errors, with --check, and printed to stdout.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, SIGMA_RULE, tempTree, type CliRun } from "../helpers/cli.js";
import { snapshot } from "../helpers/folder-snapshot.js";

const CORPUS = "../shared/corpus/sigma/rules/windows/process_creation";
const corpus = readdirSync(CORPUS)
  .filter((n) => n.endsWith(".yml"))
  .sort()
  .slice(0, 12);
const good: Record<string, string> = Object.fromEntries(corpus.map((n) => [`rules/${n}`, readFileSync(join(CORPUS, n), "utf8")]));
const failing: Record<string, string> = {
  "rules/a_first.yml": SIGMA_RULE,
  "rules/m_broken.yml": "title: Broken\ndetection: [unclosed\n",
  "rules/n_same_id.yml": SIGMA_RULE.replace("Whoami Execution", "Whoami Again"),
  "rules/p_bad_cidr.yml": SIGMA_RULE.replace("id: 8a0f3c1e", "id: 9b0f3c1e").replace("Whoami Execution", "Bad Network").replace("Image|endswith: '\\whoami.exe'", "DestinationIp|cidr: 'not-a-cidr'"),
  "rules/q_notes.yaml": "just: notes\n",
  "rules/z_last.yml": SIGMA_RULE.replace("id: 8a0f3c1e", "id: 7c0f3c1e").replace("whoami", "hostname"),
};

/** The run with each --jobs value, in a fresh copy of the tree: what it printed, exited with and left in the folder. */
function runs(files: Record<string, string>, args: readonly string[], jobs = ["1", "2"], then?: (dir: string, jobs: string) => CliRun): { run: CliRun; out: Record<string, string> }[] {
  return jobs.map((j) => {
    const dir = tempTree(files);
    let run = rulecast([...args, "--jobs", j], dir);
    if (then) run = then(dir, j);
    return { run, out: snapshot(dir) };
  });
}

function same(results: { run: CliRun; out: Record<string, string> }[]) {
  const [one, ...more] = results;
  for (const r of more) {
    assert.is(r.run.code, one!.run.code);
    assert.fixture(r.run.stderr, one!.run.stderr);
    assert.fixture(r.run.stdout, one!.run.stdout);
    assert.equal(r.out, one!.out);
  }
}

test("failing rules: same diagnostics, exit 1, nothing written, whatever the threads", () => {
  const r = runs({ ...good, ...failing }, ["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"]);
  same(r);
  assert.is(r[0]!.run.code, 1);
  for (const d of ["m_broken.yml:3:1: error sigma/yaml-syntax", "n_same_id.yml:1:1: error rule/duplicate-id", "p_bad_cidr.yml", "z_last.yml"]) assert.match(r[0]!.run.stderr, d);
  assert.match(r[0]!.run.stderr, "nothing written");
  assert.equal(Object.keys(r[0]!.out).filter((p) => p.startsWith("out")), []);
});

test("--skip-errors: the same files, byte for byte, and the same exit code", () => {
  const r = runs({ ...good, ...failing }, ["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out", "--skip-errors"], ["1", "2", "3"]);
  same(r);
  assert.is(r[0]!.run.code, 1);
  assert.ok(Object.keys(r[0]!.out).filter((p) => p.startsWith("out/sigma/")).length >= 12);
  assert.ok(r[0]!.out["out/splunk/savedsearches.conf"]);
});

test("a clean set: exit 0, same files; --check with threads finds a single thread's output current", () => {
  const r = runs(good, ["convert", "rules", "--out", "out"], ["1", "2"], (dir, j) => rulecast(["convert", "rules", "--out", "out", "--check", "--jobs", j], dir));
  same(r);
  assert.is(r[0]!.run.code, 0, r[0]!.run.stderr);
});

test("--check with threads lists the same drift as one thread", () => {
  const r = runs({ ...good, ...failing }, ["convert", "rules", "--out", "out", "--skip-errors"], ["1", "2"], (dir, j) => {
    const out = join(dir, "out/splunk/savedsearches.conf");
    writeFileSync(out, readFileSync(out, "utf8").replace(/^search = /m, "search = index=x "));
    return rulecast(["convert", "rules", "--out", "out", "--check", "--jobs", j], dir);
  });
  same(r);
  assert.is(r[0]!.run.code, 1);
  assert.match(r[0]!.run.stdout + r[0]!.run.stderr, "savedsearches.conf");
});

test("printed to stdout: the same text", () => {
  const r = runs({ ...good, ...failing }, ["convert", "rules", "--to", "splunk,elastic", "--skip-errors"]);
  same(r);
  assert.ok(r[0]!.run.stdout.length > 1000);
});

test("workers use the run's templates, config vars and mapping overrides", () => {
  const file = readFileSync("templates/sigma/file.yaml.hbs", "utf8");
  const setup = {
    ...good,
    "rulecast.config.yaml": "vars:\n  team: blue-team\nmappings:\n  sigma-splunk:\n    Image: process_path\n",
    "tpl/sigma/file.yaml.hbs": `# owner: {{vars.team}}; rule: {{rule.id}}\n${file}`,
  };
  const r = runs(setup, ["convert", "rules", "--to", "sigma,splunk", "--templates", "tpl", "--out", "out"]);
  same(r);
  assert.is(r[0]!.run.code, 0, r[0]!.run.stderr);
  const sigma = Object.entries(r[1]!.out).filter(([p]) => p.startsWith("out/sigma/") && p.endsWith(".yml"));
  assert.ok(sigma.length >= 12);
  for (const [, b64] of sigma) assert.ok(Buffer.from(b64, "base64").toString("utf8").startsWith("# owner: blue-team; rule: "));
  assert.match(Buffer.from(r[1]!.out["out/splunk/savedsearches.conf"]!, "base64").toString("utf8"), "process_path");
});

test("--jobs is checked like every setting: flag, RULECAST_JOBS, config", () => {
  const dir = tempTree({ "rules/a.yml": SIGMA_RULE, "rulecast.config.yaml": "jobs: 2\n" });
  assert.is(rulecast(["convert", "rules", "--to", "splunk", "--out", "out"], dir).code, 0);
  const bad = rulecast(["convert", "rules", "--to", "splunk", "--out", "out", "--jobs", "0"], dir);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, "--jobs");
  const env = rulecast(["convert", "rules", "--to", "splunk", "--out", "out"], dir, { env: { RULECAST_JOBS: "many" } });
  assert.is(env.code, 2);
  assert.match(env.stderr, "RULECAST_JOBS");
});

test.run();
