/**
 * Every path option means what the shell user means: a relative path is from the working folder,
 * an absolute path is itself (it was once joined onto the working folder: `/abs/x` became
 * `<cwd>/abs/x`). Each option is run from a subfolder, once relative and once absolute.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const event = (parse(seed) as { samples: { match: unknown[] } }).samples.match[0];

function tree() {
  const dir = tempTree({
    "repo/rules/r.yaml": seed,
    "data/events.json": JSON.stringify([event]),
    "conf/rulecast.config.yaml": "targets: [sigma]\n",
    "tpl/sigma/file.yaml.hbs": "# custom\n{{#each documents}}{{{this}}}\n{{/each}}",
    "repo/sub/.keep": "",
    "repo/sigma/s.yml": SIGMA_RULE,
  });
  return { dir, cwd: join(dir, "repo/sub") };
}

/** The same option as a path relative to cwd and as an absolute path. */
function both(dir: string, rel: string): [string, string] {
  return [join("../..", rel), join(dir, rel)];
}

test("test --events and --report, relative and absolute", () => {
  const { dir, cwd } = tree();
  for (const [i, events] of both(dir, "data/events.json").entries()) {
    const [, report] = both(dir, `data/report-${i}.json`);
    const r = rulecast(["test", "../rules/r.yaml", "--events", events, "--expect", "match", "--report", i === 0 ? `../../data/report-${i}.json` : report], cwd);
    assert.is(r.code, 0, `${events}: ${r.stderr}`);
    assert.ok(existsSync(join(dir, `data/report-${i}.json`)), report);
  }
});

test("convert --out, --config, --templates, --report; check --report; attack layer --out; import --out; init DIR", () => {
  const { dir, cwd } = tree();
  for (const [i, pair] of [both(dir, "o0"), both(dir, "o1")].entries()) {
    const out = pair[i]!;
    const [config] = [both(dir, "conf/rulecast.config.yaml")[i]!];
    const templates = both(dir, "tpl")[i]!;
    const report = both(dir, `rep-${i}.json`)[i]!;
    const r = rulecast(["convert", "../rules", "--out", out, "--config", config, "--templates", templates, "--report", "json", report], cwd);
    assert.is(r.code, 0, `${out}: ${r.stderr}`);
    assert.match(readFileSync(join(dir, `o${i}/sigma/unusual_process_network_connection.yml`), "utf8"), /^# custom/, "templates and config were read from the path given");
    assert.not.ok(existsSync(join(dir, `o${i}/splunk`)), "the config named sigma only");
    assert.ok(existsSync(join(dir, `rep-${i}.json`)));
    const c = rulecast(["check", "../rules", "--to", "sigma", "--report", "sarif", both(dir, `chk-${i}.sarif`)[i]!], cwd);
    assert.is(c.code, 0, c.stderr);
    assert.ok(existsSync(join(dir, `chk-${i}.sarif`)));
    const a = rulecast(["attack", "layer", "../rules", "--out", both(dir, `layer-${i}.json`)[i]!], cwd);
    assert.is(a.code, 0, a.stderr);
    assert.ok(existsSync(join(dir, `layer-${i}.json`)));
    const imp = rulecast(["import", "../sigma", "--out", both(dir, `imp-${i}`)[i]!], cwd);
    assert.is(imp.code, 0, imp.stderr);
    assert.ok(existsSync(join(dir, `imp-${i}`)));
    const init = rulecast(["init", both(dir, `init-${i}`)[i]!], cwd);
    assert.is(init.code, 0, init.stderr);
    assert.ok(existsSync(join(dir, `init-${i}/rulecast.config.yaml`)));
  }
});

test("rule paths named on the command line, relative and absolute, for every command that reads rules", () => {
  const { dir, cwd } = tree();
  for (const [i, rules] of both(dir, "repo/rules").entries()) {
    const file = join(rules, "r.yaml");
    for (const args of [["convert", rules, "--to", "sigma"], ["check", file, "--to", "sigma"], ["test", file], ["attack", "layer", rules]]) {
      const r = rulecast(args, cwd);
      assert.is(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    }
    const imp = rulecast(["import", both(dir, "repo/sigma")[i]!, "--out", join(dir, `imp-pos-${i}`)], cwd);
    assert.is(imp.code, 0, imp.stderr);
    assert.ok(existsSync(join(dir, `imp-pos-${i}`)));
  }
});

test.run();
