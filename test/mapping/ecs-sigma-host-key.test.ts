/**
 * host.id as a join key or group-by (issue 19.2): ECS host.id (an agent's id for the host) and the
 * event log's Computer (the host's name) hold different values, but equal ids are equal names while
 * a host has one name. So a sequence's or correlation's host key is Computer, with a warning that
 * hosts sharing a name are joined; a condition on host.id keeps ECS names, and so does a product with
 * no Computer in its Sigma events (macOS). Read back by Elastic, Computer is host.name.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";
import { ruleToSigma, sigmaBackToElastic } from "../helpers/sigma-export.js";

const toSigma = (query: string, language: "eql" | "kuery" = "eql") =>
  ruleToSigma(ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000196", name: "Host key test", query, language, index: ["logs-endpoint.events.*"] }));
const back = (yml: string) => sigmaBackToElastic(yml, ["mapping/unmapped-field"]);

const SEQUENCE = (os: string) =>
  `sequence by host.id with maxspan=30s [process where host.os.type == "${os}" and event.type == "start" and process.name == "a"] [process where host.os.type == "${os}" and event.type == "start" and process.name == "b"]`;

test("a sequence by host.id is a correlation by Computer, with a warning, read back by host.name", () => {
  for (const os of ["windows", "linux"]) {
    const { docs, yml, diagnostics } = toSigma(SEQUENCE(os));
    assert.ok(docs.every((d) => d.taxonomy === undefined), yml);
    assert.equal(docs.find((d) => d.correlation)?.correlation["group-by"], ["Computer"]);
    const warned = diagnostics.filter((d) => d.code === "mapping/widened" && /host\.id/.test(d.message));
    assert.is(warned.length, 1, os);
    assert.match(warned[0]!.message, /join key `host\.id` → `Computer`.*share a name are joined/);
    assert.match(back(yml), /^sequence by host\.name /);
  }
});

test("macOS events have no Computer: the sequence keeps ECS names", () => {
  const { docs } = toSigma(SEQUENCE("macos"));
  assert.ok(docs.some((d) => d.taxonomy === "ecs"));
});

test("a condition on host.id is no condition on Computer: the values differ", () => {
  const m = ecsToSigmaFor(testContext().mappings, { category: "process_creation", product: "windows" });
  const q: Query = { kind: "match", field: "host.id", value: { kind: "string", parts: [{ kind: "text", value: "abc" }] }, caseSensitive: true };
  const r = mapFields(q, m, { product: "windows" });
  assert.equal(r.query, q);
  assert.equal(r.problems.map((p) => p.code), ["mapping/unmapped-field"]);
  const exists = mapFields({ kind: "exists", field: "host.id" }, m, { product: "windows" });
  assert.equal(exists.problems.map((p) => p.code), ["mapping/unmapped-field"]);
  const corr: Query = { kind: "correlation", type: "event_count", groupBy: ["host.id"], rules: [{ name: "r", query: q }], condition: [{ op: "gte", value: 2 }] } as Query;
  assert.equal(mapFields(corr, m, { product: "windows" }).problems.map((p) => p.code), ["mapping/widened", "mapping/unmapped-field"]);
});

test.run();
