/**
 * The summary after `convert` counts rules by how many targets they reached (issue 17, item 13):
 * a rule written for Splunk and refused for Elastic is "to some", never "failed" beside files
 * that were written. The counts add up to the rules read, and the exit code is 1 exactly when a
 * rule reached fewer targets than it was meant for (or a file failed to load).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCounts } from "../../src/cli/run-summary.js";
import { rulecast, tempTree } from "../helpers/cli.js";

const sigma = (id: string, title: string, detection: string, logsource = "{product: windows, category: process_creation}") =>
  `title: ${title}\nid: ${id}\nstatus: test\nlogsource: ${logsource}\nlevel: low\ndetection:\n${detection}`;

const GOOD = sigma("11111111-1111-4111-8111-111111111111", "Good", "  sel:\n    Image|endswith: '\\\\cmd.exe'\n  condition: sel\n");
// Splunk searches a field the Sigma → ECS mapping lacks by its own name; Elastic refuses it
// (unmapped field): written for Splunk, refused for Elastic.
const FIELDREF = sigma("44444444-1111-4111-8111-111111111111", "Fieldref", "  sel:\n    query|endswith: '.onion'\n    Z: 0\n  condition: sel\n", "{product: zeek, service: dns}");
// The same id again: refused for every target (Kibana refuses two rules of one rule_id).
const SAME_ID = sigma("11111111-1111-4111-8111-111111111111", "Same id", "  sel:\n    Image|endswith: '\\\\sh.exe'\n  condition: sel\n");
// Z has no Elastic mapping: `--unmapped skip` leaves the rule out of Elastic without failing it.
const UNMAPPED = sigma("66666666-1111-4111-8111-111111111111", "Unmapped", "  sel:\n    query|endswith: '.onion'\n    Z: 0\n  condition: sel\n", "{product: zeek, service: dns}");

const summary = (stderr: string) => /^\d+ rules?: .*$/m.exec(stderr)?.[0];

test("a rule written for Splunk and refused for Elastic counts as converted to some, with the per-target count", () => {
  const dir = tempTree({ "rules/fieldref.yml": FIELDREF });
  const r = rulecast(["convert", "rules", "--to", "splunk,elastic", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.is(summary(r.stderr), "1 rule: 0 converted to every target, 1 to some (splunk 1, elastic 0), 0 to none, 0 skipped");
  assert.ok(readdirSync(join(dir, "out/splunk")).length > 0, "the Splunk files the line counts are written");
  assert.not.ok(existsSync(join(dir, "out/elastic/fieldref.json")));
});

test("every, some, none and skipped add up to the rules read; exit 1 follows some and none", () => {
  const dir = tempTree({ "rules/a-good.yml": GOOD, "rules/b-fieldref.yml": FIELDREF, "rules/c-same-id.yml": SAME_ID });
  const r = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.is(summary(r.stderr), "3 rules: 1 converted to every target, 1 to some (sigma 1, splunk 1, elastic 0), 1 to none, 0 skipped");
  assert.match(r.stderr, /^failed rules by first error: mapping\/unmapped-field 1, rule\/duplicate-id 1$/m);
});

test("a rule left out of a target by --unmapped skip is not a failure: exit 0, and the line says so", () => {
  const dir = tempTree({ "rules/a-good.yml": GOOD, "rules/u.yml": UNMAPPED });
  const both = rulecast(["convert", "rules", "--to", "splunk,elastic", "--unmapped", "skip"], dir);
  assert.is(both.code, 0, both.stderr);
  assert.is(summary(both.stderr), "2 rules: 2 converted to every target (1 left out of some by --unmapped skip), 0 to some, 0 to none, 0 skipped");
  const elasticOnly = rulecast(["convert", "rules", "--to", "elastic", "--unmapped", "skip"], dir);
  assert.is(elasticOnly.code, 0, elasticOnly.stderr);
  assert.is(summary(elasticOnly.stderr), "2 rules: 1 converted to every target, 0 to some, 0 to none, 1 skipped");
});

test("runCounts: the failure count is some + none + files that failed to load + name collisions", () => {
  const ref = (id: string) => ({ id, name: id, source: { file: `${id}.yml`, line: 1, col: 1 } }) as never;
  const c = runCounts(
    [
      { rule: ref("a"), converted: ["sigma", "splunk"], failed: [], skippedFor: [], skipped: false },
      { rule: ref("b"), converted: ["splunk"], failed: ["sigma"], skippedFor: [], skipped: false },
      { rule: ref("c"), converted: [], failed: ["sigma"], skippedFor: ["splunk"], skipped: false },
      { rule: ref("d"), converted: [], failed: [], skippedFor: ["sigma", "splunk"], skipped: true },
    ],
    ["sigma", "splunk"],
    2,
    1,
  );
  assert.equal([c.rules, c.every, c.some, c.none, c.skipped, c.failed], [4, 1, 1, 1, 1, 5]);
  assert.equal(c.someByTarget, [["sigma", 0], ["splunk", 1]]);
});

test.run();
