/**
 * CloudTrail's request and response objects live in the AWS integration's `flattened` fields
 * (aws.cloudtrail.flattened.*). KQL searches a flattened subfield like a keyword; EQL and ES|QL
 * refuse the type ("Cannot use field [..] with unsupported type [flattened]"), so a Sigma rule on
 * one is a KQL rule with the default EQL (an info line says why), and refused by name in ES|QL.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { kibanaKqlProblems } from "../helpers/kql-oracle.js";
import { flattenedRoot } from "../../src/query/ecs-field-types.js";

const SIGMA = "../shared/corpus/sigma/rules/cloud/aws/cloudtrail/aws_rds_public_db_restore.yml";
const read = () => readRules([{ path: SIGMA, text: readFileSync(SIGMA, "utf8") }]).rules;
const ruleJson = (r: ReturnType<typeof convertRules>) =>
  JSON.parse(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content) as { type: string; language: string; query: string };

test("flattenedRoot: the field itself and anything below it, nothing beside it", () => {
  assert.is(flattenedRoot("aws.cloudtrail.flattened.request_parameters.userName"), "aws.cloudtrail.flattened.request_parameters");
  assert.is(flattenedRoot("aws.cloudtrail.flattened.response_elements"), "aws.cloudtrail.flattened.response_elements");
  assert.is(flattenedRoot("aws.cloudtrail.flattened.request_parametersX"), undefined);
  assert.is(flattenedRoot("aws.cloudtrail.request_parameters"), undefined);
});

test("with the default EQL, a Sigma rule on a CloudTrail flattened subfield is a KQL query rule Kibana reads as meant", () => {
  const r = convertRules(read(), ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  const info = r.diagnostics.find((d) => d.code === "elastic/kql-instead");
  assert.ok(info);
  assert.match(info.message, /`aws\.cloudtrail\.flattened\.response_elements\.publiclyAccessible` is inside the flattened field `aws\.cloudtrail\.flattened\.response_elements`, which EQL cannot search/);
  const rule = ruleJson(r);
  assert.equal([rule.type, rule.language], ["query", "kuery"]);
  assert.match(rule.query, 'aws.cloudtrail.flattened.response_elements.publiclyAccessible:"true"');
  assert.equal(kibanaKqlProblems([{ id: SIGMA, query: rule.query }]), []);
});

test("asked for ES|QL, the rule is refused by name (Elasticsearch would refuse it on every run)", () => {
  const esql = convertRules(read(), ["elastic"], testContext({ elasticLanguage: "esql" }));
  assert.equal(esql.outcomes[0]!.failed, ["elastic"]);
  const error = esql.diagnostics.find((d) => d.severity === "error");
  assert.is(error?.code, "elastic/flattened-field");
  assert.match(error!.message, "ES|QL cannot search");
});

test.run();
