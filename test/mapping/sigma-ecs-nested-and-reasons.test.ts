/**
 * Two mappings/sigma-ecs.yaml row kinds: `nested` (GCP's authorizationInfo list is the nested field
 * gcp.audit.authorization_info; each Sigma test of a subfield is a nested query of its own, some
 * element passing it, as Sigma reads an array's subfield), and `listed-values` rows for one Sigma
 * name tried in turn (Azure audit `Status` is event.outcome for Success/Failure and the record's
 * resultReason for the status reason Microsoft's guide names).
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Rule } from "../../src/ir/rule.js";
import { sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { sigmaToEcs } from "../../src/passes/sigma-to-ecs.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { testContext } from "../helpers/convert-fixture.js";
import { kibanaKqlProblems } from "../helpers/kql-oracle.js";

const RULES = "../shared/corpus/sigma/rules/";
const read = (path: string) => readRules([{ path: RULES + path, text: readFileSync(RULES + path, "utf8") }]).rules;
const sigmaRule = (text: string): Rule => readSigmaFile("t.yml", text).rules[0]!;

test("GCP authorizationInfo: a KQL rule of nested clauses, one per test, whose verdict is the Sigma rule's on the same records", () => {
  const rule = read("cloud/gcp/audit/gcp_access_policy_deleted.yml")[0]!;
  const r = convertRules([rule], ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  const json = JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content) as { language: string; query: string };
  assert.is(json.language, "kuery");
  assert.match(json.query, "gcp.audit.authorization_info:{ permission:accesscontextmanager.accessPolicies.delete }");
  assert.match(json.query, 'gcp.audit.authorization_info:{ granted:"true" }');
  assert.ok(r.diagnostics.some((d) => d.code === "elastic/kql-instead"));
  assert.equal(kibanaKqlProblems([{ id: "gcp", query: json.query }]), []);
  const kql = parseKql(json.query);
  assert.ok(kql.ok);
  const elastic = compileQuery(kql.value);
  const sigma = compileQuery(rule.query);
  assert.ok(elastic.ok && sigma.ok);
  const cases: { permission: string; granted: boolean }[][] = [
    [{ permission: "accesscontextmanager.accessPolicies.delete", granted: true }],
    [{ permission: "accesscontextmanager.accessPolicies.delete", granted: false }],
    // The permission and the grant in different elements: Sigma's tests of an array's subfields hold
    // in any element each, and so do the separate nested clauses.
    [{ permission: "accesscontextmanager.accessPolicies.delete", granted: false }, { permission: "other.get", granted: true }],
    [{ permission: "other.get", granted: true }],
  ];
  let alerts = 0;
  for (const info of cases) {
    const want = sigma.test({ data: { protoPayload: { authorizationInfo: info, serviceName: "accesscontextmanager.googleapis.com" } } });
    if (want) alerts++;
    const got = elastic.test({ event: { dataset: "gcp.audit" }, service: { name: "accesscontextmanager.googleapis.com" }, gcp: { audit: { authorization_info: info } } });
    assert.is(got, want, JSON.stringify(info));
  }
  assert.is(alerts, 2);
});

test("a nested row needs a path its ECS name lies under", () => {
  const row = { sigma: "a.b", ecs: "x.y.b", transform: "nested", when: { product: "p" } };
  assert.equal(sigmaEcsMapping({ fields: [row] }).fields, []);
  assert.equal(sigmaEcsMapping({ fields: [{ ...row, path: "z" }] }).fields, []);
  assert.equal(sigmaEcsMapping({ fields: [{ ...row, path: "x.y" }] }).fields.map((f) => [f.transform, f.path]), [["nested", "x.y"]]);
});

const AUDIT = (detection: string) => `title: t
logsource: { product: azure, service: auditlogs }
detection:
${detection}
    condition: selection
`;

test("Azure audit Status: Success is event.outcome, the guide's status reason is resultReason with a warning, any other value is refused", () => {
  const map = (detection: string) => sigmaToEcs(sigmaRule(AUDIT(detection)), sigmaEcsMapping());
  const ok = map("    selection:\n        Status: Success");
  assert.match(JSON.stringify(ok.rule!.query), '"field":"event.outcome"');
  assert.equal(ok.problems, []);
  const reason = map("    selection:\n        Status: admin registered temporary access pass method for user");
  assert.match(JSON.stringify(reason.rule!.query), '"field":"azure.auditlogs.properties.result_reason"');
  assert.equal(reason.problems.map((p) => [p.severity, p.code]), [["warning", "mapping/field-reading"]]);
  assert.match(reason.problems[0]!.message, "an audit status reason");
  const other = map("    selection:\n        Status: Something else");
  assert.equal(other.problems.map((p) => [p.severity, p.code]), [["error", "mapping/unmapped-field"]]);
  assert.match(other.problems[0]!.message, "(success, failure)");
  // A listed value written case-sensitively matches only its own case.
  const cased = map("    selection:\n        Status|cased: admin registered temporary access pass method for user");
  assert.equal(cased.problems.map((p) => p.code), ["mapping/unmapped-field"]);
});

test("the TAP and blocked-consent rules convert, each with the reading warned", () => {
  for (const [path, field] of [
    ["cloud/azure/audit_logs/azure_tap_added.yml", "Status"],
    ["cloud/azure/audit_logs/azure_app_end_user_consent_blocked.yml", "failure_status_reason"],
  ] as const) {
    const r = convertRules(read(path), ["elastic"], testContext());
    assert.equal(r.outcomes[0]!.converted, ["elastic"], path);
    const json = JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content) as { query: string };
    assert.match(json.query, 'azure.auditlogs.properties.result_reason : "');
    assert.ok(r.diagnostics.some((d) => d.code === "mapping/field-reading" && d.message.includes(`\`${field}\` → \`azure.auditlogs.properties.result_reason\``)), path);
  }
});

test.run();
