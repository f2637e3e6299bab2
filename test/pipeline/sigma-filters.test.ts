/**
 * Sigma filter documents narrow the rules they name, across files: `(rule) and (filter)`, only where
 * the filter's log source covers the rule's, never a correlation by name, but every correlation
 * through the rules it counts; every outcome is reported.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../src/eval/evaluate.js";
import { readRules } from "../../src/pipeline/read-rules.js";

const rule = (id: string, name: string, ls: string) =>
  `title: ${name}\nid: ${id}\nname: ${name}\nlogsource: ${ls}\ndetection:\n    selection:\n        Image|endswith: '\\rar.exe'\n    condition: selection\nlevel: medium\n`;
const filter = (rules: string, ls = "{category: process_creation, product: windows}") =>
  `title: Admins\nid: 0d8f7c6e-1111-4222-8333-444455556666\nlogsource: ${ls}\nfilter:\n    rules: ${rules}\n    selection:\n        User|startswith: 'adm_'\n    condition: not selection\n`;

const A = "6f3e2987-db24-4c78-a860-b4f4095a7095";
const B = "7f3e2987-db24-4c78-a860-b4f4095a7096";

function read(files: Record<string, string>) {
  return readRules(Object.entries(files).map(([path, text]) => ({ path, text })));
}

test("a filter in another file narrows the rule it names by id or name; events prove the AND NOT", () => {
  for (const ref of [`[${A}]`, "[rar_a]"]) {
    const r = read({ "mf_admins.yml": filter(ref), "a.yml": rule(A, "rar_a", "{category: process_creation, product: windows}") });
    const a = r.rules[0]!;
    assert.is(a.query.kind, "and", ref);
    assert.equal(a.custom["filters_applied"], ["0d8f7c6e-1111-4222-8333-444455556666"]);
    const hit = (e: Record<string, unknown>) => {
      const v = evaluate(a.query, e);
      return v.ok && v.matched;
    };
    assert.ok(hit({ Image: "C:\\x\\rar.exe", User: "bob" }));
    assert.not.ok(hit({ Image: "C:\\x\\rar.exe", User: "adm_bob" }));
    assert.equal(r.diagnostics.map((d) => [d.severity, d.code, d.file]), [["info", "sigma/filter-applied", "mf_admins.yml"]]);
  }
});

test("not applied where the log source differs, nor to unknown rules; `any` takes every covered rule", () => {
  const files = {
    "a.yml": rule(A, "rar_a", "{category: process_creation, product: windows}"),
    "b.yml": rule(B, "rar_b", "{category: process_creation, product: linux}"),
  };
  const named = read({ ...files, "f.yml": filter(`[${B}, ffffffff-0000-4000-8000-000000000000]`) });
  assert.equal(named.rules.map((x) => x.query.kind), ["match", "match"]);
  assert.equal(named.diagnostics.map((d) => d.code).sort(), ["sigma/filter-not-applied", "sigma/filter-unknown-rule"]);
  const any = read({ ...files, "f.yml": filter("any") });
  assert.equal(any.rules.map((x) => x.query.kind), ["and", "match"]);
});

test("a filter on a rule narrows the correlations that count it, and says so", () => {
  const correlation = `title: Many rar
id: 8f3e2987-db24-4c78-a860-b4f4095a7097
correlation:
    type: event_count
    rules: [rar_a]
    group-by: [User]
    timespan: 5m
    condition: {gte: 3}
level: high
`;
  const r = read({ "a.yml": `${rule(A, "rar_a", "{category: process_creation, product: windows}")}---\n${correlation}`, "mf_admins.yml": filter("[rar_a]") });
  const corr = r.rules.find((x) => x.name === "Many rar")!;
  assert.ok(corr.query.kind === "correlation");
  if (corr.query.kind !== "correlation") return;
  const sub = corr.query.rules[0]!.query;
  const hit = (e: Record<string, unknown>) => {
    const v = evaluate(sub, e);
    return v.ok && v.matched;
  };
  assert.ok(hit({ Image: "C:\\x\\rar.exe", User: "bob" }));
  assert.not.ok(hit({ Image: "C:\\x\\rar.exe", User: "adm_bob" }), "the admin's events no longer count");
  assert.equal(corr.custom["filters_applied"], ["0d8f7c6e-1111-4222-8333-444455556666"]);
  assert.equal(r.diagnostics.map((d) => [d.code, d.file]), [["sigma/filter-applied", "mf_admins.yml"], ["sigma/filter-applied", "a.yml"]]);
  assert.match(r.diagnostics[1]!.message, 'correlation "Many rar" is narrowed through its filtered rule rar_a');
});

test.run();
