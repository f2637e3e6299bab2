/**
 * Schedules and windows: an interval, a look-back (`from: now-…`), an EQL maxspan or a Sigma
 * timespan that is zero, not a whole number, longer than a year or too long for a number to hold
 * exactly is refused where it is read, with its position. Before, `interval: 0m` became cron
 * `*\/0` and a 20-digit interval came out as another number.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parseConfig } from "../../src/config/config-file.js";
import { BUILTIN_CONFIG } from "../helpers/declarations.js";
import { checkDuration, checkLookback, MAX_DURATION_MS, readDuration } from "../../src/ir/duration.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";

const NATIVE = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");
const NATIVE_EQL = readFileSync("rules/psexec_network_connection.yaml", "utf8");
const KIBANA = JSON.stringify(JSON.parse(readFileSync("out/elastic/psexec_network_connection.json", "utf8")), null, 2);
const TOML = `[rule]
author = ["Elastic"]
description = "d"
from = "now-9m"
interval = "5m"
index = ["logs-*"]
language = "kuery"
name = "Test Rule"
risk_score = 47
rule_id = "00000000-1111-2222-3333-444444444444"
severity = "medium"
type = "query"
query = 'process.name:cmd.exe'
`;

/** Values no schedule or window may take: zero, padded zero, past a year, past 2^53, not whole. */
const BAD = ["0m", "00s", "0d", "367d", "8785h", "527041m", "31622401s", "31622400001ms", "99999999999999999999m", "9007199254740993s", "123456789012345678901234567890d"];
const GOOD: readonly [string, number][] = [["1ms", 1], ["1m", 60_000], ["5m", 300_000], ["366d", MAX_DURATION_MS], ["8784h", MAX_DURATION_MS], ["0001m", 60_000]];

function errors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i).split("\n").length;
}

/** One error with that code, on the line that holds `needle`; no rule read. */
function refusedOn(path: string, text: string, code: string, needle: string, message?: RegExp): void {
  const r = readRules([{ path, text }]);
  const es = errors(r.diagnostics);
  assert.is(es.length, 1, `${path} ${needle}: ${es.map(formatDiagnostic).join("\n") || "no error"}`);
  assert.is(es[0]!.code, code, formatDiagnostic(es[0]!));
  assert.is(es[0]!.line, lineOf(text, needle), formatDiagnostic(es[0]!));
  if (message) assert.match(es[0]!.message, message);
  assert.is(r.rules.length, 0);
}

test("durations: zero, past a year and past 2^53 are refused with the reason; whole units up to a year are kept as written", () => {
  for (const bad of BAD) {
    const r = readDuration(bad);
    assert.ok(!r.ok, bad);
    if (!r.ok) assert.match(r.problem, /is zero|longer than a year/, bad);
  }
  for (const [good, ms] of GOOD) {
    const r = readDuration(good);
    assert.ok(r.ok, good);
    if (r.ok) assert.is(r.duration.value * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[r.duration.unit], ms, good);
  }
  for (const form of ["5", "m", "-5m", "+5m", "1.5m", "5 m", "5M", "1w", "1e3s", ""]) assert.ok(!readDuration(form).ok, form);
  assert.ok(!checkDuration("1.5", "s").ok && !checkDuration("1e3", "s").ok && !checkDuration("-1", "s").ok);
  assert.is(checkLookback("now-0m"), "`0m` is zero: nothing would run or be searched");
  assert.match(checkLookback("now-99999999999999999999m") ?? "", /longer than a year/);
  assert.is(checkLookback("now-9m"), undefined);
  assert.is(checkLookback("now-1h/h"), undefined, "date math rulecast does not model passes");
});

test("rule files: interval and from past a year or 20 digits long are refused on their line (the schema stops zero)", () => {
  for (const bad of BAD) {
    const interval = NATIVE.replace("interval: 10m", `interval: ${bad}`);
    refusedOn("r.yml", interval, "rule/invalid-value", `interval: ${bad}`);
    const from = NATIVE.replace("from: now-15m", `from: now-${bad}`);
    if (/^0+[a-z]+$/.test(bad) || bad.endsWith("ms")) continue; // the schema's pattern refuses these already
    refusedOn("r.yml", from, "rule/invalid-value", `from: now-${bad}`);
  }
});

test("Kibana JSON, ndjson and TOML: interval and from refused on their line", () => {
  for (const bad of BAD) {
    const json = KIBANA.replace('"interval": "5m"', `"interval": "${bad}"`);
    refusedOn("r.json", json, "elastic/invalid-value", '"interval"', new RegExp(`\`interval\` must be a duration such as \`5m\`: \`${bad}\``));
    if (!bad.endsWith("ms")) {
      const from = KIBANA.replace('"from": "now-9m"', `"from": "now-${bad}"`);
      refusedOn("r.json", from, "elastic/invalid-value", '"from"', /`from` must look back a duration/);
    }
    const toml = TOML.replace('interval = "5m"', `interval = "${bad}"`);
    refusedOn("r.toml", toml, "elastic/invalid-value", "interval =");
    const line = `${JSON.stringify(JSON.parse(KIBANA))}\n${JSON.stringify({ ...JSON.parse(KIBANA), rule_id: "x2", interval: bad })}\n`;
    const nd = readRules([{ path: "e.ndjson", text: line }]);
    assert.equal(errors(nd.diagnostics).map((d) => `${d.line} ${d.code}`), ["2 elastic/invalid-value"], bad);
    assert.is(nd.rules.length, 1, "the other rule of the export still reads");
  }
});

