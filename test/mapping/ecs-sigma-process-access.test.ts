/**
 * Sysmon 10 (process access) in Elastic rules (issue 15): the Windows sysmon_operational pipeline
 * types event code 10 `process` and names the acting process process.executable (SourceImage),
 * process.name (its last `\`-separated part), process.pid and process.entity_id (SourceProcessGUID,
 * as Sysmon 10 spells it). Such a rule is Sigma's process_access, Splunk's EventCode=10, not a
 * process creation searched as `EventCode=1 EventCode="10"`. Checked with the SPL oracle against
 * the IR on events as each side stores them.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { evaluate } from "../../src/eval/evaluate.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";

const rule = (query: string): string => ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000154", name: "Process access test", query });

const QUERY = 'process where host.os.type == "windows" and event.code == "10" and winlog.event_data.TargetImage : "?:\\\\WINDOWS\\\\system32\\\\lsass.exe" and not process.name : ("procexp64.exe", "MsMpEng.exe") and winlog.event_data.CallTrace : "*UNKNOWN*"';

/** A Sysmon 10 event as Splunk's Sysmon add-on keeps it, and as the Elastic pipeline stores it. */
function events(sourceImage: string, callTrace: string): { splunk: Record<string, unknown>; ecs: Record<string, unknown> } {
  const idx = sourceImage.lastIndexOf("\\");
  return {
    splunk: { source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational", EventCode: "10", SourceImage: sourceImage, TargetImage: "C:\\WINDOWS\\system32\\lsass.exe", CallTrace: callTrace, SourceProcessGUID: "{g}" },
    ecs: {
      "event.category": "process",
      "event.code": "10",
      "host.os.type": "windows",
      "process.executable": sourceImage,
      ...(idx > -1 && sourceImage.length > 1 ? { "process.name": sourceImage.slice(idx + 1) } : {}),
      "process.entity_id": "{g}",
      "winlog.event_data.TargetImage": "C:\\WINDOWS\\system32\\lsass.exe",
      "winlog.event_data.CallTrace": callTrace,
    },
  };
}

test("event.code 10 under event.category process is process_access: Sigma's SourceImage, Splunk's EventCode=10, the same events", () => {
  const read = readRules([{ path: "rules/pa.yaml", text: rule(QUERY) }]);
  const out = convertRules(read.rules, ["sigma", "splunk"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  const sigma = parse(out.files.find((f) => f.path.endsWith(".yml"))!.content) as { logsource: unknown };
  assert.equal(sigma.logsource, { category: "process_access", product: "windows" });
  const spl = out.files.find((f) => f.path.endsWith(".spl"))!.content;
  assert.match(spl, /EventCode=10 /);
  assert.not.match(spl, /EventCode=1 /);
  assert.match(spl, /SourceImage="\*\\\\procexp64\.exe"/);
  const parsed = parseSpl(spl.split("\n").filter((l) => l && !l.startsWith("| `")).join(" "));
  assert.ok(parsed.ok, spl);
  for (const [image, trace] of [
    ["C:\\Tools\\procexp64.exe", "x|UNKNOWN(1)"],
    ["C:\\Tools\\evil.exe", "x|UNKNOWN(1)"],
    ["C:\\Tools\\evil.exe", "ntdll.dll"],
    ["C:\\ProgramData\\MsMpEng.exe", "UNKNOWN"],
    ["evil.exe", "UNKNOWN"],
  ] as const) {
    const e = events(image, trace);
    const want = evaluate(read.rules[0]!.query, e.ecs);
    const got = parsed.ok ? evaluateSpl(parsed.value, e.splunk) : undefined;
    assert.ok(want.ok && got?.ok, JSON.stringify({ want, got }));
    assert.is(got.ok && got.matched, want.ok && want.matched, `${image} ${trace}: ${spl}`);
  }
});

test("a sequence's process-access step joins on SourceProcessGUID, Sysmon 10's spelling (Splunk's names are case-sensitive)", () => {
  const q = 'sequence by host.id with maxspan=1m [process where host.os.type == "windows" and event.code == "1" and process.parent.name : "winword.exe"] by process.entity_id [process where host.os.type == "windows" and event.code == "10" and winlog.event_data.CallTrace : "*UNKNOWN*"] by process.entity_id';
  const read = readRules([{ path: "rules/pa.yaml", text: rule(q) }]);
  const out = convertRules(read.rules, ["splunk"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  const spl = out.files.find((f) => f.path.endsWith(".spl"))!.content;
  assert.match(spl, /rc_key_1=case\(rc_m1=1, ProcessGuid, rc_m2=1, SourceProcessGUID\)/);
});

test.run();
