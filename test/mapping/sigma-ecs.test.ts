import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fieldMappingFor, findField, findLogsource, sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";

const m = sigmaEcsMapping();

test("one Sigma name maps per log source: a `when` row wins only where it fits", () => {
  const pc = { category: "process_creation", product: "windows" };
  const il = { category: "image_load", product: "windows" };
  assert.is(findField(m, "Image", pc)?.ecs, "process.executable");
  assert.is(findField(m, "ImageLoaded", il)?.ecs, "file.path");
  assert.is(findField(m, "Description", pc)?.ecs, "process.pe.description");
  assert.is(findField(m, "Description", il)?.ecs, "file.pe.description");
  assert.is(findField(m, "User", pc)?.transform, "domain-user");
  assert.is(findField(m, "User", { category: "process_creation", product: "linux" })?.ecs, "user.name");
  assert.is(findField(m, "EventID", { product: "windows", service: "security" })?.transform, "number-as-text");
  assert.is(findField(m, "Image", { category: "proxy" }), undefined);
});

test("Windows fallback: plain names → winlog.event_data.<Name>; dotted names, other products and transform rows are not answered", () => {
  const sec = fieldMappingFor(m, { product: "windows", service: "security" }, new Set());
  assert.is(sec.fields.get("SubjectUserName")?.to, "winlog.event_data.SubjectUserName");
  assert.is(sec.fields.get("Provider_Name")?.to, "winlog.provider_name");
  assert.is(sec.fields.get("a.b"), undefined);
  assert.is(sec.fields.get("EventID"), undefined, "EventID has a value transform, applied by the pass");
  const linux = fieldMappingFor(m, { product: "linux", category: "process_creation" }, new Set());
  assert.is(linux.fields.get("SubjectUserName"), undefined);
  assert.is(linux.fields.get("Image")?.to, "process.executable");
  const ready = fieldMappingFor(m, { product: "linux" }, new Set(["process.hash.sha256"]));
  assert.is(ready.fields.get("process.hash.sha256")?.to, "process.hash.sha256");
});

test("log sources: most specific row first, conditions and index patterns", () => {
  const pc = findLogsource(m, { category: "process_creation", product: "windows" });
  assert.equal(pc?.any, [{ "event.category": ["process"], "event.type": ["start"], "host.os.type": ["windows"] }]);
  assert.ok(pc?.index.includes("logs-endpoint.events.process-*"));
  assert.ok(pc?.index.includes("winlogbeat-*"));
  assert.equal(findLogsource(m, { product: "windows", service: "security" })?.any, [{ "winlog.channel": ["Security"] }]);
  assert.equal(findLogsource(m, { product: "windows", service: "powershell" })?.any, [
    { "winlog.channel": ["Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"] },
  ]);
  assert.is(findLogsource(m, { category: "image_load", product: "windows" })?.any.length, 2);
  assert.equal(findLogsource(m, { category: "proxy", product: "zscaler" })?.any, [{ "event.category": ["web"] }]);
  assert.is(findLogsource(m, { product: "velocity", category: "application" }), undefined);
  assert.is(findLogsource(m, undefined), undefined);
});

test("every log-source row has conditions and at least one index; every field row names a target", () => {
  for (const l of m.logsources) {
    assert.ok(l.any.length > 0 && l.any.every((s) => Object.keys(s).length > 0), JSON.stringify(l.sigma));
    assert.ok(l.index.length > 0, JSON.stringify(l.sigma));
  }
  assert.ok(m.fields.length > 150);
  for (const f of m.fields) assert.ok(f.ecs.length > 0 && f.sigma.length > 0);
  // No packaged row is malformed (the loader would skip it silently).
  const raw = parse(readFileSync("mappings/sigma-ecs.yaml", "utf8")) as { fields: unknown[] };
  assert.is(m.fields.length, raw.fields.length);
});

test("a user's table replaces the packaged one; malformed rows are skipped, not thrown on", () => {
  const custom = sigmaEcsMapping({
    fields: [
      { sigma: "X", ecs: "x.y" },
      { sigma: 3 },
      // An unknown transform, or a table transform without its table, must not become a plain rename.
      { sigma: "Y", ecs: "y", transform: "hexify" },
      { sigma: "Z", ecs: "z", transform: "value-table" },
    ],
    logsources: [{ sigma: { product: "p" }, ecs: { a: "b" }, index: ["i-*"] }],
  });
  assert.is(custom.fields.length, 1);
  assert.equal(findLogsource(custom, { product: "p" })?.index, ["i-*"]);
  assert.equal(sigmaEcsMapping(null).fields, []);
});

test.run();
