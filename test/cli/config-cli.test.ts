/**
 * rulecast.config.yaml as a subprocess: found upward, precedence flags > RULECAST_* > config >
 * built-in, per-severity schedules, index patterns per log source, mapping overrides, bad config
 * exits 2 with its line.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

test("the config is found from a subfolder; its paths are relative to it", () => {
  const dir = tempTree({ "rulecast.config.yaml": "rules: [rules]\ntargets: [splunk]\nout: build\n", "rules/a.yaml": seed, "docs/.keep": "" });
  const r = rulecast(["convert"], join(dir, "docs"));
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(dir, "build")).sort(), [".rulecast-manifest.json", "splunk"]);
});

test("precedence: flag > RULECAST_* > config > built-in", () => {
  const dir = tempTree({ "rulecast.config.yaml": "targets: [sigma]\n", "rules/a.yaml": seed });
  const targets = (args: string[], env: Record<string, string> = {}) => {
    const out = rulecast(["convert", "rules", ...args], dir, { env }).stdout;
    return [...new Set([...out.matchAll(/^==> (\w+)\//gm)].map((m) => m[1]))];
  };
  assert.equal(targets([]), ["sigma"]);
  assert.equal(targets([], { RULECAST_TO: "splunk" }), ["splunk"]);
  assert.equal(targets(["--to", "elastic"], { RULECAST_TO: "splunk" }), ["elastic"]);
  const none = tempTree({ "rules/a.yaml": seed });
  assert.equal(rulecast(["convert", "rules"], none).stdout.match(/^==> (\w+)\//gm)?.map((l) => l.slice(4, -1)).filter((v, i, a) => a.indexOf(v) === i), ["sigma", "splunk", "elastic"]);
  const badEnv = rulecast(["convert", "rules"], dir, { env: { RULECAST_UNMAPPED: "ignore" } });
  assert.is(badEnv.code, 2);
  assert.match(badEnv.stderr, /RULECAST_UNMAPPED must be one of error, warning/);
});

test("a bad config exits 2 naming its file, line and column", () => {
  const dir = tempTree({ "rulecast.config.yaml": "targets: [sigma]\nsplunk:\n  app: x\n  color: red\n", "rules/a.yaml": seed });
  const r = rulecast(["convert", "rules"], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^rulecast: rulecast\.config\.yaml:4:3: error config\/invalid: splunk\.color: unknown key `color`/m);
  const syntax = rulecast(["check", "rules"], tempTree({ "rulecast.config.yaml": "targets: [sigma\n" }));
  assert.is(syntax.code, 2);
  assert.match(syntax.stderr, /config\/yaml-syntax/);
});

test("schedule defaults per severity apply where the rule file sets none; the rule's own keys win", () => {
  const config = "schedule:\n  low: { interval: 1h, from: now-65m }\n";
  const noSchedule = seed.replace(/^interval: 5m\n/m, "").replace(/^from: now-9m\n/m, "");
  const dir = tempTree({ "rulecast.config.yaml": config, "rules/a.yaml": noSchedule, "own/a.yaml": seed });
  const r = rulecast(["convert", "rules", "--to", "elastic", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, "out/elastic/unusual_process_network_connection.json"), "utf8"));
  assert.equal([json.interval, json.from], ["1h", "now-65m"]);
  rulecast(["convert", "own", "--to", "elastic", "--out", "own-out"], dir);
  const own = JSON.parse(readFileSync(join(dir, "own-out/elastic/unusual_process_network_connection.json"), "utf8"));
  assert.equal([own.interval, own.from], ["5m", "now-9m"]);
});

test("index patterns per log source and mapping overrides from the config", () => {
  const config = [
    "index_patterns:",
    "  - logsource: { product: windows }",
    "    index: [winlogbeat-*, logs-windows.sysmon_operational-*]",
    "mappings:",
    "  sigma-splunk: { Image: process_path }",
    "",
  ].join("\n");
  const dir = tempTree({ "rulecast.config.yaml": config, "rules/whoami.yml": SIGMA_RULE });
  const r = rulecast(["convert", "rules", "--to", "elastic,splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const rule = JSON.parse(readFileSync(join(dir, "out/elastic/whoami_execution.json"), "utf8"));
  assert.equal(rule.index, ["winlogbeat-*", "logs-windows.sysmon_operational-*"]);
  assert.match(readFileSync(join(dir, "out/splunk/whoami_execution.spl"), "utf8"), /process_path=/);
  assert.match(rulecast(["list", "fields", "--mapping", "sigma-splunk"], dir).stdout, /^Image\tprocess_path$/m);
  assert.not.ok(existsSync(join(dir, "out/sigma")));
});

test.run();
