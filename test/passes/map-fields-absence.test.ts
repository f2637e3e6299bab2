/**
 * Absence tests on a field that is part of another (issue 19.2, silent wrong output): a file
 * without an extension still has a path, and a process without arguments past its name still has a
 * command line, so `file.extension == null` is not `TargetFilename: null` (which matches no file
 * at all) and `process.args == null` is not `CommandLine: null`. Such a test is refused, and the
 * Sigma export keeps the rule's ECS names; a name is present exactly when its path is.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const mapping = () => ecsToSigmaFor(testContext().mappings, { category: "file_event", product: "windows" });
const isNull = (field: string): Query => ({ kind: "match", field, value: { kind: "null" }, caseSensitive: true });

test("an extension's or an argument's absence is refused, never renamed to the whole path's or command line's", () => {
  for (const field of ["file.extension", "process.args", "process.parent.args"]) {
    const r = mapFields(isNull(field), mapping(), { product: "windows" });
    assert.equal(r.problems.map((p) => [p.code, p.field]), [["mapping/transform-unsupported", field]], field);
    assert.equal(r.query, isNull(field), field);
  }
});

test("an extension's presence is refused too (a path without one exists); a name's is its path's", () => {
  const ext = mapFields({ kind: "exists", field: "file.extension" }, mapping(), { product: "windows" });
  assert.equal(ext.problems.map((p) => p.code), ["mapping/transform-unsupported"]);
  const name = mapFields({ kind: "exists", field: "file.name" }, mapping(), { product: "windows" });
  assert.equal(name.problems, []);
  assert.equal(name.query, { kind: "exists", field: "TargetFilename" });
  const absent = mapFields(isNull("file.name"), mapping(), { product: "windows" });
  assert.equal(absent.problems, []);
  assert.equal(absent.query, isNull("TargetFilename"));
});

test("a rule with `file.extension == null` keeps its ECS names in Sigma, with the test as written", () => {
  const text = [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000194",
    "name: Absence test",
    "description: absence test",
    "type: eql",
    "language: eql",
    'index: ["logs-endpoint.events.file-*"]',
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify('file where host.os.type == "linux" and event.type == "creation" and file.path like "/etc/pam.d/*" and file.extension == null')}`,
  ].join("\n");
  const out = convertRules(readRules([{ path: "rules/a.yaml", text }]).rules, ["sigma"], testContext());
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const doc = parse(yml) as { taxonomy?: string; detection: Record<string, unknown> };
  assert.is(doc.taxonomy, "ecs");
  assert.not.match(yml, /TargetFilename/);
  assert.match(yml, /file\.extension: null/);
});

test.run();
