/**
 * A script block's file.directory (issue 19.2): Elastic's powershell_operational pipeline sets it to
 * what precedes the script path's last backslash, so it is a condition on Sigma's Path:
 * the directory, a backslash, a name without one (the `dirname` transform; its verdicts on paths
 * are checked in ecs-sigma-powershell.test.ts). Here: the Sigma file names no ECS field, and Elastic
 * reads it back as the same test on file.path. A directory the transform cannot say keeps ECS names.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const rule = (language: string, query: string): string =>
  [
    "rule_id: 0a1b2c3d-0000-4000-8000-000000000192",
    "name: Script directory test",
    "description: script directory test",
    `type: ${language === "eql" ? "eql" : "query"}`,
    `language: ${language}`,
    'index: ["winlogbeat-*", "logs-windows.powershell*"]',
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(query)}`,
  ].join("\n");

function toSigma(language: string, query: string) {
  const out = convertRules(readRules([{ path: "rules/ps.yaml", text: rule(language, query) }]).rules, ["sigma"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  return { yml, doc: parse(yml) as { taxonomy?: string; logsource: unknown; detection: Record<string, Record<string, unknown>> }, diagnostics: out.diagnostics };
}


test("file.directory is a Path condition in the Sigma file, read back by Elastic on file.path", () => {
  const { yml, doc } = toSigma("eql", 'process where powershell.file.script_block_text : "VirtualAlloc" and not file.directory : "C:\\\\ProgramData\\\\Downloads"');
  assert.equal(doc.taxonomy, undefined);
  assert.equal(doc.logsource, { category: "ps_script", product: "windows" });
  assert.not.match(yml, /file\.directory/);
  assert.match(yml, /Path/);
  const again = readRules([{ path: "back.yml", text: yml }]);
  const json = convertRules(again.rules, ["elastic"], testContext()).files.find((f) => f.path.endsWith(".json"))?.content ?? "{}";
  const back = (JSON.parse(json) as { query: string }).query;
  assert.match(back, /file\.path/);
  assert.not.match(back, /file\.directory|Path/);
});

test("a wildcard inside the directory and the empty directory keep ECS names", () => {
  for (const q of [
    'process where powershell.file.script_block_text : "x" and not file.directory : "C:\\\\Progra?Data\\\\*\\\\Downloads"',
    'process where powershell.file.script_block_text : "x" and file.directory == ""',
  ]) {
    const { doc, diagnostics } = toSigma("eql", q);
    assert.equal(doc.taxonomy, "ecs", q);
    assert.ok(diagnostics.some((d) => d.code === "sigma/ecs-taxonomy" && d.message.includes("`file.directory`")), q);
  }
});

test.run();