test("EQL maxspan: zero, fractions, past a year or 2^53 are refused at the number, in the file", () => {
  for (const bad of ["0s", "00ms", "1.5s", "1e3s", "367d", "99999999999999999999m"]) {
    const text = NATIVE_EQL.replace("sequence by process.entity_id", `sequence by process.entity_id with maxspan=${bad}`);
    assert.is.not(text, NATIVE_EQL);
    refusedOn("r.yml", text, "eql/bad-maxspan", "with maxspan=");
    const json = KIBANA.replace("sequence by process.entity_id", `sequence by process.entity_id with maxspan=${bad}`);
    refusedOn("r.json", json, "eql/bad-maxspan", '"query"');
  }
  const ok = readRules([{ path: "r.yml", text: NATIVE_EQL.replace("sequence by process.entity_id", "sequence by process.entity_id with maxspan=366d") }]);
  assert.equal(errors(ok.diagnostics).map(formatDiagnostic), []);
});

test("Sigma correlation timespan: zero, past a year or 20 digits are refused on its line", () => {
  const base = SIGMA_RULE.replace("title: Whoami Execution", "title: Whoami Execution\nname: whoami");
  for (const bad of ["0s", "000m", "367d", "99999999999999999999h"]) {
    const text = `${base}---\ntitle: Many\nid: 6e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5d\ncorrelation:\n  type: event_count\n  rules: [whoami]\n  group-by: [User]\n  timespan: ${bad}\n  condition: {gte: 3}\n`;
    const r = readRules([{ path: "c.yml", text }]);
    const es = errors(r.diagnostics);
    assert.equal(es.map((d) => `${d.line} ${d.code}`), [`${lineOf(text, "timespan:")} sigma/invalid-correlation`], `${bad}: ${es.map(formatDiagnostic).join("\n")}`);
    assert.match(es[0]!.message, /is zero|longer than a year/);
    assert.equal(r.rules.map((x) => x.name), ["Whoami Execution"]);
  }
});

test("config schedules: zero, past a year or 20 digits are config errors at the value", () => {
  for (const bad of BAD) {
    const text = `schedule:\n  high:\n    interval: ${bad}\n`;
    const r = parseConfig("c.yaml", text, BUILTIN_CONFIG);
    assert.ok("error" in r && r.error.line === 3 && r.error.col === 15 && /schedule\.high\.interval: /.test(r.error.message), `${bad}: ${JSON.stringify(r)}`);
    if (bad.endsWith("ms")) continue;
    const from = parseConfig("c.yaml", `schedule:\n  low: {from: now-${bad}}\n`, BUILTIN_CONFIG);
    assert.ok("error" in from && from.error.line === 2 && /schedule\.low\.from: .*(zero|longer than a year)/.test(from.error.message), `${bad}: ${JSON.stringify(from)}`);
  }
  const dir = tempTree({ "rulecast.config.yaml": "schedule:\n  low: {interval: 0m}\n", "rules/a.yml": SIGMA_RULE });
  const r = rulecast(["convert", "rules", "--to", "splunk"], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^rulecast: rulecast\.config\.yaml:2:19: error config\/invalid: schedule\.low\.interval: `0m` is zero/m);
  assert.not.match(r.stderr, /internal error/);
});

test("what reads converts exactly: no cron step of 0, no rewritten number, the longest interval kept as written", () => {
  // Start minutes and hours are spread per rule (splunk-schedule.ts); the step is the interval as written.
  for (const [interval, cron] of [["5m", /^\d+-59\/5 \* \* \* \*$/], ["366d", /^\d+ \d+ \*\/366 \* \*$/], ["8784h", /^\d+ \d+ \*\/366 \* \*$/], ["59m", /^\d+-59\/59 \* \* \* \*$/]] as const) {
    const read = readRules([{ path: "r.json", text: KIBANA.replace('"interval": "5m"', `"interval": "${interval}"`) }]);
    assert.equal(errors(read.diagnostics).map(formatDiagnostic), []);
    const out = convertRules(read.rules, ["splunk", "elastic"], testContext());
    const conf = out.files.find((f) => f.path === "savedsearches.conf")!.content;
    assert.match(/^cron_schedule = (.*)$/m.exec(conf)?.[1] ?? "", cron, interval);
    assert.is(JSON.parse(out.files.find((f) => f.path.endsWith(".json"))!.content).interval, interval);
  }
  // Through the CLI, the two examples of the report end as one positioned error each.
  for (const bad of ["0m", "99999999999999999999m"]) {
    const dir = tempTree({ "r.json": KIBANA.replace('"interval": "5m"', `"interval": "${bad}"`) });
    const r = rulecast(["convert", "r.json", "--to", "splunk"], dir);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^r\\.json:${lineOf(KIBANA, '"interval"')}:3: error elastic/invalid-value: \`interval\` must be a duration`, "m"));
    assert.not.match(r.stdout, /cron_schedule|\*\/0|e\+/);
  }
});

test.run();
