/**
 * `rulecast convert` as a subprocess: bad input gives one line per problem with file:line:col,
 * exit 1, nothing written without --skip-errors; usage errors exit 2 without a stack trace.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

const good = seed;
const badYaml = "rule_id: x\nname: [unclosed\n";
const missing = seed.replace(/^risk_score: 21\n/m, "");
const unknown = seed.replace(/^severity: low$/m, "severity: low\nseverity_level: 3").replace("610949a1-312f-4e04-bb55-3a79b8c95267", "0000aaaa-312f-4e04-bb55-3a79b8c95267");
const badQuery = seed
  .replace(/^query: >-\n(  .*\n)+/m, "query: event.category:network and (process.name:x or\n")
  .replace("610949a1-312f-4e04-bb55-3a79b8c95267", "1111aaaa-312f-4e04-bb55-3a79b8c95267");

test("numeric KQL ranges convert to Sigma as numbers (issue 17, item 2)", () => {
  const ranged = seed.replace(/^query: >-\n(  .*\n)+/m, "query: network.packets <= 2 and destination.port >= 5800 and destination.port <= 5810\n");
  const dir = tempTree({ "rules/a.yaml": ranged });
  const r = rulecast(["convert", "rules", "--to", "sigma", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const [file] = readdirSync(join(dir, "out/sigma"));
  const yaml = readFileSync(join(dir, "out/sigma", file!), "utf8");
  assert.match(yaml, /network\.packets\|lte: 2\n/);
  assert.match(yaml, /destination\.port\|gte: 5800\n/);
  assert.match(yaml, /destination\.port\|lte: 5810\n/);
});

test("an unmapped field points at the field in the query, not at the query's start (issue 17, item 5)", () => {
  const typo = seed.replace(/^query: >-\n/m, "query: >-\n  process.parent.name:cmd.exe and\n  proces.name:x and\n");
  const queryLine = seed.split("\n").indexOf("query: >-") + 1;
  const dir = tempTree({ "rules/a.yaml": typo });
  const r = rulecast(["convert", "rules", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 1, r.stderr);
  // The query starts on the line after `query: >-`; the typo is on its second line, in column 3.
  assert.match(r.stderr, `rules/a.yaml:${queryLine + 2}:3: error mapping/unmapped-field: splunk: field \`proces.name\``);
});

test("a clean run exits 0 and writes every target", () => {
  const dir = tempTree({ "rules/a.yaml": good });
  const r = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped/);
  assert.equal(readdirSync(join(dir, "out")).sort(), [".rulecast-manifest.json", "elastic", "sigma", "splunk"]);
  assert.ok(existsSync(join(dir, "out/elastic/rules.ndjson")));
});

test("reruns are byte-identical", () => {
  const dir = tempTree({ "rules/a.yaml": good });
  rulecast(["convert", "rules", "--out", "out"], dir);
  const first = readFileSync(join(dir, "out/splunk/savedsearches.conf"), "utf8");
  rulecast(["convert", "rules", "--out", "out"], dir);
  assert.is(readFileSync(join(dir, "out/splunk/savedsearches.conf"), "utf8"), first);
  const r = rulecast(["convert", "rules", "--out", "out", "--check"], dir);
  assert.is(r.code, 0);
});

test("bad input: one line per problem naming file, line and column; exit 1; nothing written", () => {
  const dir = tempTree({ "rules/a_good.yaml": good, "rules/b_yaml.yaml": badYaml, "rules/c_missing.yaml": missing, "rules/d_unknown.yaml": unknown, "rules/e_query.yaml": badQuery });
  const r = rulecast(["convert", "rules", "--out", "out"], dir);
  assert.is(r.code, 1);
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines.some((l) => /^rules\/b_yaml\.yaml:3:1: error rule\/yaml-syntax: /.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^rules\/c_missing\.yaml:2:1: error rule\/missing-field: required field `risk_score` is missing/.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^rules\/d_unknown\.yaml:14:1: error rule\/unknown-field: unknown field `severity_level`/.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^rules\/e_query\.yaml:\d+:\d+: error kql\//.test(l)), r.stderr);
  assert.ok(!r.stderr.includes("    at "), "no stack trace");
  assert.match(r.stderr, /1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped; 4 files failed to load/);
  assert.not.ok(existsSync(join(dir, "out")), "nothing is written without --skip-errors");
});

test("--skip-errors writes the rules that converted and still exits 1", () => {
  const dir = tempTree({ "rules/a_good.yaml": good, "rules/b_yaml.yaml": badYaml });
  const r = rulecast(["convert", "rules", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1);
  assert.ok(existsSync(join(dir, "out/sigma/unusual_process_network_connection.yml")));
});

test("the query error points into the rule file", () => {
  const dir = tempTree({ "rules/e_query.yaml": badQuery });
  const r = rulecast(["convert", "rules", "--out", "out"], dir);
  const line = r.stderr.split("\n").find((l) => l.includes("error kql/")) ?? "";
  const m = /^rules\/e_query\.yaml:(\d+):(\d+):/.exec(line);
  assert.ok(m, r.stderr);
  const fileLine = badQuery.split("\n")[Number(m[1]) - 1] ?? "";
  assert.is(fileLine.slice(Number(m[2]) - 1, Number(m[2])), "(", `column points at the unclosed \`(\`: ${line}`);
});

test("usage errors exit 2 and name the command that lists valid values", () => {
  const dir = tempTree({ "rules/a.yaml": good });
  const r = rulecast(["convert", "rules", "--to", "qradar"], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown target `qradar`; run `rulecast list targets`/);
  const missingPath = rulecast(["convert", "nope"], dir);
  assert.is(missingPath.code, 2);
  assert.match(missingPath.stderr, /no such file or directory/);
  assert.is(rulecast(["frobnicate"], dir).code, 2);
});

test("rulecast test: samples pass for the seed rules; a wrong expectation fails with exit 1", () => {
  const ok = rulecast(["test", "rules"], process.cwd());
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /PASS PsExec Network Connection/);
  const dir = tempTree({
    "rule.yaml": good,
    "events.json": JSON.stringify([{ event: { category: "network", type: "connection" }, process: { name: "notepad.exe" } }]),
  });
  const r = rulecast(["test", "rule.yaml", "--events", "events.json", "--expect", "match", "--per-event"], dir);
  assert.is(r.code, 1);
  assert.match(r.stdout, /event\[0\]: did not match/);
  const n = rulecast(["test", "rule.yaml", "--events", "events.json", "--expect", "no-match"], dir);
  assert.is(n.code, 0, n.stdout);
});

test("rulecast test: a threshold rule fires only when a group reaches the threshold; verdict and event facts agree (issue 17, item 1)", () => {
  const threshold = good.replace(/^type: query$/m, "type: threshold\nthreshold:\n  field: [host.name]\n  value: 5").replace("610949a1-312f-4e04-bb55-3a79b8c95267", "2222aaaa-312f-4e04-bb55-3a79b8c95267");
  assert.match(threshold, /value: 5/);
  const hit = (host: string) => ({ event: { category: "network", type: "connection" }, process: { name: "cmstp.exe" }, host: { name: host } });
  const dir = tempTree({
    "rule.yaml": threshold,
    "two.json": JSON.stringify([hit("a"), hit("a")]),
    "five.json": JSON.stringify([hit("a"), hit("b"), hit("a"), hit("a"), hit("a"), hit("a")]),
    "split.json": JSON.stringify([hit("a"), hit("b"), hit("a"), hit("b"), hit("a")]),
  });
  const two = rulecast(["test", "rule.yaml", "--events", "two.json", "--expect", "match", "--per-event"], dir);
  assert.is(two.code, 1, two.stdout + two.stderr);
  assert.match(two.stdout, /^FAIL .*: expected match; event \(stream of 2 events\) did not match$/m);
  assert.not.match(two.stdout, /\bok\b|as expected/);
  const five = rulecast(["test", "rule.yaml", "--events", "five.json", "--expect", "match"], dir);
  assert.is(five.code, 0, five.stdout + five.stderr);
  assert.match(five.stdout, /^PASS .*: expected match; event \(stream of 6 events\) matched$/m);
  // Five matching events, but no host has five of them.
  assert.is(rulecast(["test", "rule.yaml", "--events", "split.json", "--expect", "no-match"], dir).code, 0);
});

test("rulecast test: a cardinality threshold and a Sigma event_count correlation are judged as conditions (issue 17, item 1)", () => {
  const cardinality = good
    .replace(/^type: query$/m, "type: threshold\nthreshold:\n  field: [host.name]\n  value: 2\n  cardinality:\n    - field: user.name\n      value: 3")
    .replace("610949a1-312f-4e04-bb55-3a79b8c95267", "3333aaaa-312f-4e04-bb55-3a79b8c95267");
  const hit = (host: string, user: string) => ({ event: { category: "network", type: "connection" }, process: { name: "cmstp.exe" }, host: { name: host }, user: { name: user } });
  const correlation = [
    "title: Base", "name: base_rule", "id: 5f1d2c3a-2222-4e04-bb55-3a79b8c95261", "logsource: { product: windows, category: process_creation }",
    "detection:", "  sel:", "    Image|endswith: '\\cmd.exe'", "  condition: sel", "---",
    "title: Many cmd", "id: 5f1d2c3a-3333-4e04-bb55-3a79b8c95261", "correlation:", "  type: event_count", "  rules: [base_rule]", "  group-by: [User]", "  timespan: 1h", "  condition: { gte: 3 }", "",
  ].join("\n");
  const cmd = (minute: number, user: string) => ({ "@timestamp": `2024-01-01T00:0${minute}:00Z`, Image: "C:\\x\\cmd.exe", User: user });
  const dir = tempTree({
    "card.yaml": cardinality,
    // Four events from host a, but two users only; then three users on host a.
    "two-users.json": JSON.stringify([hit("a", "x"), hit("a", "x"), hit("a", "y"), hit("a", "x")]),
    "three-users.json": JSON.stringify([hit("a", "x"), hit("a", "y"), hit("b", "z"), hit("a", "z")]),
    "corr.yml": correlation,
    "split.json": JSON.stringify([cmd(0, "a"), cmd(1, "b"), cmd(2, "a")]),
    "three.json": JSON.stringify([cmd(0, "a"), cmd(1, "a"), cmd(2, "b"), cmd(3, "a")]),
  });
  const two = rulecast(["test", "card.yaml", "--events", "two-users.json", "--expect", "match"], dir);
  assert.is(two.code, 1, two.stdout + two.stderr);
  assert.match(two.stdout, /^FAIL .*: expected match; event \(stream of 4 events\) did not match$/m);
  assert.is(rulecast(["test", "card.yaml", "--events", "three-users.json", "--expect", "match"], dir).code, 0);
  const split = rulecast(["test", "corr.yml", "--events", "split.json", "--expect", "match"], dir);
  assert.is(split.code, 1, split.stdout + split.stderr);
  assert.match(split.stdout, /^PASS Base .*: expected match; 3 of 3 events matched$/m);
  assert.match(split.stdout, /^FAIL Many cmd .*: expected match; event \(stream of 3 events\) did not match$/m);
  const three = rulecast(["test", "corr.yml", "--events", "three.json", "--expect", "match"], dir);
  assert.is(three.code, 0, three.stdout + three.stderr);
  assert.match(three.stdout, /^PASS Many cmd .*: expected match; event \(stream of 4 events\) matched$/m);
});

test("rulecast test --events: a plain rule's verdict line and event lines cannot disagree", () => {
  const dir = tempTree({
    "rule.yaml": good,
    "events.json": JSON.stringify([{ event: { category: "network", type: "connection" }, process: { name: "notepad.exe" } }, { event: { category: "network", type: "connection" }, process: { name: "cmstp.exe" } }]),
  });
  const r = rulecast(["test", "rule.yaml", "--events", "events.json", "--expect", "match", "--per-event"], dir);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /^PASS .*: expected match; 1 of 2 events matched\n  event\[0\]: did not match\n  event\[1\]: matched\n/m);
});

test.run();
