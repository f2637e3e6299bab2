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

test.run();
