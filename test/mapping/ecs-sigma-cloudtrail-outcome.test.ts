/**
 * AWS CloudTrail event.outcome (issue 19.2): the AWS integration derives it from whether errorCode or
 * errorMessage is set, except for ConsoleLogin. Where a top-level condition keeps event.action off
 * ConsoleLogin, `success` is both absent and `failure` either present, in Sigma's CloudTrail names;
 * Elastic reads them back as the integration's error fields. Anywhere else the rule keeps ECS names.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const rule = (query: string): string =>
  [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000191",
    "name: CloudTrail outcome test",
    "description: cloudtrail outcome test",
    "type: query",
    "language: kuery",
    'index: ["filebeat-*", "logs-aws.cloudtrail-*"]',
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");

function toSigma(query: string) {
  const ctx = testContext();
  const out = convertRules(readRules([{ path: "rules/ct.yaml", text: rule(query) }]).rules, ["sigma"], ctx);
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  return { yml, doc: parse(yml) as { taxonomy?: string; logsource: unknown; detection: Record<string, unknown> }, diagnostics: out.diagnostics, ctx };
}

function readBack(yml: string): string {
  const again = readRules([{ path: "back.yml", text: yml }]);
  const json = convertRules(again.rules, ["elastic"], testContext()).files.find((f) => f.path.endsWith(".json"))?.content ?? "{}";
  return (JSON.parse(json) as { query: string }).query;
}

const BASE = "event.dataset:aws.cloudtrail and event.provider:rds.amazonaws.com and event.action:(StopDBCluster or StopDBInstance)";

test("success: errorCode and errorMessage absent, in Sigma names, read back as the integration's error fields", () => {
  const { yml, doc } = toSigma(`${BASE} and event.outcome:success`);
  assert.equal(doc.taxonomy, undefined);
  assert.equal(doc.logsource, { product: "aws", service: "cloudtrail" });
  assert.match(yml, /errorCode: null\n/);
  assert.match(yml, /errorMessage: null\n/);
  assert.not.match(yml, /event\.outcome/);
  const back = readBack(yml);
  assert.match(back, /aws\.cloudtrail\.error_code == null/);
  assert.match(back, /aws\.cloudtrail\.error_message == null/);
  assert.not.match(back, /event\.outcome/);
});

test("failure: either error field present", () => {
  const { yml, doc } = toSigma(`${BASE} and event.outcome:failure`);
  assert.equal(doc.taxonomy, undefined);
  assert.match(yml, /errorCode\|exists: true/);
  assert.match(yml, /errorMessage\|exists: true/);
  assert.match(yml, /condition: .*\(selection_errorcode or selection_errormessage\)/);
  const back = readBack(yml);
  assert.match(back, /\(aws\.cloudtrail\.error_code != null or aws\.cloudtrail\.error_message != null\)/);
});

test("ConsoleLogin, or no condition keeping it out, or another spelling: the rule keeps ECS names", () => {
  for (const q of [
    "event.dataset:aws.cloudtrail and event.action:ConsoleLogin and event.outcome:success",
    "event.dataset:aws.cloudtrail and event.provider:signin.amazonaws.com and event.outcome:success",
    "event.dataset:aws.cloudtrail and event.action:(ConsoleLogin or GetSessionToken) and event.outcome:failure",
    "event.dataset:aws.cloudtrail and event.action:Get* and event.outcome:success",
    `${BASE} and event.outcome:Success`,
    `${BASE} and not event.outcome:*`,
  ]) {
    const { doc, diagnostics } = toSigma(q);
    assert.equal(doc.taxonomy, "ecs", q);
    assert.ok(diagnostics.some((d) => d.code === "sigma/ecs-taxonomy" && d.message.includes("`event.outcome`")), q);
  }
});

test.run();
