/**
 * An ES|QL rule through `rulecast convert` (issue 18, item 6): what the IR holds reaches Sigma and
 * Splunk (FROM's index patterns, the look-back as a correlation's timespan, said), a command it
 * cannot hold is refused by name at its line and column, a query that is not ES|QL is one line
 * with file, line and column, and Elastic writes the query exactly as written.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { rulecast, tempTree } from "../helpers/cli.js";

/** A rulecast rule file whose query (a literal block from line 13) is `query`. */
const ruleFile = (id: string, query: string, name = "Many failed logons") =>
  [
    `rule_id: ${id}`,
    `name: ${name}`,
    "description: One user fails to log on many times.",
    "type: esql",
    "language: esql",
    "severity: medium",
    "risk_score: 47",
    "interval: 5m",
    "from: now-10m",
    "max_signals: 100",
    "version: 1",
    "author: [rulecast]",
    "query: |",
    ...query.split("\n").map((l) => `  ${l}`),
    "",
  ].join("\n");

const COUNTED = `FROM logs-system.security-*
| WHERE event.code == "4625" AND winlog.event_data.TargetUserName IS NOT NULL
| STATS Esql.event_count = COUNT(*) BY winlog.event_data.TargetUserName
| WHERE Esql.event_count >= 20`;

const PLAIN = `FROM logs-endpoint.events.process-*
| WHERE process.name == "whoami.exe" AND process.parent.name == "cmd.exe"`;

const GROKKED = `FROM logs-system.security-*
| WHERE event.code == "4625"
| GROK message "%{WORD:Esql.account}"
| WHERE Esql.account == "admin"`;

const BROKEN = `FROM logs-*
| WHERE process.name == "a" AND AND x`;

function writeRule(dir: string, path: string, query: string): string {
  writeFileSync(join(dir, path), ruleFile("1d7b5f3e-0000-4000-8000-000000000001", query));
  return dir;
}

test("an ES|QL aggregation converts to a Sigma correlation and a Splunk search over the look-back, said once", () => {
  const dir = tempTree({ "rules/counted.yaml": ruleFile("1d7b5f3e-0000-4000-8000-000000000001", COUNTED), "rules/plain.yaml": ruleFile("1d7b5f3e-0000-4000-8000-000000000002", PLAIN, "Whoami from cmd") });
  const r = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /2 rules: 2 converted to every target/);
  // Line 16 is `| STATS …` (the query block starts at line 14, column 3).
  const look = r.stderr.split("\n").filter((l) => l.includes("esql/lookback-window"));
  assert.equal(look.length, 1, r.stderr);
  assert.match(look[0]!, /^rules\/counted\.yaml:16:5: warning esql\/lookback-window: .*look-back \(now-10m, every 5m\); written as a 10m correlation timespan/);

  // `winlog.event_data.TargetUserName IS NOT NULL` leaves out ES|QL's NULL group, which a correlation never has.
  assert.not.match(r.stderr, /esql\/null-group/);
  const keyless = rulecast(["convert", "rules/counted.yaml", "--to", "sigma", "--out", "out2"], writeRule(dir, "rules/counted.yaml", COUNTED.replace(" AND winlog.event_data.TargetUserName IS NOT NULL", "")));
  assert.match(keyless.stderr, /^rules\/counted\.yaml:16:5: warning esql\/null-group: .*without `winlog\.event_data\.TargetUserName` as one group/m);

  const docs = readFileSync(join(dir, "out/sigma/many_failed_logons.yml"), "utf8").split(/^---$/m).map((d) => parseYaml(d) as Record<string, unknown>);
  const correlation = docs.find((d) => d["correlation"] !== undefined)!["correlation"] as Record<string, unknown>;
  assert.equal({ type: correlation["type"], timespan: correlation["timespan"], condition: correlation["condition"] }, { type: "event_count", timespan: "10m", condition: { gte: 20 } });
  const spl = readFileSync(join(dir, "out/splunk/many_failed_logons.spl"), "utf8");
  assert.match(spl, /count/);
  assert.match(spl, /20/);

  const plainSigma = readFileSync(join(dir, "out/sigma/whoami_from_cmd.yml"), "utf8");
  assert.match(plainSigma, /whoami\.exe/);
  // What was written reads back: `convert` of the Sigma output converts again.
  const back = rulecast(["convert", "out/sigma", "--to", "sigma", "--out", "again"], dir);
  assert.is(back.code, 0, back.stderr);
});

test("the Elastic rule keeps the ES|QL query byte for byte, with no index beside FROM", () => {
  const dir = tempTree({ "rules/counted.yaml": ruleFile("1d7b5f3e-0000-4000-8000-000000000003", COUNTED) });
  const r = rulecast(["convert", "rules", "--to", "elastic", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const rule = JSON.parse(readFileSync(join(dir, "out/elastic/many_failed_logons.json"), "utf8")) as Record<string, unknown>;
  assert.is(rule["type"], "esql");
  assert.is(rule["language"], "esql");
  assert.is(rule["query"], `${COUNTED}\n`);
  assert.is(rule["index"], undefined);
});

test("a command the IR cannot hold is refused for Sigma and Splunk by name, at its line and column; Elastic still converts", () => {
  const dir = tempTree({ "rules/grok.yaml": ruleFile("1d7b5f3e-0000-4000-8000-000000000004", GROKKED) });
  const r = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  // `| GROK …` is the query's third line: file line 16, and the command name at column 5 (after `| `).
  const lines = r.stderr.split("\n").filter((l) => l.includes("error esql/"));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^rules\/grok\.yaml:16:5: error esql\/unsupported-command: GROK .*\[rule 1d7b5f3e-0000-4000-8000-000000000004\]/);
  assert.not.match(r.stderr, /opaque/);
  assert.match(r.stdout + r.stderr, /sigma 0, splunk 0, elastic 1/);
  const rule = JSON.parse(readFileSync(join(dir, "out/elastic/many_failed_logons.json"), "utf8")) as Record<string, unknown>;
  assert.is(rule["query"], `${GROKKED}\n`);
});

test("a query that is not ES|QL is one line with file, line and column, and no target writes the rule", () => {
  const dir = tempTree({ "rules/broken.yaml": ruleFile("1d7b5f3e-0000-4000-8000-000000000005", BROKEN) });
  const r = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], dir);
  assert.is(r.code, 1, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => / error /.test(l));
  assert.equal(lines.length, 1, r.stderr);
  // Line 15, column 3 + the offset of the second AND in `| WHERE process.name == "a" AND AND x`.
  assert.match(lines[0]!, new RegExp(`^rules/broken\\.yaml:15:${3 + "| WHERE process.name == \"a\" AND ".length}: error esql/`));
  assert.not.match(r.stderr, /\n\s+at /); // no stack trace
});

test.run();
