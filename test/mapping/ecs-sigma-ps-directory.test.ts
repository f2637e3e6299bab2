/**
 * A script block's file.directory (issue 19.2): Elastic's powershell_operational pipeline sets it to
 * what precedes the script path's last backslash, so it is a regular expression on Sigma's Path:
 * the directory, a backslash, a name without one. Checked on paths, in the Sigma file, and read back
 * by Elastic as the same test on file.path. A test the pattern cannot say keeps ECS names.
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

const pathRegex = (doc: { detection: Record<string, Record<string, unknown>> }): { key: string; pattern: string } => {
  for (const [name, s] of Object.entries(doc.detection)) {
    if (name === "condition") continue;
    for (const [key, v] of Object.entries(s)) if (key.startsWith("Path|re")) return { key, pattern: String(v) };
  }
  return { key: "", pattern: "" };
};

test("file.directory is Path|re: the directory, a backslash and a name; case as the query's", () => {
  const { yml, doc } = toSigma("eql", 'process where powershell.file.script_block_text : "VirtualAlloc" and not file.directory : "C:\\\\Progra?Data\\\\*\\\\Downloads"');
  assert.equal(doc.taxonomy, undefined);
  assert.equal(doc.logsource, { category: "ps_script", product: "windows" });
  assert.not.match(yml, /file\.directory/);
  const { key, pattern } = pathRegex(doc);
  assert.is(key, "Path|re|i");
  const re = new RegExp(pattern, "i");
  assert.ok(re.test("C:\\ProgramData\\Microsoft\\Downloads\\a.ps1"));
  assert.ok(re.test("c:\\prograXdata\\x\\y\\downloads\\a.ps1"));
  assert.not.ok(re.test("C:\\ProgramData\\Microsoft\\Downloads\\sub\\a.ps1"), "a deeper directory");
  assert.not.ok(re.test("C:\\ProgramData\\Downloads\\a.ps1"), "the directory's own pattern");
  assert.not.ok(re.test("D:\\C:\\ProgramData\\x\\Downloads\\a.ps1"), "anchored");
  // Read back: the same test of the script path.
  const again = readRules([{ path: "back.yml", text: yml }]);
  const json = convertRules(again.rules, ["elastic"], testContext()).files.find((f) => f.path.endsWith(".json"))?.content ?? "{}";
  const back = (JSON.parse(json) as { query: string }).query;
  assert.match(back, /\(?TO_LOWER\(file\.path\) NOT RLIKE /);
  assert.not.match(back, /file\.directory|Path/);
});

test("KQL's case-sensitive keyword match stays case-sensitive", () => {
  const { doc } = toSigma("kuery", 'event.category:process and powershell.file.script_block_text:"VirtualAlloc" and not file.directory:"C:\\\\Temp"');
  const { key, pattern } = pathRegex(doc);
  assert.is(key, "Path|re");
  assert.is(pattern, "^C:\\\\Temp\\\\[^\\\\]*$");
});

test("absence, presence and the empty directory keep ECS names", () => {
  for (const q of [
    'process where powershell.file.script_block_text : "x" and file.directory == null',
    'process where powershell.file.script_block_text : "x" and file.directory != null',
    'process where powershell.file.script_block_text : "x" and file.directory == ""',
  ]) {
    const { doc, diagnostics } = toSigma("eql", q);
    assert.equal(doc.taxonomy, "ecs", q);
    assert.ok(diagnostics.some((d) => d.code === "sigma/ecs-taxonomy" && d.message.includes("`file.directory`")), q);
  }
});

test.run();
