import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSigmaFile } from "../../../src/sources/sigma/index.js";
import { generatedId, normaliseDate } from "../../../src/sources/sigma/sigma-meta.js";

const FULL = `title: Suspicious Thing
id: 0e4f6e1c-1b6d-4a9b-9f0e-1d2c3b4a5f60
related:
    - id: 11111111-2222-4333-8444-555555555555
      type: derived
status: test
description: Detects a thing
references:
    - https://example.com/a
author: Alice, Bob (Corp) ,  Carol
date: 2023/01/02
modified: 2024-03-04
tags:
    - attack.execution
    - attack.t1059.001
    - attack.t1059.003
    - attack.persistence
    - attack.t1053.005
    - attack.g0016
    - attack.t9999
    - car.2016-04-005
license: MIT
logsource:
    category: process_creation
    product: windows
detection:
    sel:
        Image|endswith: '\\\\powershell.exe'
    condition: sel
fields:
    - CommandLine
falsepositives:
    - Admins
level: informational
scope:
    - server
`;

test("metadata maps onto the rule IR; unknown keys go to custom in order", () => {
  const r = readSigmaFile("rules/a.yml", FULL);
  const rule = r.rules[0];
  assert.ok(rule);
  if (!rule) return;
  assert.is(rule.id, "0e4f6e1c-1b6d-4a9b-9f0e-1d2c3b4a5f60");
  assert.is(rule.name, "Suspicious Thing");
  assert.is(rule.description, "Detects a thing");
  assert.is(rule.status, "test");
  assert.equal(rule.authors, ["Alice", "Bob (Corp)", "Carol"]);
  assert.is(rule.date, "2023-01-02");
  assert.is(rule.modified, "2024-03-04");
  assert.equal(rule.references, ["https://example.com/a"]);
  assert.is(rule.tags.length, 8);
  assert.equal(rule.falsePositives, ["Admins"]);
  assert.is(rule.severity, "informational");
  assert.is(rule.riskScore, 21);
  assert.is(rule.license, "MIT");
  assert.equal(rule.logsource, { category: "process_creation", product: "windows" });
  assert.equal(Object.keys(rule.custom), ["related", "fields", "scope"]);
  assert.equal(rule.custom["fields"], ["CommandLine"]);
  assert.is(rule.type, "query");
  assert.is(rule.language, "sigma");
  assert.is(rule.taxonomy, "sigma");
  assert.equal(rule.schedule, { interval: { value: 5, unit: "m" }, from: "now-6m", to: "now" });
  assert.is(rule.maxSignals, 100);
  // The detection block (its first selection) is where later problems without a span point.
  assert.equal(rule.source, { file: "rules/a.yml", format: "sigma", line: 1, queryLine: 27, queryCol: 5, queryVerbatim: true, keys: { name: { line: 1, col: 1 }, logsource: { line: 23, col: 1 } } });
  assert.is(rule.queryText, "sel:\n        Image|endswith: '\\\\powershell.exe'\n    condition: sel");
  // Spans are offsets into queryText.
  const q = rule.query;
  assert.is(q.kind, "match");
  if (q.kind === "match" && q.span) assert.is(rule.queryText.slice(q.span.start, q.span.end), "Image|endswith: '\\\\powershell.exe'");
});

test("threat: one entry per tactic tag with the techniques of that tactic", () => {
  const r = readSigmaFile("rules/a.yml", FULL);
  const threat = r.rules[0]?.threat ?? [];
  assert.equal(threat.map((t) => t.tactic.id), ["TA0002", "TA0003"]);
  assert.is(threat[0]?.tactic.reference, "https://attack.mitre.org/tactics/TA0002/");
  assert.equal(threat[0]?.techniques.map((t) => [t.id, t.subtechniques.map((s) => s.id)]), [["T1059", ["T1059.001", "T1059.003"]], ["T1053", ["T1053.005"]]]);
  assert.is(threat[0]?.techniques[0]?.reference, "https://attack.mitre.org/techniques/T1059/");
  assert.is(threat[0]?.techniques[0]?.subtechniques[0]?.reference, "https://attack.mitre.org/techniques/T1059/001/");
  assert.equal(threat[1]?.techniques.map((t) => t.id), ["T1053"]);
  const unknown = r.diagnostics.filter((d) => d.code === "sigma/unknown-attack-id");
  assert.equal(unknown.map((d) => [d.severity, d.ruleId]), [["warning", "0e4f6e1c-1b6d-4a9b-9f0e-1d2c3b4a5f60"]]);
  assert.match(unknown[0]?.message ?? "", /attack\.t9999/);
});

test("missing id: deterministic generated UUID and an info diagnostic", () => {
  const text = "title: No id\nlogsource: {product: linux}\ndetection:\n    sel: {a: b}\n    condition: sel\n";
  const a = readSigmaFile("x/y.yml", text);
  const b = readSigmaFile("x/y.yml", text);
  const c = readSigmaFile("x/z.yml", text);
  assert.is(a.rules[0]?.id, b.rules[0]?.id);
  assert.is.not(a.rules[0]?.id, c.rules[0]?.id);
  assert.match(a.rules[0]?.id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(a.rules[0]?.id, generatedId("x/y.yml", "No id"));
  const info = a.diagnostics.find((d) => d.code === "sigma/generated-id");
  assert.is(info?.severity, "info");
  assert.is(a.rules[0]?.description, "");
  assert.is(a.rules[0]?.severity, "medium");
});

test("dates normalise to YYYY-MM-DD", () => {
  assert.is(normaliseDate("2021/3/7"), "2021-03-07");
  assert.is(normaliseDate("2021-03-07"), "2021-03-07");
  assert.is(normaliseDate("March 7"), undefined);
});

test("multi-document file: every document is a rule with its own line", () => {
  const doc = (n: number) => `title: R${n}\nid: r-${n}\nlogsource: {product: linux}\ndetection:\n    sel: {a: ${n}}\n    condition: sel\n`;
  const r = readSigmaFile("m.yml", `${doc(1)}---\n${doc(2)}---\n${doc(3)}`);
  assert.equal(r.rules.map((x) => [x.id, x.source.line]), [["r-1", 1], ["r-2", 8], ["r-3", 15]]);
});

test("filter documents are read as filters: log source, the rules they name, and their condition", () => {
  const r = readSigmaFile("f.yml", "title: F\nlogsource: {product: windows}\nfilter:\n    rules: [x]\n    selection: {a: b}\n    condition: not selection\n");
  assert.is(r.rules.length, 0);
  assert.equal(r.diagnostics, []);
  const f = r.filters?.[0];
  assert.ok(f);
  assert.equal([f!.title, f!.rules, f!.logsource, f!.query.kind], ["F", ["x"], { product: "windows" }, "not"]);
  const bad = readSigmaFile("g.yml", "title: G\nlogsource: {product: windows}\nfilter:\n    rules: []\n    selection: {a: b}\n    condition: selection\n");
  assert.equal(bad.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), ["4:12 sigma/invalid-filter"]);
  const any = readSigmaFile("h.yml", "title: H\nlogsource: {product: windows}\nfilter:\n    rules: any\n    selection: {a: b}\n    condition: selection\n");
  assert.is(any.filters?.[0]?.rules, "any");
});

test.run();
