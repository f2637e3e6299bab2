/**
 * `rulecast check` judges the targets the user converts to (issue 17, item 14): `--to` and the
 * config's `targets`, as `convert` takes them, so a rule that only Splunk cannot map does not fail
 * an Elastic-only user's check. With neither, every target is checked.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

// A field Splunk's ECS → Sigma mapping has no name for: an error for Splunk, nothing for Elastic.
const rule = readFileSync("rules/unusual_process_network_connection.yaml", "utf8").replace(/^query: >-\n/m, "query: >-\n  custom.field:x and\n");
const SPLUNK_ERROR = /error mapping\/unmapped-field: splunk: field `custom\.field`/;

test("check without config or --to checks every target; --to elastic does not fail on Splunk's error", () => {
  const dir = tempTree({ "rules/a.yaml": rule });
  const all = rulecast(["check", "rules"], dir);
  assert.is(all.code, 1, all.stdout + all.stderr);
  assert.match(all.stdout + all.stderr, SPLUNK_ERROR);
  const elastic = rulecast(["check", "rules", "--to", "elastic"], dir);
  assert.is(elastic.code, 0, elastic.stdout + elastic.stderr);
  assert.not.match(elastic.stdout + elastic.stderr, /splunk:|sigma:/);
});

test("check takes the config's targets; --to overrides them", () => {
  const elasticOnly = tempTree({ "rulecast.config.yaml": "targets: [elastic]\n", "rules/a.yaml": rule });
  const r = rulecast(["check", "rules"], elasticOnly);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout + r.stderr, /splunk:/);
  const splunkOnly = tempTree({ "rulecast.config.yaml": "targets: [splunk]\n", "rules/a.yaml": rule });
  const s = rulecast(["check", "rules"], splunkOnly);
  assert.is(s.code, 1, s.stdout + s.stderr);
  assert.match(s.stdout + s.stderr, SPLUNK_ERROR);
  assert.not.match(s.stdout + s.stderr, /sigma:/);
  assert.is(rulecast(["check", "rules", "--to", "elastic"], splunkOnly).code, 0);
});

test.run();
