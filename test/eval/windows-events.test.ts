import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import type { Part, Query } from "../../src/ir/query.js";
import { evaluate, evaluateStream, flattenWindowsEvent, readEvents } from "../../src/eval/index.js";
import { and, match, not, num, or } from "./build.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testEventFile } from "../../src/testing/check-samples.js";

const CASE = "../shared/corpus/sigma/regression_data/rules/windows/file/file_event/file_event_win_creation_system_dll_files";
const SHAI = "../shared/corpus/sigma/regression_data/rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_node_bun_execution";

function jsonIn(dir: string): string {
  const name = readdirSync(dir).find((f) => f.endsWith(".json"));
  if (!name) throw new Error(`no .json in ${dir}`);
  return readFileSync(join(dir, name), "utf8");
}

function matchCount(dir: string): number {
  const info = parseYaml(readFileSync(join(dir, "info.yml"), "utf8")) as { regression_tests_info: { match_count: number }[] };
  return info.regression_tests_info[0]!.match_count;
}

const read = suite("readEvents");
read("concatenated objects, JSON lines, JSON array", () => {
  const objs = readEvents('{"a":1}{"a":"}{"}\n\n  {"b":[1,{"c":2}]}');
  assert.equal(objs, { ok: true, events: [{ a: 1 }, { a: "}{" }, { b: [1, { c: 2 }] }] });
  assert.equal(readEvents('{"a":1}\n{"a":2}\n'), { ok: true, events: [{ a: 1 }, { a: 2 }] });
  assert.equal(readEvents(' [{"a":1},{"a":2}]'), { ok: true, events: [{ a: 1 }, { a: 2 }] });
  assert.equal(readEvents(""), { ok: true, events: [] });
});
read("errors carry the offset", () => {
  const bad = readEvents('{"a":1}\n{"a":}');
  assert.is(bad.ok, false);
  if (!bad.ok) assert.ok(bad.offset >= 8 && bad.offset <= 13, `offset ${bad.offset}`);
  const junk = readEvents('{"a":1} x');
  assert.is(junk.ok, false);
  if (!junk.ok) assert.is(junk.offset, 8);
  const unterminated = readEvents('{"a":1} {"b":');
  assert.is(unterminated.ok, false);
  if (!unterminated.ok) assert.is(unterminated.offset, 8);
  assert.is(readEvents("[1,2]").ok, false);
});
read("a regression data file read in place holds its events", () => {
  const text = jsonIn(SHAI);
  const r = readEvents(text);
  assert.ok(r.ok);
  if (!r.ok) return;
  // Every top-level object of the file starts a line with `{`.
  assert.is(r.events.length, text.split("\n").filter((l) => l === "{").length);
  assert.ok(r.events.length > 1);
  assert.ok(r.events.every((e) => typeof e["Event"] === "object"));
});
read.run();

const flat = suite("flattenWindowsEvent");
flat("System and EventData fields become top-level Sigma names", () => {
  const r = readEvents(jsonIn(CASE));
  assert.ok(r.ok);
  if (!r.ok) return;
  const e = flattenWindowsEvent(r.events[0]!);
  assert.is(e["EventID"], 11);
  assert.is(e["Channel"], "Microsoft-Windows-Sysmon/Operational");
  assert.is(e["Provider_Name"], "Microsoft-Windows-Sysmon");
  assert.is(typeof e["Computer"], "string");
  assert.is(typeof e["TimeCreated_SystemTime"], "string");
  assert.is(e["TargetFilename"], "C:\\tdh.dll");
  assert.is(e["Event"], undefined);
});
flat("EventData Data entries and #text values", () => {
  const e = flattenWindowsEvent({
    Event: {
      System: { EventID: { "#attributes": { Qualifiers: 0 }, "#text": 4688 }, Channel: "Security" },
      EventData: {
        Data: [
          { "#attributes": { Name: "NewProcessName" }, "#text": "C:\\x.exe" },
          { "@Name": "SubjectUserName", "#text": "bob" },
          "unnamed",
        ],
      },
    },
  });
  assert.is(e["EventID"], 4688);
  assert.is(e["EventID_Qualifiers"], 0);
  assert.is(e["NewProcessName"], "C:\\x.exe");
  assert.is(e["SubjectUserName"], "bob");
  assert.is(e["Data"], "unnamed");
  assert.ok(evaluate(match("EventID", num(4688)), e).ok && (evaluate(match("EventID", num(4688)), e) as { matched: boolean }).matched);
});
flat.run();

