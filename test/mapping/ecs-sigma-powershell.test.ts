/**
 * PowerShell script-block events (ps_script, event 4104): the account a script block ran as is the
 * event's Security UserID, ECS user.id in Elastic's powershell_operational data and UserID in the
 * Splunk Windows add-on's (issue 15). Checked both ways: the Sigma file says UserID and Elastic
 * reads it back as user.id; Splunk searches UserID.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";

const RULE = [
  "rule_id: 0a1b2c3d-0000-4000-8000-000000000151",
  "name: Script block test",
  "description: script block test",
  "type: query",
  "language: kuery",
  'index: ["winlogbeat-*", "logs-windows.powershell*"]',
  "tags: [Windows]",
  "severity: low",
  "risk_score: 21",
  `query: ${JSON.stringify('event.category:process and host.os.type:windows and powershell.file.script_block_text:"GetAsyncKeyState" and not user.id:"S-1-5-18"')}`,
].join("\n");

test("user.id of a script block is UserID: in the Sigma file, read back by Elastic, and searched by Splunk", () => {
  const ctx = testContext();
  const read = readRules([{ path: "rules/ps.yaml", text: RULE }]);
  const out = convertRules(read.rules, ["sigma", "splunk"], ctx);
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const doc = parse(yml) as { logsource: unknown; detection: Record<string, unknown> };
  assert.equal(doc.logsource, { category: "ps_script", product: "windows" });
  assert.match(yml, /UserID: '?S-1-5-18'?\n/);
  assert.not.match(yml, /user\.id/);
  const spl = out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  assert.match(spl, /NOT UserID=="S-1-5-18"|NOT UserID="S-1-5-18"/);
  const again = readRules([{ path: "back.yml", text: yml }]);
  const json = convertRules(again.rules, ["elastic"], ctx).files.find((f) => f.path.endsWith(".json"))?.content ?? "{}";
  const back = (JSON.parse(json) as { query: string }).query;
  // Read back (an ES|QL rule: the script-block text is analysed text) as user.id, not winlog.event_data.UserID.
  assert.match(back, /\(?TO_LOWER\(user\.id\) != "s-1-5-18"/);
  assert.not.match(back, /UserID/);
});


/** The ECS fields Elastic's powershell_operational pipeline ("Adds file information") makes of Path. */
function ecsFromPath(path: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (path === undefined) return out;
  const idx = path.lastIndexOf("\\");
  if (path.length > 1 && idx > -1) {
    out["file.name"] = path.slice(idx + 1);
    out["file.directory"] = path.slice(0, idx);
  }
  if (path !== "") out["file.path"] = path;
  return out;
}

const PATHS = [undefined, "C:\\Temp\\a.ps1", "C:\\TEMP\\a.ps1", "C:\\Temp\\sub\\a.ps1", "C:\\Tempo\\a.ps1", "C:\\Temp\\", "C:\\Temp", "a.ps1", "\\", "\\x.ps1", "C:\\Temp\\sub\\x\\b.ps1"];

function directoryRule(condition: string): string {
  return RULE.replace(/^query: .*$/m, `query: ${JSON.stringify(`event.category:process and host.os.type:windows and powershell.file.script_block_text:"GetAsyncKeyState" and ${condition}`)}`);
}

for (const [condition, where] of [
  ['not file.directory:"C:\\\\Temp"', String.raw`| where isnull(Path) OR NOT match(Path, "^C:\\\\Temp\\\\[\\s\\S]*\\z") OR match(Path, "^C:\\\\Temp\\\\[\\s\\S]*\\\\[\\s\\S]*\\z")`],
  ['file.directory:"C:\\\\Temp"', String.raw`| where match(Path, "^C:\\\\Temp\\\\[\\s\\S]*\\z") AND (isnull(Path) OR NOT match(Path, "^C:\\\\Temp\\\\[\\s\\S]*\\\\[\\s\\S]*\\z"))`],
  ["file.directory:C\\:\\\\Temp*", String.raw`| where match(Path, "^C:\\\\Temp[\\s\\S]*\\\\[\\s\\S]*\\z")`],
  ["file.directory:*", String.raw`| where match(Path, "^[\\s\\S]*\\\\[\\s\\S]*\\z") AND (isnull(Path) OR NOT Path=="\\")`],
  ["not file.directory:*", String.raw`| where isnull(Path) OR NOT match(Path, "^[\\s\\S]*\\\\[\\s\\S]*\\z") OR Path=="\\"`],
] as const) {
  test(`file.directory of a script block is Path up to its last backslash: ${condition}`, () => {
    const ctx = testContext();
    const read = readRules([{ path: "rules/ps.yaml", text: directoryRule(condition) }]);
    const out = convertRules(read.rules, ["splunk"], ctx);
    assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
    const text = out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
    assert.ok(text.split("\n").includes(where), text);
    const parsed = parseSpl(text.split("\n").filter((l) => l && !l.startsWith("| `")).join(" "));
    assert.ok(parsed.ok, text);
    for (const path of PATHS) {
      const splunkEvent = { source: "XmlWinEventLog:Microsoft-Windows-PowerShell/Operational", EventCode: "4104", ScriptBlockText: "GetAsyncKeyState", ...(path === undefined ? {} : { Path: path }) };
      const ecsEvent = { "event.category": "process", "host.os.type": "windows", "event.code": "4104", "powershell.file.script_block_text": "GetAsyncKeyState", ...ecsFromPath(path) };
      const want = evaluate(read.rules[0]!.query, ecsEvent, { ecsTyped: "kql" });
      const got = parsed.ok ? evaluateSpl(parsed.value, splunkEvent) : undefined;
      assert.ok(want.ok && got?.ok, JSON.stringify({ want, got }));
      assert.is(got.ok && got.matched, want.ok && want.matched, `${condition} on ${JSON.stringify(path)}: ${text}`);
    }
  });
}

test("a wildcard inside a directory is refused by name: it could stand for a backslash of the file name", () => {
  const read = readRules([{ path: "rules/ps.yaml", text: directoryRule("not file.directory:C\\:\\\\Users\\\\*\\\\Modules") }]);
  const out = convertRules(read.rules, ["splunk"], testContext());
  assert.ok(out.diagnostics.some((d) => d.severity === "error" && d.code === "mapping/transform-unsupported" && d.message.includes("file.directory")), out.diagnostics.map((d) => d.message).join("\n"));
});

test.run();
