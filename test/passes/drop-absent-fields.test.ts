/**
 * Tests of fields a lifted log source's Sigma events never hold (issue 19.2): Defend's name before a
 * rename (file.Ext.original.*) under file_event. A test decided against such events is dropped only
 * where that widens the rule (an exclusion under a NOT, an absence test outside one), with a
 * mapping/widened warning; a test the rule requires leaves the query as it was.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import type { Query } from "../../src/ir/query.js";
import { dropAbsentFieldTests } from "../../src/passes/drop-absent-fields.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";

const TABLE = [{ logsource: { category: "file_event" }, fields: ["file.Ext.original.*"] }];
const FILE_EVENT = { category: "file_event", product: "linux" };
const is = (field: string, value: string): Query => ({ kind: "match", field, value: { kind: "string", parts: [{ kind: "text", value }] }, caseSensitive: true });
const path = is("file.path", "/etc/rc.local");
const original = is("file.Ext.original.extension", "dpkg-new");

test("an exclusion on the earlier name excludes nothing under file_event: dropped, warned", () => {
  const q: Query = { kind: "and", children: [path, { kind: "not", child: { kind: "or", children: [is("process.name", "dpkg"), original] } }] };
  const r = dropAbsentFieldTests(q, FILE_EVENT, TABLE);
  assert.equal(r.query, { kind: "and", children: [path, { kind: "not", child: is("process.name", "dpkg") }] });
  assert.equal(r.problems.map((p) => [p.code, p.field]), [["mapping/widened", "file.Ext.original.extension"]]);
  // An exclusion of nothing but the earlier name: the NOT goes with it.
  const alone = dropAbsentFieldTests({ kind: "and", children: [path, { kind: "not", child: original }] }, FILE_EVENT, TABLE);
  assert.equal(alone.query, path);
  // `file.Ext.original.path == null` outside a NOT is true there: dropped too.
  const isNull: Query = { kind: "match", field: "file.Ext.original.path", value: { kind: "null" }, caseSensitive: true };
  assert.equal(dropAbsentFieldTests({ kind: "and", children: [path, isNull] }, FILE_EVENT, TABLE).query, path);
});

test("a test the rule requires, another log source, or a search left with nothing: unchanged", () => {
  const required: Query = { kind: "and", children: [path, original] };
  assert.equal(dropAbsentFieldTests(required, FILE_EVENT, TABLE), { query: required, problems: [] });
  // A required `file.Ext.original.path != null` (exists) is false there: deciding it would match nothing.
  const present: Query = { kind: "and", children: [path, { kind: "exists", field: "file.Ext.original.path" }] };
  assert.equal(dropAbsentFieldTests(present, FILE_EVENT, TABLE).query, present);
  const excluded: Query = { kind: "and", children: [path, { kind: "not", child: original }] };
  assert.equal(dropAbsentFieldTests(excluded, { category: "file_rename", product: "linux" }, TABLE).query, excluded);
  const nothingElse: Query = { kind: "not", child: original };
  assert.equal(dropAbsentFieldTests(nothingElse, FILE_EVENT, TABLE).query, nothingElse);
});

test("a step that must be missing counts against the match: its exclusion would narrow, and stays", () => {
  const step = (query: Query, missing = false) => ({ query, by: [], logsource: FILE_EVENT, ...(missing ? { missing: true } : {}) });
  const excl: Query = { kind: "and", children: [path, { kind: "not", child: original }] };
  const seq: Query = { kind: "sequence", by: [], steps: [step(excl), step(excl, true)] };
  const r = dropAbsentFieldTests(seq, undefined, TABLE);
  assert.equal(r.query.kind === "sequence" ? r.query.steps.map((s) => s.query) : [], [path, excl]);
});

test("a Defend file-creation rule with a dpkg-new exclusion converts in Sigma names, warned", () => {
  const query =
    'file where host.os.type == "linux" and event.action == "creation" and file.path in ("/etc/rc.local", "/etc/rc.common") and not (process.executable in ("/bin/dpkg", "/usr/bin/dpkg") or file.Ext.original.extension == "dpkg-new")';
  const text = ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000197", name: "Absent test", query, index: ["logs-endpoint.events.file*"] });
  const out = convertRules(readRules([{ path: "rules/x.yaml", text }]).rules, ["sigma"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const doc = parse(yml) as { taxonomy?: string; logsource: Record<string, string> };
  assert.is(doc.taxonomy, undefined);
  assert.equal(doc.logsource, { category: "file_event", product: "linux" });
  assert.not.match(yml, /original|dpkg-new/);
  assert.match(yml, /\/usr\/bin\/dpkg/);
  assert.ok(out.diagnostics.some((d) => d.code === "mapping/widened" && d.message.includes("file.Ext.original.extension")));
});

test.run();
