import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runImport } from "../../src/cli/import-command.js";
import type { Io } from "../../src/cli/io.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";

function tomlRule(id: string, name: string, type = "query", query = "process.name:a"): string {
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
${type === "machine_learning" ? 'machine_learning_job_id = ["j"]\nanomaly_threshold = 50' : `language = "kuery"\nquery = '${query}'`}
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
  writeFileSync(join(dir, "in/bad.toml"), tomlRule("33333333-0000-4000-8000-000000000000", "Bad Query", "query", "process.name:"));
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
    assert.match(text, /in\/bad\.toml:\d+:\d+: error kql\/[a-z-]+: .*\[rule 33333333-0000-4000-8000-000000000000\]/);
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
    rmSync(join(dir, "in/bad.toml"));
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

test("every Kibana rule type imports (issue 18): machine_learning without a query, threat_match with its indicator settings under custom", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-import-types-"));
  try {
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in/ml.toml"), tomlRule("33333333-0000-4000-8000-000000000000", "Rare Process", "machine_learning"));
    writeFileSync(
      join(dir, "in/im.toml"),
      `${tomlRule("66666666-0000-4000-8000-000000000000", "Indicator Match", "threat_match")}threat_index = ["logs-ti_*"]\nthreat_query = "@timestamp >= \\"now-30d/d\\""\nthreat_language = "kuery"\n\n[[rule.threat_mapping]]\n[[rule.threat_mapping.entries]]\nfield = "file.hash.sha256"\ntype = "mapping"\nvalue = "threat.indicator.file.hash.sha256"\n`,
    );
    const { io, err } = makeIo(dir);
    assert.is(runImport({ paths: ["in"], out: "out", skipErrors: false, verbose: false }, io), 0, err.join(""));
    assert.equal(listFiles(join(dir, "out")), ["indicator_match.yaml", "rare_process.yaml"]);
    const mlText = readFileSync(join(dir, "out/rare_process.yaml"), "utf8");
    assert.not.match(mlText, /^(query|language):/m);
    const ml = readNativeRuleFile("ml.yaml", mlText);
    assert.equal(ml.diagnostics, []);
    assert.is(ml.rules[0]!.type, "machine_learning");
    assert.equal(ml.rules[0]!.custom, { machine_learning_job_id: ["j"], anomaly_threshold: 50 });
    const im = readNativeRuleFile("im.yaml", readFileSync(join(dir, "out/indicator_match.yaml"), "utf8")).rules[0]!;
    assert.is(im.type, "threat_match");
    assert.equal(Object.keys(im.custom).sort(), ["threat_index", "threat_language", "threat_mapping", "threat_query"]);
    // Without the settings its type runs on, a rule file is refused by name.
    const bare = mlText.replace(/^ {4}machine_learning_job_id:[^\n]*\n( {8}- [^\n]*\n)*/m, "");
    const refused = readNativeRuleFile("bare.yaml", bare);
    assert.equal(refused.rules, []);
    assert.equal(refused.diagnostics.map((d) => `${d.code} ${d.message}`), ["rule/missing-field a machine_learning rule needs `machine_learning_job_id` under `custom:`"]);
    // A query rule still needs its query.
    const noQuery = readNativeRuleFile("q.yaml", "rule_id: x\nname: n\ndescription: d\ntype: query\nlanguage: kuery\nseverity: low\nrisk_score: 1\n");
    assert.equal(noQuery.diagnostics.map((d) => d.code), ["rule/missing-field"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
