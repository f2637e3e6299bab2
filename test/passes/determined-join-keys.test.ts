/**
 * host.id as a sequence join key beside an entity id (issue 19.2): ECS entity ids are unique across
 * hosts, so the host key joins nothing more and is dropped for Sigma, which has no host-id field;
 * the Sigma file keeps Sigma names and reads back to Elastic as the same join.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import type { Query } from "../../src/ir/query.js";
import { dropDeterminedKeys } from "../../src/passes/determined-join-keys.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const DETERMINED = { "host.id": ["process.entity_id", "process.parent.entity_id"] };
const step = (by: string[]) => ({ query: { kind: "all" } as Query, by });
const seq = (by: string[], steps: string[][]): Query => ({ kind: "sequence", by, steps: steps.map(step) });

test("host.id is dropped only where every step joins on an entity id at one key position", () => {
  const by = (q: Query) => (q.kind === "sequence" ? q.by : []);
  assert.equal(by(dropDeterminedKeys(seq(["host.id", "process.entity_id"], [[], []]), DETERMINED)), ["process.entity_id"]);
  assert.equal(by(dropDeterminedKeys(seq(["host.id"], [["process.entity_id"], ["process.parent.entity_id"]]), DETERMINED)), []);
  // A pid is per host: the host key stays.
  assert.equal(by(dropDeterminedKeys(seq(["host.id"], [["process.pid"], ["process.parent.pid"]]), DETERMINED)), ["host.id"]);
  // One step on something else at that position: the host key stays.
  assert.equal(by(dropDeterminedKeys(seq(["host.id"], [["process.entity_id"], ["user.name"]]), DETERMINED)), ["host.id"]);
  // Only the host key alone: nothing determines it.
  assert.equal(by(dropDeterminedKeys(seq(["host.id"], [[], []]), DETERMINED)), ["host.id"]);
});

test("a step's own host key beside its entity id is dropped from every step; a pid keeps it", () => {
  const steps = (q: Query) => (q.kind === "sequence" ? q.steps.map((s) => s.by) : []);
  const perStep = dropDeterminedKeys(seq([], [["host.id", "process.entity_id"], ["host.id", "process.parent.entity_id"]]), DETERMINED);
  assert.equal(steps(perStep), [["process.entity_id"], ["process.parent.entity_id"]]);
  // Sequence-wide host key, the entity ids per step: both at once.
  const mixed = dropDeterminedKeys(seq(["host.id"], [["host.id", "process.entity_id"], ["host.id", "process.entity_id"]]), DETERMINED);
  assert.equal(mixed.kind === "sequence" ? mixed.by : undefined, []);
  assert.equal(steps(mixed), [["process.entity_id"], ["process.entity_id"]]);
  assert.equal(steps(dropDeterminedKeys(seq([], [["host.id", "process.pid"], ["host.id", "process.pid"]]), DETERMINED)), [["host.id", "process.pid"], ["host.id", "process.pid"]]);
  // One step joins its host key beside a pid: that position stays in every step.
  assert.equal(
    steps(dropDeterminedKeys(seq([], [["host.id", "process.entity_id"], ["host.id", "process.pid"]]), DETERMINED)),
    [["host.id", "process.entity_id"], ["host.id", "process.pid"]],
  );
  // An `until` step is a step: it must join on an entity id too, and loses its host key with the rest.
  const until: Query = { kind: "sequence", by: [], steps: [step(["host.id", "process.entity_id"]), step(["host.id", "process.entity_id"])], until: step(["host.id", "user.name"]) };
  assert.equal(steps(dropDeterminedKeys(until, DETERMINED)), [["host.id", "process.entity_id"], ["host.id", "process.entity_id"]]);
});

const RULE = [
  "rule_id: 0a1b2c3d-0000-4000-8000-000000000002",
  "name: Join test",
  "description: join test",
  "type: eql",
  "language: eql",
  'index: ["logs-endpoint.events.process-*"]',
  "severity: low",
  "risk_score: 21",
  "query: >-",
  "  sequence by host.id with maxspan=10s",
  '  [process where host.os.type == "linux" and event.type == "start" and event.action == "exec" and process.parent.name == "foomatic-rip"] by process.entity_id',
  '  [process where host.os.type == "linux" and event.type == "start" and event.action == "exec" and process.name == "curl"] by process.parent.entity_id',
].join("\n");

test("a Defend sequence by host.id and entity ids becomes a Sigma correlation in Sigma names, and reads back as the same join", () => {
  const read = readRules([{ path: "rules/join.yaml", text: RULE }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  const r = convertRules(read.rules, ["sigma"], testContext());
  assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
  const text = r.files.find((f) => f.path.endsWith(".yml"))!.content;
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
  assert.ok(docs.every((d) => d.taxonomy === undefined), text);
  const correlation = docs.find((d) => d.correlation)!.correlation;
  assert.equal(correlation.type, "temporal_ordered");
  assert.not.match(JSON.stringify(correlation), /host\.id/);
  assert.match(JSON.stringify(correlation), /ProcessGuid/);
  // Back to Elastic: the join is on the entity ids again.
  const again = readRules([{ path: "rules/join.yml", text }]);
  assert.equal(again.diagnostics.filter((d) => d.severity === "error"), []);
  const e = convertRules(again.rules, ["elastic"], testContext());
  assert.equal(e.diagnostics.filter((d) => d.severity === "error" || d.code === "mapping/unmapped-field"), []);
  const query = (JSON.parse(e.files.find((f) => f.path.endsWith(".json"))!.content) as { query: string }).query;
  assert.match(query, /process\.entity_id/);
  assert.match(query, /process\.parent\.entity_id/);
});

test.run();
