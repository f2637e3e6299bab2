/** Config parsing (errors with line and column) and settings precedence, in-process. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../../src/config/config-file.js";
import { resolveSettings } from "../../src/config/settings.js";

test("a valid config becomes plain data", () => {
  const r = parseConfig("c.yaml", "targets: splunk, elastic\nschedule:\n  high: { interval: 5m, from: now-6m }\nmappings:\n  sigma-splunk: { Image: process_path }\n");
  assert.ok("config" in r);
  if ("config" in r) {
    assert.equal(r.config.targets, ["splunk", "elastic"]);
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
  ];
  for (const [text, want] of cases) {
    const r = parseConfig("c.yaml", text);
    assert.ok("error" in r, text);
    if ("error" in r) assert.ok(`${r.error.file}:${r.error.line}:${r.error.col} ${r.error.message}`.startsWith(want.replace(/^(\S+) unknown/, "$1 colour: unknown")), `${JSON.stringify(r.error)} vs ${want}`);
  }
});

test("flag > env > config > built-in; config paths are relative to the config's folder", () => {
  const cfg = { targets: ["sigma"], out: "build", unmapped: "warning" as const };
  const at = (flags: object, env: Record<string, string>) => resolveSettings(flags, env, cfg, "/repo/rulecast.config.yaml", "/repo/docs");
  const s = (r: ReturnType<typeof at>) => {
    if ("error" in r) throw new Error(r.error);
    return r.settings;
  };
  assert.equal(s(at({}, {})).targets, ["sigma"]);
  assert.is(s(at({}, {})).out, "/repo/build", "outside the working directory: absolute");
  assert.is(s(resolveSettings({}, {}, cfg, "/repo/rulecast.config.yaml", "/repo")).out, "build");
  assert.equal(s(at({}, { RULECAST_TO: "splunk" })).targets, ["splunk"]);
  assert.equal(s(at({ to: ["elastic"] }, { RULECAST_TO: "splunk" })).targets, ["elastic"]);
  assert.is(s(at({}, {})).unmapped, "warning");
  assert.is(s(at({ unmapped: "error" }, {})).unmapped, "error");
  assert.is(s(resolveSettings({}, {}, undefined, undefined, "/x")).failOn, "error");
  const bad = at({}, { RULECAST_FAIL_ON: "never" });
  assert.ok("error" in bad && /RULECAST_FAIL_ON must be one of warning, error/.test(bad.error));
});

test.run();
