import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { cimMappings, loadCimMappings } from "../../src/mapping/cim-mapping.js";
import { loadMappingFile } from "../../src/mapping/mapping-table.js";
import { mapToCim } from "../../src/passes/map-to-cim.js";
import { PACKAGE_ROOT } from "../../src/package-root.js";

const cim = loadCimMappings();
const escu = JSON.parse(readFileSync(`${PACKAGE_ROOT}/data/escu-cim-fields.json`, "utf8")) as { datasets: Record<string, Record<string, number>> };

/**
 * Fields ESCU's searches name that are not CIM fields of the data set: each a slip in one ESCU
 * detection (a truncated name, a field of another model), not a field to map to.
 */
const ESCU_SLIPS: Readonly<Record<string, readonly string[]>> = {
  "Endpoint.Processes": ["orig_process_name", "original_file_nam", "path"],
  "Endpoint.Services": ["exe"],
  "Authentication.Authentication": ["method"],
};

test("every CIM field a mapping names (renames, value rows, log-source conditions) is a field of its data set", () => {
  // loadCimMappings throws otherwise; this also checks that every route reached a data set.
  assert.equal(cim.sigma.map((r) => r.dataset.key).sort(), ["Endpoint.Filesystem", "Endpoint.Processes", "Endpoint.Registry", "Network_Resolution.DNS", "Network_Traffic.All_Traffic", "Web.Web"]);
  assert.ok(cim.ecs.some((r) => r.dataset.key === "Authentication.Authentication"));
  for (const route of [...cim.sigma, ...cim.ecs]) {
    for (const row of route.fields.fields.values()) assert.ok(route.dataset.fields.includes(row.to), `${route.fields.name} ${row.from} → ${row.to} in ${route.dataset.key}`);
  }
});

test("the CIM reference lists every field ESCU's detections use per data set, apart from named slips", () => {
  assert.ok(Object.keys(escu.datasets).length >= 8, "the ESCU evidence covers the data sets rulecast maps");
  for (const [key, fields] of Object.entries(escu.datasets)) {
    const ds = cim.datasets.get(key);
    assert.ok(ds, `ESCU searches ${key}, which mappings/cim-datamodels.yaml lacks`);
    const unknown = Object.keys(fields).filter((f) => !ds.fields.includes(f) && !(ESCU_SLIPS[key] ?? []).includes(f));
    assert.equal(unknown, [], `${key}: ESCU uses fields the CIM reference file lacks`);
  }
  // The fields that carry most of ESCU's process searches are mapped to from both taxonomies.
  const processes = cim.sigma.find((r) => r.dataset.key === "Endpoint.Processes")!;
  const targets = new Set([...processes.fields.fields.values()].map((r) => r.to));
  for (const f of ["process", "process_path", "parent_process", "parent_process_path", "original_file_name", "user", "dest"]) assert.ok(targets.has(f), f);
});

test("bad input: an unknown data set names the valid ones; a field outside its data set is named", () => {
  const models = loadMappingFile("cim-datamodels.yaml");
  const r = cimMappings(models, { datasets: { "Endpoint.Proceses": { logsources: [], fields: {} }, "Web.Web": { logsources: [], fields: { x: "process_name" } } } }, { datasets: {} });
  assert.is(r.ok, false);
  if (r.ok) return;
  assert.match(r.errors[0]!, /unknown CIM data set `Endpoint.Proceses`; valid: Endpoint.Processes, Endpoint.Filesystem/);
  assert.is(r.errors[1], "sigma-cim: field x names `process_name`, which is not a field of Web.Web");
});

const s = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
const m = (field: string, value: string, caseSensitive = false): Query => ({ kind: "match", field, value: s(value), caseSensitive });

test("Sigma process_creation → Endpoint.Processes, fields renamed; registry_set adds action=modified", () => {
  const r = mapToCim({ kind: "and", children: [m("Image", "C:\\x.exe"), m("CommandLine", "-enc")] }, { category: "process_creation", product: "windows" }, cim.sigma);
  assert.is(r.dataset?.key, "Endpoint.Processes");
  assert.equal(r.query, { kind: "and", children: [m("process_path", "C:\\x.exe"), m("process", "-enc")] });
  const reg = mapToCim(m("TargetObject", "HKLM\\x"), { category: "registry_set", product: "windows" }, cim.sigma);
  assert.equal(reg.query, { kind: "and", children: [m("action", "modified"), m("registry_path", "HKLM\\x")] });
});

test("ECS values become CIM conditions: event.outcome failure → action=failure; a start action is the data set, with a warning", () => {
  const auth = mapToCim({ kind: "and", children: [m("event.outcome", "failure", true), m("user.name", "root", true)] }, { category: "authentication" }, cim.ecs);
  assert.equal(auth.query, { kind: "and", children: [m("action", "failure"), m("user", "root", true)] });
  const proc = mapToCim({ kind: "and", children: [m("event.action", "exec", true), m("process.name", "sh", true)] }, { category: "process_creation", product: "linux" }, cim.ecs);
  assert.equal(proc.query, m("process_name", "sh", true));
  assert.equal(proc.problems.map((p) => p.code), ["mapping/widened"]);
});

test("ECS registry event.type change → action=modified, with a warning that key renames may fall outside it (either side of NOT)", () => {
  const ls = { category: "registry_event", product: "windows" };
  const set = mapToCim({ kind: "and", children: [m("event.type", "change", true), m("registry.path", "HKLM\\x")] }, ls, cim.ecs);
  assert.equal(set.query, { kind: "and", children: [m("action", "modified"), m("registry_path", "HKLM\\x")] });
  assert.equal(set.problems.map((p) => `${p.severity} ${p.code}`), ["warning mapping/logsource-narrowed"]);
  assert.match(set.problems[0]!.message, /may match less/);
  const not = mapToCim({ kind: "not", child: m("event.type", "change", true) }, ls, cim.ecs);
  assert.match(not.problems[0]!.message, /negation matches more/);
});

test("refusals are named: a widening rewrite under NOT, a value no row lists, a field the data set lacks, a log source without a data set", () => {
  const ls = { category: "process_creation", product: "linux" };
  const codes = (q: Query, l = ls, routes = cim.ecs) => mapToCim(q, l, routes).problems.map((p) => `${p.code} ${p.field}`);
  assert.equal(codes({ kind: "not", child: m("event.action", "exec", true) }), ["cim/negated-widening event.action"]);
  assert.equal(codes(m("event.action", "fork", true)), ["mapping/value-unmapped event.action"]);
  assert.equal(codes(m("process.code_signature.trusted", "true")), ["mapping/unmapped-field process.code_signature.trusted"]);
  assert.equal(codes(m("Image", "x"), { category: "create_remote_thread", product: "windows" }, cim.sigma), ["cim/no-dataset "]);
});

test.run();
