import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runImport } from "../../src/cli/import-command.js";
import type { Io } from "../../src/cli/io.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";

function tomlRule(id: string, name: string, type = "query"): string {
  return `[metadata]
creation_date = "2022/01/01"
updated_date = "2022/02/02"

[rule]
author = ["Elastic"]
description = "d"
name = "${name}"
risk_score = 21
rule_id = "${id}"
severity = "low"
type = "${type}"
${type === "machine_learning" ? 'machine_learning_job_id = ["j"]\nanomaly_threshold = 50' : `language = "kuery"\nquery = 'process.name:a'`}
`;
}

function makeIo(cwd: string) {
  const err: string[] = [];
  const io: Io = { cwd, env: {}, out: () => undefined, err: (t) => void err.push(t), stdinIsTty: false, stderrIsTty: false };
  return { io, err };
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-import-"));
  mkdirSync(join(dir, "in/windows"), { recursive: true });
  writeFileSync(join(dir, "in/windows/a.toml"), tomlRule("11111111-0000-4000-8000-000000000000", "Same Name"));
  writeFileSync(join(dir, "in/windows/b.toml"), tomlRule("22222222-0000-4000-8000-000000000000", "Same Name"));
  writeFileSync(join(dir, "in/ml.toml"), tomlRule("33333333-0000-4000-8000-000000000000", "Rare Process", "machine_learning"));
  const ndjsonRule = { rule_id: "44444444-0000-4000-8000-000000000000", name: "From Export", description: "d", type: "eql", language: "eql", query: "process where true", severity: "high", risk_score: 73, id: "x", revision: 2 };
  writeFileSync(join(dir, "in/export.ndjson"), `${JSON.stringify(ndjsonRule)}\n{"exported_count":1}\n`);
  writeFileSync(join(dir, "in/README.md"), "not a rule");
  return dir;
}

test("errors stop the run before anything is written; the count line names both sides", () => {
  const dir = setup();
  try {
    const { io, err } = makeIo(dir);
    const code = runImport({ paths: ["in"], out: "out", skipErrors: false, verbose: false }, io);
    assert.is(code, 1);
    const text = err.join("");
    assert.match(text, "in/ml.toml:5:1: error import/unsupported-type: rule type `machine_learning` cannot be written as a rulecast rule file [rule 33333333-0000-4000-8000-000000000000]");
    assert.match(text, "3 imported, 1 failed\n");
    assert.equal(readdirSync(dir).sort(), ["in"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--skip-errors writes one rule file per rule, mirroring subfolders; shared names get the id prefix", () => {
  const dir = setup();
  try {
    const { io, err } = makeIo(dir);
    const code = runImport({ paths: ["in"], out: "out", skipErrors: true, verbose: false }, io);
    assert.is(code, 1, "failures still exit 1");
    assert.match(err.join(""), "3 imported, 1 failed\n");
    assert.equal(listFiles(join(dir, "out")), ["from_export.yaml", "windows/same_name_11111111.yaml", "windows/same_name_22222222.yaml"]);
    const path = join(dir, "out/windows/same_name_22222222.yaml");
    const back = readNativeRuleFile(path, readFileSync(path, "utf8"));
    assert.equal(back.diagnostics, []);
    assert.is(back.rules[0]!.id, "22222222-0000-4000-8000-000000000000");
    assert.is(back.rules[0]!.date, "2022-01-01");
    const exported = readNativeRuleFile("e.yaml", readFileSync(join(dir, "out/from_export.yaml"), "utf8")).rules[0]!;
    assert.is(exported.version, 1);
    assert.equal(exported.custom, {}, "response-only keys (id, revision) are not kept");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a clean run exits 0 and a rerun writes the same bytes", () => {
  const dir = setup();
  try {
    rmSync(join(dir, "in/ml.toml"));
    const first = makeIo(dir);
    assert.is(runImport({ paths: ["in/windows/a.toml", "in/export.ndjson"], out: "out", skipErrors: false, verbose: false }, first.io), 0);
    assert.match(first.err.join(""), "2 imported, 0 failed\n");
    assert.equal(listFiles(join(dir, "out")), ["from_export.yaml", "same_name.yaml"]);
    const before = readFileSync(join(dir, "out/same_name.yaml"), "utf8");
    assert.is(runImport({ paths: ["in/windows/a.toml", "in/export.ndjson"], out: "out", skipErrors: false, verbose: false }, makeIo(dir).io), 0);
    assert.is(readFileSync(join(dir, "out/same_name.yaml"), "utf8"), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Sigma rules import as ECS rule files that read back and convert as the Sigma rule does; unmapped fields refuse", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-import-sigma-"));
  try {
    mkdirSync(join(dir, "sigma/windows"), { recursive: true });
    writeFileSync(
      join(dir, "sigma/windows/rar.yml"),
      "title: Rar Compression\nid: 6f3e2987-db24-4c78-a860-b4f4095a7095\nstatus: test\nlogsource:\n    category: process_creation\n    product: windows\n    definition: 'Sysmon or 4688'\ndetection:\n    selection:\n        Image|endswith: '\\rar.exe'\n    condition: selection\nlevel: informational\n",
    );
    writeFileSync(
      join(dir, "sigma/windows/unmapped.yml"),
      "title: Unmapped Field\nid: 7f3e2987-db24-4c78-a860-b4f4095a7096\nlogsource:\n    product: zeek\n    service: dns\ndetection:\n    selection:\n        Z: 0\n    condition: selection\nlevel: low\n",
    );
    const { io, err } = makeIo(dir);
    assert.is(runImport({ paths: ["sigma"], out: "out", skipErrors: true, verbose: false }, io), 1);
    const text = err.join("");
    assert.match(text, "sigma/windows/unmapped.yml:8:9: error mapping/unmapped-field");
    assert.match(text, "1 imported, 1 failed\n");
    assert.equal(listFiles(join(dir, "out")), ["windows/rar_compression.yaml"]);
    const path = join(dir, "out/windows/rar_compression.yaml");
    const back = readNativeRuleFile(path, readFileSync(path, "utf8"));
    assert.equal(back.diagnostics, []);
    const r = back.rules[0]!;
    assert.equal([r.id, r.type, r.language, r.taxonomy, r.severity, r.status], ["6f3e2987-db24-4c78-a860-b4f4095a7095", "eql", "eql", "ecs", "informational", "test"]);
    assert.equal(r.logsource, { category: "process_creation", product: "windows", definition: "Sysmon or 4688" });
    assert.match(r.queryText, 'process.executable : "*\\\\rar.exe"');
    assert.ok(r.index.includes("winlogbeat-*"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the same rule id twice is an error for the second", () => {
  const dir = setup();
  try {
    writeFileSync(join(dir, "in/windows/b.toml"), tomlRule("11111111-0000-4000-8000-000000000000", "Other Name"));
    const { io, err } = makeIo(dir);
    assert.is(runImport({ paths: ["in/windows"], out: "out", skipErrors: false, verbose: false }, io), 1);
    assert.match(err.join(""), "in/windows/b.toml:14:10: error import/duplicate-rule-id: rule id 11111111-0000-4000-8000-000000000000 was already imported from in/windows/a.toml");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
