/**
 * Booleans and numbers keep their type through Sigma: a KQL `true` stays a YAML boolean in the
 * Sigma rule and an EQL `true` when it comes back, and every literal on an ECS field takes the
 * field's type in EQL and KQL (Elasticsearch's EQL compares by the mapped type).
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { ecsLiteralsTyped } from "../../src/passes/ecs-field-types.js";
import { printEql as printEqlRaw } from "../../src/query/eql/eql-printer.js";
import { printKql as printKqlRaw } from "../../src/query/kql/kql-printer.js";
import type { Query } from "../../src/ir/query.js";
import { testContext } from "../helpers/convert-fixture.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const withQuery = (q: string) => seed.replace(/^query: >-\n(  .*\n)+/m, `query: '${q}'\n`);

function throughSigma(text: string): { sigma: string; eql: string } {
  const first = convertRules(readRules([{ path: "rules/a.yaml", text }]).rules, ["sigma"], testContext());
  const sigma = first.files.find((f) => f.path.endsWith(".yml"))?.content;
  assert.ok(sigma, first.diagnostics.map((d) => d.message).join("; "));
  const back = convertRules(readRules([{ path: "back.yml", text: sigma }]).rules, ["elastic"], testContext({ unmapped: "warning" }));
  const json = back.files.find((f) => f.path.endsWith(".json") && f.path !== "rules.ndjson")?.content;
  assert.ok(json, back.diagnostics.map((d) => d.message).join("; "));
  return { sigma, eql: (JSON.parse(json) as { query: string }).query };
}

test("KQL `hostNetwork:true` is a YAML boolean in Sigma and `== true` back in EQL", () => {
  const { sigma, eql } = throughSigma(withQuery("event.category:network and gcp.audit.request.spec.hostNetwork:true"));
  assert.match(sigma, /gcp\.audit\.request\.spec\.hostNetwork: true\n/);
  assert.match(eql, "gcp.audit.request.spec.hostNetwork == true");
});

// The Elastic target types literals (its `typeEcsLiterals` rewrite) before a printer writes them.
const printEql = (q: Query) => printEqlRaw(ecsLiteralsTyped(q));
const printKql = (q: Query) => printKqlRaw(ecsLiteralsTyped(q));

test("ECS types decide how a literal is written in EQL and KQL", () => {
  const m = (field: string, value: Extract<Query, { kind: "match" }>["value"]): Query => ({ kind: "match", field, value, caseSensitive: true });
  const text = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
  // A Sigma `'true'` on an ECS boolean field, a `'3'` on a numeric one, a 4624 on a keyword one.
  assert.is(printEql(m("process.code_signature.trusted", text("true"))).text, "any where process.code_signature.trusted == true");
  assert.is(printEql(m("destination.port", text("443"))).text, "any where destination.port == 443");
  assert.is(printEql(m("event.code", { kind: "number", value: 4624, raw: "4624" })).text, 'any where event.code == "4624"');
  assert.is(printKql(m("process.code_signature.trusted", text("true"))).text, "process.code_signature.trusted:true");
  // A field ECS does not define keeps the value as written.
  assert.is(printEql(m("beacon_stats.beaconing_score", text("3"))).text, 'any where beacon_stats.beaconing_score == "3"');
});

test("ES|QL from the Elastic target compares typed literals as their ECS type, not through TO_STRING", () => {
  // A Sigma rule in ECS names: a float field holding 3 is "3.0" to TO_STRING, so the untyped form
  // `TO_STRING(event.risk_score) == "3"` never matched it on Elasticsearch.
  const sigma = [
    "title: Typed ES|QL", "id: 5f1d2c3a-4444-4e04-bb55-3a79b8c95261", "taxonomy: ecs",
    "logsource: { product: windows, category: process_creation }",
    "detection:", "  sel:", "    process.pid: '3'", "    process.code_signature.trusted: 'true'", "    event.risk_score: 3", "    destination.ip|cidr: 10.0.0.0/8", "  condition: sel", "",
  ].join("\n");
  const r = convertRules(readRules([{ path: "t.yml", text: sigma }]).rules, ["elastic"], testContext({ elasticLanguage: "esql" }));
  const json = r.files.find((f) => f.path.endsWith(".json") && f.path !== "rules.ndjson")?.content;
  assert.ok(json, r.diagnostics.map((d) => d.message).join("; "));
  const query = (JSON.parse(json) as { query: string }).query;
  for (const typed of ["process.pid == 3", "process.code_signature.trusted == true", "event.risk_score == 3", 'CIDR_MATCH(destination.ip, "10.0.0.0/8")']) assert.ok(query.includes(typed), `${typed} in\n${query}`);
  assert.not.match(query, /TO_STRING|TO_IP/, query);
});

test.run();