const text = (value: string): Part => ({ kind: "text", value });
const ends = (f: string, v: string): Query => ({ kind: "match", field: f, value: { kind: "string", parts: [{ kind: "any" }, text(v)] }, caseSensitive: false });
const contains = (f: string, v: string): Query => ({ kind: "match", field: f, value: { kind: "string", parts: [{ kind: "any" }, text(v), { kind: "any" }] }, caseSensitive: false });

const rule = suite("a Sigma rule over its regression data");
rule("file_event_win_creation_system_dll_files matches as many events as info.yml says", () => {
  // The rule's detection, written out as IR: selection and not 1 of filter_main_*.
  const selection = or(ends("TargetFilename", "\\secur32.dll"), ends("TargetFilename", "\\tdh.dll"));
  const filter = or(...["C:\\$WINDOWS.~BT\\", "C:\\$WinREAgent\\", "C:\\Windows\\SoftwareDistribution\\", "C:\\Windows\\System32\\", "C:\\Windows\\SysWOW64\\", "C:\\Windows\\WinSxS\\", "C:\\Windows\\uus\\"].map((v) => contains("TargetFilename", v)));
  const q = and(match("EventID", num(11)), selection, not(filter));
  const r = readEvents(jsonIn(CASE));
  assert.ok(r.ok);
  if (!r.ok) return;
  const events = r.events.map(flattenWindowsEvent);
  const s = evaluateStream(q, events, { timestampField: "TimeCreated_SystemTime" });
  assert.ok(s.ok);
  if (s.ok) assert.is(s.matches.length, matchCount(CASE));
  // The same events do not match when the filter covers them.
  const q2 = and(selection, not(contains("TargetFilename", "C:\\")));
  const s2 = evaluateStream(q2, events);
  assert.ok(s2.ok && s2.matches.length === 0);
});
rule.run();

/** A Windows Defender event as evtx-to-JSON writes it: Data names with spaces. */
function defenderEvent(id: number, data: Record<string, string>): Record<string, unknown> {
  return {
    Event: {
      System: { Provider: { "#attributes": { Name: "Microsoft-Windows-Windows Defender" } }, EventID: id, Channel: "Microsoft-Windows-Windows Defender/Operational" },
      EventData: { Data: Object.entries(data).map(([Name, text]) => ({ "#attributes": { Name }, "#text": text })) },
    },
  };
}

const defender = suite("Windows Defender field names with spaces");
defender("`Threat Name`, `Process Name`, `Source Name` flatten to Sigma's ThreatName, ProcessName, SourceName", () => {
  const flat = flattenWindowsEvent(defenderEvent(1116, { "Threat Name": "Trojan:Win32/X", "Process Name": "C:\\x.exe", "Source Name": "AMSI" }));
  assert.equal([flat["ThreatName"], flat["ProcessName"], flat["SourceName"]], ["Trojan:Win32/X", "C:\\x.exe", "AMSI"]);
});
defender("SigmaHQ's Defender rules match (and filter) on the events they describe", () => {
  const dir = "../shared/corpus/sigma/rules/windows/builtin/windefend";
  const load = (f: string) => readRules([{ path: join(dir, f), text: readFileSync(join(dir, f), "utf8") }]).rules[0]!;
  const amsi = load("win_defender_malware_detected_amsi_source.yml");
  assert.ok(testEventFile(amsi, [defenderEvent(1116, { "Threat Name": "Trojan:Win32/X", "Source Name": "AMSI" })], "match").passed);
  assert.ok(testEventFile(amsi, [defenderEvent(1116, { "Threat Name": "Trojan:Win32/X", "Source Name": "Real-Time Protection" })], "no-match").passed);
  // ASR lsass access: the exclusion of svchost only applies when `Process Name` is read as ProcessName.
  const lsass = load("win_defender_asr_lsass_access.yml");
  const access = (proc: string) => defenderEvent(1121, { Path: "C:\\Windows\\System32\\lsass.exe", "Process Name": proc });
  assert.ok(testEventFile(lsass, [access("C:\\Windows\\System32\\svchost.exe")], "no-match").passed);
  assert.ok(testEventFile(lsass, [access("C:\\Users\\x\\mimikatz.exe")], "match").passed);
});
defender.run();
