/**
 * The `toCim` rewrite records on the rule what a CIM renderer prints: each query's data set and the
 * query in its CIM names (join keys too), or the reason the rule is not CIM. It never fails the
 * rule: not CIM is a plan, which the Splunk form turns into its raw-event fallback.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import type { Rule } from "../../src/ir/rule.js";
import { packagedCim } from "../../src/mapping/cim-mapping.js";
import { runRewrites } from "../../src/pipeline/rewrites.js";
import { toCim } from "../../src/passes/to-cim.js";
import { splunkTarget } from "../../src/targets/splunk/index.js";
import { testContext } from "../helpers/convert-fixture.js";

const s = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
const m = (field: string, value: string): Query => ({ kind: "match", field, value: s(value), caseSensitive: false });
const rule = (query: Query, over: Partial<Rule> = {}): Rule => ({ id: "r1", name: "R", taxonomy: "sigma", tags: [], index: [], source: { file: "r.yml", format: "sigma", line: 1 }, custom: {}, query, logsource: { category: "process_creation", product: "windows" }, ...over }) as unknown as Rule;

test("a boolean Sigma query: its data set and the query in CIM names; the product is said, not searched", () => {
  const r = toCim(rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("CommandLine", "*-enc*")] }), packagedCim());
  assert.is(r.plan.kind, "search");
  if (r.plan.kind !== "search") return;
  assert.is(r.plan.search.dataset.key, "Endpoint.Processes");
  assert.equal(r.plan.search.query, { kind: "and", children: [m("process_path", "*\\x.exe"), m("process", "*-enc*")] });
  assert.is(r.product, "windows");
});

test("an ECS sequence: each step lifted to its data set, the join keys in CIM names", () => {
  const q: Query = {
    kind: "sequence",
    by: ["process.entity_id"],
    steps: [
      { query: { kind: "and", children: [m("event.category", "process"), m("event.type", "start"), m("process.name", "a.exe")] }, by: [] },
      { query: { kind: "and", children: [m("event.category", "process"), m("event.type", "start"), m("process.name", "b.exe")] }, by: [] },
    ],
  } as unknown as Query;
  const r = toCim(rule(q, { taxonomy: "ecs", logsource: undefined }), packagedCim());
  assert.is(r.plan.kind, "sequence");
  if (r.plan.kind !== "sequence") return;
  assert.equal(r.plan.steps.map((st) => [st.dataset.key, st.keys]), [["Endpoint.Processes", ["process_guid"]], ["Endpoint.Processes", ["process_guid"]]]);
});

test("not CIM is a named plan, and the rewrite keeps the rule (the form falls back), without the mapping's notes", () => {
  const r = toCim(rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] }), packagedCim());
  assert.equal(r.plan, { kind: "not-cim", reason: "field `Description` has no field in CIM Endpoint.Processes" });
  const ctx = testContext({ splunkTaxonomy: "cim" });
  const done = runRewrites(splunkTarget, rule({ kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] }), [{ pass: "toCim" }], ctx);
  assert.equal(done.rule?.cim, r.plan);
  assert.equal(done.diagnostics, []);
});

test("fieldHomes: the option's entries go over the packaged tables", () => {
  const q = { kind: "and", children: [m("Image", "*\\x.exe"), m("Description", "Evil")] } as Query;
  const ctx = testContext({ splunkTaxonomy: "cim", splunkCimFields: ["Description -> Endpoint.Processes.process_name"] });
  const done = runRewrites(splunkTarget, rule(q), [{ pass: "toCim", fieldHomes: "splunkCimFields" }], ctx);
  assert.is(done.rule?.cim?.kind, "search");
  assert.ok(done.diagnostics.some((d) => d.code === "splunk/cim-product"));
  // Without the declaration the same settings are not read.
  assert.is(runRewrites(splunkTarget, rule(q), [{ pass: "toCim" }], ctx).rule?.cim?.kind, "not-cim");
});

test.run();
