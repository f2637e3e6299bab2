/** Config parsing (errors with line and column) and settings precedence, in-process. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig, type RulecastConfig } from "../../src/config/config-file.js";
import { resolveSettings } from "../../src/config/settings.js";
import { BUILTIN_CONFIG as declared, BUILTIN_SETTINGS as settingsOf } from "../helpers/declarations.js";

test("a valid config becomes plain data", () => {
  const r = parseConfig("c.yaml", "targets: splunk, elastic\nschedule:\n  high: { interval: 5m, from: now-6m }\nmappings:\n  sigma-splunk: { Image: process_path }\nsplunk:\n  app: soc\n", declared);
  assert.ok("config" in r);
  if ("config" in r) {
    assert.equal(r.config.values, { targets: ["splunk", "elastic"], splunkApp: "soc" });
    assert.equal(r.config.schedule, { high: { interval: "5m", from: "now-6m" } });
    assert.equal(r.config.mappings, { "sigma-splunk": { Image: "process_path" } });
  }
});

test("problems carry the file, line and column of the key or value", () => {
  const cases: [string, string][] = [
    ["out: x\ncolour: red\n", "c.yaml:2:1 unknown key `colour`"],
    ["schedule:\n  low: { interval: soon }\n", "c.yaml:2:20 schedule.low.interval: `soon` is not a duration"],
    ["unmapped: ignore\n", "c.yaml:1:11 unmapped: must be one of error, warning, keep, skip"],
    ["targets: [a\n", "c.yaml:2:1 "],
    ["splunk:\n  app: 9 bad\n", "c.yaml:2:8 splunk.app: `9 bad` is not a Splunk app name"],
    ["splunk:\n  colour: red\n", "c.yaml:2:3 splunk.colour: unknown key `colour` (known: app, index, app_version, taxonomy, alert, data_sources, cim_fields, lag)"],
    ["elastic_language: sql\n", "c.yaml:1:19 elastic_language: must be one of eql, kuery, lucene"],
  ];
  for (const [text, want] of cases) {
    const r = parseConfig("c.yaml", text, declared);
    assert.ok("error" in r, text);
    if ("error" in r) assert.ok(`${r.error.file}:${r.error.line}:${r.error.col} ${r.error.message}`.startsWith(want.replace(/^(\S+) unknown/, "$1 colour: unknown")), `${JSON.stringify(r.error)} vs ${want}`);
  }
});

test("flag > env > config > built-in; config paths are relative to the config's folder", () => {
  const cfg: RulecastConfig = { values: { targets: ["sigma"], out: "build", unmapped: "warning" } };
  const at = (values: object, env: Record<string, string>) => resolveSettings({ values: values as Record<string, string> }, env, cfg, "/repo/rulecast.config.yaml", "/repo/docs", settingsOf);
  const s = (r: ReturnType<typeof at>) => {
    if ("error" in r) throw new Error(r.error);
    return r.settings;
  };
  assert.equal(s(at({}, {})).targets, ["sigma"]);
  assert.is(s(at({}, {})).out, "/repo/build", "outside the working directory: absolute");
  assert.is(s(resolveSettings({}, {}, cfg, "/repo/rulecast.config.yaml", "/repo", settingsOf)).out, "build");
  assert.equal(s(at({}, { RULECAST_TO: "splunk" })).targets, ["splunk"]);
  assert.equal(s(at({ targets: ["elastic"] }, { RULECAST_TO: "splunk" })).targets, ["elastic"]);
  assert.is(s(at({}, {})).unmapped, "warning");
  assert.is(s(at({ unmapped: "error" }, {})).unmapped, "error");
  assert.is(s(resolveSettings({}, {}, undefined, undefined, "/x", settingsOf)).failOn, "error");
  assert.equal(s(resolveSettings({}, {}, undefined, undefined, "/x", settingsOf)).targets, ["sigma", "splunk", "elastic"], "every target by default");
  // Every setting reads its RULECAST_* variable, a target's own as well as the core ones.
  assert.is(s(at({}, { RULECAST_SIGMA_TAXONOMY: "ecs" })).options["sigmaTaxonomy"], "ecs");
  assert.is(s(at({}, {})).options["sigmaTaxonomy"], "auto");
  const badApp = at({ splunkApp: "9 bad" }, {});
  assert.ok("error" in badApp && /^--splunk-app: `9 bad` is not a Splunk app name/.test(badApp.error));
  const bad = at({}, { RULECAST_FAIL_ON: "never" });
  assert.ok("error" in bad && /RULECAST_FAIL_ON must be one of warning, error/.test(bad.error));
});

test.run();
