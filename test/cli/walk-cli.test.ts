/**
 * `rulecast convert .` in a repository made by `init`: walking a folder skips rulecast's own
 * config, the output folder (a previous run's Sigma and Elastic files), and YAML that is no rule
 * (info line); a non-rule file named on the command line is still an error.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast } from "../helpers/cli.js";

test("convert . in an init folder converts the rule, twice, and --check passes", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-walk-"));
  assert.is(rulecast(["init"], dir).code, 0);
  writeFileSync(join(dir, "rules/notes.yml"), "owner: soc\nreview: weekly\n");
  for (let run = 0; run < 2; run++) {
    const r = rulecast(["convert", ".", "--verbose"], dir);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /^1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped$/m);
    assert.match(r.stderr, /rules\/notes\.yml:1:1: info input\/not-a-rule: /);
    assert.not.match(r.stderr, /rulecast\.config\.yaml/);
  }
  assert.is(rulecast(["convert", ".", "--check"], dir).code, 0);
});

test("a non-rule YAML file named on the command line is an error (exit 1)", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-walk-"));
  writeFileSync(join(dir, "notes.yml"), "owner: soc\n");
  const r = rulecast(["convert", "notes.yml", "--to", "sigma"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /notes\.yml:1:1: error input\/unknown-format/);
});

test.run();
