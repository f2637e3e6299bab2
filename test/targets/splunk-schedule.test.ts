import { test } from "uvu";
import * as assert from "uvu/assert";
import { splunkSchedule, windowJoins } from "../../src/targets/splunk/splunk-schedule.js";

const m = (value: number) => ({ value, unit: "m" as const });
const h = (value: number) => ({ value, unit: "h" as const });

test("hourly with a 10m lag: ESCU's -70m@m .. -10m@m, at a minute taken from the rule id", () => {
  const s = splunkSchedule("e8c591f4-a6d7-11eb-8cf7-acde48001122", h(1), m(10));
  assert.ok(s);
  assert.is(s.earliest, "-70m@m");
  assert.is(s.latest, "-10m@m");
  assert.match(s.cron, /^\d{1,2} \* \* \* \*$/);
  assert.equal(splunkSchedule("e8c591f4-a6d7-11eb-8cf7-acde48001122", h(1), m(10)), s, "the same id always gets the same minute");
});

test("start minutes spread: 200 rule ids on a 1h interval use at least 40 different minutes", () => {
  const minutes = new Set(Array.from({ length: 200 }, (_, i) => splunkSchedule(`rule-${i}`, h(1), m(10))!.cron.split(" ")[0]));
  assert.ok(minutes.size >= 40, `${minutes.size} minutes`);
});

test("the interval is honoured and consecutive windows tile time: each run searches exactly its interval", () => {
  for (const every of [1, 5, 10, 15, 30, 60, 120, 360, 1440]) {
    const s = splunkSchedule("x", m(every), m(10))!;
    assert.is(s.earliest, `-${every + 10}m@m`);
    assert.is(s.latest, "-10m@m");
    assert.ok(s.exact, `${every}m divides the hour or day`);
  }
  assert.is(splunkSchedule("x", m(5), m(0))!.latest, "@m");
  const odd = splunkSchedule("x", m(7), m(10))!;
  assert.is(odd.exact, false, "7m does not divide the hour: runs bunch at the boundary, windows overlap there");
  assert.is(splunkSchedule("x", { value: 30, unit: "s" }, m(10)), undefined);
});

test("a correlation or sequence window extends the look-back by the window (overlap by design)", () => {
  assert.is(splunkSchedule("x", m(5), m(10), h(1))!.earliest, "-75m@m");
});

test("windows of consecutive runs tile time for every interval that divides the hour or day, whatever the start minute", () => {
  for (const every of [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440]) {
    for (const id of ["a", "b", "c", "rule-7", "e8c591f4-a6d7-11eb-8cf7-acde48001122"]) {
      const s = splunkSchedule(id, m(every), m(10))!;
      assert.equal(windowJoins(s.cron, every), { gap: 0, overlap: 0 }, `${every}m ${s.cron}`);
    }
  }
});

test("an interval that does not divide the hour leaves a gap or an overlap at the boundary, measured", () => {
  // 7m from minute 0: 0,7,…,56 then 60: 4 minutes apart, 3 of overlap. From minute 5: 54 → 65, 11 apart: a 4-minute gap.
  assert.equal(windowJoins("0-59/7 * * * *", 7), { gap: 0, overlap: 3 });
  assert.equal(windowJoins("5-59/7 * * * *", 7), { gap: 4, overlap: 0 });
  // 90m runs hourly (cron cannot say every 90 minutes): each window overlaps the last by 30.
  assert.equal(windowJoins("17 * * * *", 90), { gap: 0, overlap: 30 });
  // Every 2 days: the 31st and the 1st are one day apart (overlap); the leap February's 29th and the 1st too.
  assert.equal(windowJoins("3 4 */2 * *", 2880), { gap: 0, overlap: 1440 });
  // Every 7 days: runs on the 1st, 8th, …, 29th; after a leap February's 29th comes the 1st a day later.
  assert.equal(windowJoins("3 4 */7 * *", 7 * 1440), { gap: 0, overlap: 6 * 1440 });
});

test.run();
