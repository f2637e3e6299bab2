/**
 * A scheduled search finds a sequence or correlation only when all its events fall in one run's
 * look-back: the default look-back covers the window plus one interval, and a look-back shorter
 * than the window is reported by both Splunk and Elastic.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { durationMs, lookbackMs } from "../../src/ir/duration.js";
import { coveringSchedule, matchWindow, windowBeyondLookback } from "../../src/ir/match-window.js";
import type { Duration, Query } from "../../src/ir/query.js";
import type { Schedule } from "../../src/ir/rule.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const sequence = (maxspan?: Duration): Query => ({ kind: "sequence", by: ["user.name"], ...(maxspan ? { maxspan } : {}), steps: [] });
const every5m = (from: string): Schedule => ({ interval: { value: 5, unit: "m" }, from, to: "now" });

test("the default look-back grows to the window plus one interval, and only grows", () => {
  assert.is(coveringSchedule(every5m("now-6m"), sequence({ value: 15, unit: "m" })).from, "now-20m");
  assert.is(coveringSchedule(every5m("now-1h"), sequence({ value: 15, unit: "m" })).from, "now-1h");
  assert.is(coveringSchedule(every5m("now-6m"), sequence()).from, "now-6m", "no maxspan: no window");
  assert.is(coveringSchedule(every5m("now-6m"), { kind: "all" }).from, "now-6m");
  assert.is(coveringSchedule(every5m("now-6m"), sequence({ value: 61500, unit: "ms" })).from, "now-362s", "whole seconds");
  assert.is(coveringSchedule({ ...every5m("now-6m"), to: "now-1m" }, sequence({ value: 15, unit: "m" })).from, "now-6m", "a window rulecast does not measure is kept");
});

test("law: the covering look-back holds window + interval, never shrinks, and is a fixed point", () => {
  const unit = fc.constantFrom<Duration["unit"]>("s", "m", "h");
  const duration = fc.record({ value: fc.integer({ min: 1, max: 90 }), unit });
  fc.assert(
    fc.property(duration, duration, duration, (window, interval, look) => {
      const before: Schedule = { interval, from: `now-${look.value}${look.unit}`, to: "now" };
      const after = coveringSchedule(before, sequence(window));
      const ms = lookbackMs(after.from, after.to)!;
      assert.ok(ms >= durationMs(window) + durationMs(interval));
      assert.ok(ms >= durationMs(look));
      assert.equal(coveringSchedule(after, sequence(window)), after);
      assert.is(windowBeyondLookback(after, sequence(window)), undefined);
    }),
    { seed: 20261125, numRuns: 500 },
  );
});

test("matchWindow reads correlations and sequences, through pipes", () => {
  const span: Duration = { value: 9, unit: "m" };
  assert.equal(matchWindow({ kind: "pipe", input: sequence(span), pipes: [{ name: "head", count: 1 }] }), span);
  assert.equal(matchWindow({ kind: "correlation", type: "event_count", rules: [], groupBy: [], timespan: span, condition: [] }), span);
});

test("a rule file whose look-back is shorter than its maxspan: Elastic warns; Splunk's snapped window covers it", () => {
  const text = readFileSync("rules/psexec_network_connection.yaml", "utf8")
    .replace("sequence by process.entity_id\n", "sequence by process.entity_id with maxspan=30m\n");
  assert.match(text, /from: now-9m/);
  const read = readRules([{ path: "rules/short.yaml", text }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  const r = convertRules(read.rules, ["splunk", "elastic"], testContext());
  const codes = r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code);
  assert.not.ok(codes.includes("splunk/lookback-shorter-than-window"), codes.join());
  assert.ok(codes.includes("elastic/lookback-shorter-than-window"), codes.join());
  // Splunk looks back interval 5m + maxspan 30m + ingestion lag 10m (splunk-schedule.ts).
  assert.match(r.files.find((f) => f.path === "savedsearches.conf")!.content, "dispatch.earliest_time = -45m@m\ndispatch.latest_time = -10m@m");
  const message = r.diagnostics.find((d) => d.code === "elastic/lookback-shorter-than-window")!.message;
  assert.match(message, "from: now-35m");
  // The rule file's own look-back is kept: it is the author's choice, and the warning names the fix.
  assert.match(r.files.find((f) => f.path.endsWith(".json"))!.content, /"from": "now-9m"/);
});

test("Sigma correlations get a look-back that covers their timespan in both targets", () => {
  const r = convertRules(readRules([{ path: "test/golden/cases/sigma_correlations.yml", text: readFileSync("test/golden/cases/sigma_correlations.yml", "utf8") }]).rules, ["splunk", "elastic"], testContext());
  assert.not.ok(r.diagnostics.some((d) => d.code.endsWith("/lookback-shorter-than-window")));
  const conf = r.files.find((f) => f.path === "savedsearches.conf")!.content;
  const earliest = [...conf.matchAll(/^\[(.*)\]$|^dispatch\.earliest_time = (.*)$/gm)].map((m) => m[1] ?? m[2]);
  // Splunk: interval 5m + the correlation's timespan + ingestion lag 10m, snapped to minutes.
  assert.equal(earliest, ["Brute force against one account", "-20m@m", "Password spraying from one address", "-75m@m", "Failed then successful logon", "-30m@m", "Rarely used account", "-75m@m", "Many failed logon sessions per account", "-25m@m"]);
});

test.run();
