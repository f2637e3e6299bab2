/**
 * Sigma `%name%` placeholders (`expand`) take their values from `placeholders:` in the config; a
 * missing one is a positioned error that says where to give it.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const rule = readFileSync("../shared/corpus/sigma/rules-placeholder/cloud/aws/cloudtrail/aws_cloudtrail_console_login_success_from_susp_locations.yml", "utf8");

test("values from the config expand the placeholders", () => {
  const dir = tempTree({ "r.yml": rule, "rulecast.config.yaml": "placeholders:\n  Legitimate_Countries: [US, DE]\n  Legitimate_IP_Ranges: [10.0.0.0/8]\n" });
  const r = rulecast(["convert", "r.yml", "--to", "splunk"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /NOT \(src_country="US" OR src_country="DE" OR src_ip="10\.0\.0\.0\/8"\)/);
});

test("a placeholder without values fails the rule with its position and where to give it", () => {
  const dir = tempTree({ "r.yml": rule });
  const r = rulecast(["convert", "r.yml", "--to", "splunk"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^r\.yml:\d+:\d+: error sigma\/missing-placeholder: no values for placeholder %Legitimate_Countries%.*placeholders:` in rulecast\.config\.yaml/m);
});

test.run();
