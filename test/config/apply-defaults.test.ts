/**
 * Config defaults fill what a rule file leaves out; a look-back the config chooses is widened to
 * cover a sequence's or correlation's window, and one the file writes is the author's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyRuleDefaults, setsRuleDefaults } from "../../src/config/apply-defaults.js";
import type { Rule } from "../../src/ir/rule.js";

const rule = {
  id: "r1",
  severity: "high",
  index: [],
  schedule: { interval: { value: 5, unit: "m" }, from: "now-20m", to: "now" },
  query: { kind: "sequence", by: [], maxspan: { value: 15, unit: "m" }, steps: [] },
  source: { file: "r.yml", format: "sigma", line: 1 },
} as unknown as Rule;
const defaults = { schedule: { high: { interval: "10m", from: "now-11m" } }, indexPatterns: [] };

test("a config look-back shorter than the window plus the config interval is widened", () => {
  assert.equal(applyRuleDefaults(rule, defaults, new Set()).schedule, { interval: { value: 10, unit: "m" }, from: "now-25m", to: "now" });
});

test("a config look-back that already covers the window is kept", () => {
  const wide = { schedule: { high: { interval: "10m", from: "now-2h" } }, indexPatterns: [] };
  assert.is(applyRuleDefaults(rule, wide, new Set()).schedule.from, "now-2h");
});

test("a look-back the rule file writes is kept, whatever the window", () => {
  const own = { ...rule, schedule: { ...rule.schedule, from: "now-6m" } };
  assert.is(applyRuleDefaults(own, defaults, new Set(["from"])).schedule.from, "now-6m");
});

test("without config defaults the rule is unchanged", () => {
  assert.is(applyRuleDefaults(rule, { schedule: {}, indexPatterns: [] }, new Set()), rule);
});

test("defaults that set nothing are known as such, so readers skip them; any that set something are not", () => {
  const withSource = { ...rule, logsource: { product: "windows" } } as Rule;
  const none = [{ schedule: {}, indexPatterns: [] }, { schedule: { high: {}, low: { interval: "" } }, indexPatterns: [] }];
  for (const d of none) {
    assert.is(setsRuleDefaults(d), false);
    // What the skip relies on: such defaults change no rule.
    assert.is(applyRuleDefaults(withSource, d, new Set()), withSource);
  }
  const some = [defaults, { schedule: { low: { from: "now-1h" } }, indexPatterns: [] }, { schedule: {}, indexPatterns: [{ logsource: { product: "linux" }, index: ["x"] }] }];
  for (const d of some) assert.is(setsRuleDefaults(d), true);
});

test.run();
