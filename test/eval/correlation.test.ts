import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CorrelationType, CountCondition, Query } from "../../src/ir/query.js";
import { evaluateStream, type StreamMatch } from "../../src/eval/index.js";
import { eq } from "./build.js";

const T0 = Date.parse("2024-05-01T00:00:00Z");
const ev = (t: number, action: string, user = "u1", extra: Record<string, unknown> = {}) => ({ "@timestamp": T0 + t * 1000, action, user, ...extra });

function corr(type: CorrelationType, names: string[], condition: CountCondition[], extra: Partial<Extract<Query, { kind: "correlation" }>> = {}): Query {
  return { kind: "correlation", type, rules: names.map((n) => ({ name: n, query: eq("action", n) })), groupBy: ["user"], condition, ...extra };
}

function run(q: Query, events: Record<string, unknown>[]): readonly StreamMatch[] {
  const r = evaluateStream(q, events);
  if (!r.ok) throw new Error(r.reason);
  return r.matches;
}

const ten = { value: 10, unit: "s" } as const;

const count = suite("event_count");
count("counts matching events per group within the timespan", () => {
  const q = corr("event_count", ["fail"], [{ op: "gte", value: 3 }], { timespan: ten });
  const ms = run(q, [ev(0, "fail"), ev(1, "fail", "u2"), ev(2, "ok"), ev(3, "fail"), ev(4, "fail")]);
  assert.equal(ms, [{ events: [0, 3, 4], key: ["u1"], count: 3 }]);
  assert.equal(run(q, [ev(0, "fail"), ev(1, "fail", "u2"), ev(2, "fail")]), []);
});
count("timespan boundary is inclusive", () => {
  const q = corr("event_count", ["fail"], [{ op: "gte", value: 2 }], { timespan: ten });
  assert.is(run(q, [ev(0, "fail"), ev(10, "fail")]).length, 1);
  assert.is(run(q, [ev(0, "fail"), ev(10.001, "fail")]).length, 0);
});
count("without group-by all events form one group; without timespan the window is unbounded", () => {
  const q = corr("event_count", ["fail"], [{ op: "gte", value: 2 }], { groupBy: [] });
  assert.equal(run(q, [ev(0, "fail", "a"), ev(1000, "fail", "b")]), [{ events: [0, 1], key: [], count: 2 }]);
});
count("events without a group-by value are left out; aliases name each rule's own group-by field", () => {
  const q = corr("event_count", ["fail"], [{ op: "gte", value: 2 }], { timespan: ten });
  const noUser = (t: number) => ({ "@timestamp": T0 + t * 1000, action: "fail" });
  assert.equal(run(q, [noUser(0), noUser(1), noUser(2)]), [], "no null group");
  const aliased: Query = {
    kind: "correlation",
    type: "temporal",
    rules: [
      { name: "fail", query: eq("action", "fail"), aliases: { who: "user" } },
      { name: "ok", query: eq("action", "ok"), aliases: { who: "account" } },
    ],
    groupBy: ["who"],
    timespan: ten,
    condition: [{ op: "gte", value: 2 }],
  };
  assert.equal(run(aliased, [ev(0, "fail", "u1"), ev(1, "ok", "x", { account: "u2" }), ev(2, "ok", "x", { account: "u1" })]), [{ events: [0, 2], key: ["u1"], count: 2 }]);
});
count("matches do not overlap; several conditions must all hold", () => {
  const q = corr("event_count", ["fail"], [{ op: "gte", value: 2 }]);
  assert.is(run(q, [ev(0, "fail"), ev(1, "fail"), ev(2, "fail"), ev(3, "fail")]).length, 2);
  const eqTwo = corr("event_count", ["fail"], [{ op: "gt", value: 1 }, { op: "lt", value: 3 }]);
  assert.equal(run(eqTwo, [ev(0, "fail"), ev(1, "fail")]).map((m) => m.count), [2]);
  assert.is(evaluateStream(corr("event_count", ["fail"], []), []).ok, false);
});
count.run();

const values = suite("value_count");
values("counts distinct values of the value field", () => {
  const q = corr("value_count", ["login"], [{ op: "gte", value: 3 }], { valueField: "host", timespan: ten });
  const same = [ev(0, "login", "u1", { host: "a" }), ev(1, "login", "u1", { host: "a" }), ev(2, "login", "u1", { host: "b" })];
  assert.equal(run(q, same), []);
  const ms = run(q, [...same, ev(3, "login", "u1", { host: "c" })]);
  assert.equal(ms.map((m) => [m.events.length, m.count]), [[4, 3]]);
  assert.is(evaluateStream(corr("value_count", ["login"], [{ op: "gte", value: 1 }]), []).ok, false);
});
values.run();

const sums = suite("value_sum and value_avg");
sums("add up or average the numeric values of the field in the window", () => {
  const up = (t: number, bytes: unknown, user = "u1") => ev(t, "up", user, { bytes });
  const sum = corr("value_sum", ["up"], [{ op: "gte", value: 100 }], { valueField: "bytes", timespan: ten });
  assert.equal(run(sum, [up(0, 40), up(1, "50"), up(2, 5, "u2"), up(3, 10)]).map((m) => [m.events, m.count]), [[[0, 1, 3], 100]]);
  assert.equal(run(sum, [up(0, 60), up(11, 60)]), [], "the first value left the window");
  const avg = corr("value_avg", ["up"], [{ op: "gt", value: 50 }], { valueField: "bytes", timespan: ten });
  assert.equal(run(avg, [up(0, 40), up(1, 70)]).map((m) => m.count), [55]);
  assert.equal(run(avg, [up(0, 40), up(1, 60)]), []);
});
sums("text and absent values count for nothing; with no number the mean is undefined and no condition holds", () => {
  const up = (t: number, bytes?: unknown) => ev(t, "up", "u1", bytes === undefined ? {} : { bytes });
  const sum = corr("value_sum", ["up"], [{ op: "gte", value: 10 }], { valueField: "bytes" });
  assert.equal(run(sum, [up(0, "ten"), up(1), up(2, [4, "6"])]).map((m) => m.count), [10], "every value of a multi-valued field counts");
  const avgNeq = corr("value_avg", ["up"], [{ op: "neq", value: 1 }], { valueField: "bytes" });
  assert.equal(run(avgNeq, [up(0, "n/a"), up(1)]), []);
  assert.is(evaluateStream(corr("value_sum", ["up"], [{ op: "gte", value: 1 }]), []).ok, false, "the field is required");
});
sums.run();

const temporal = suite("temporal");
temporal("all rules within the timespan, any order, per group", () => {
  const q = corr("temporal", ["a", "b"], [], { timespan: ten });
  assert.equal(run(q, [ev(0, "b"), ev(5, "a")]).map((m) => m.events), [[0, 1]]);
  assert.equal(run(q, [ev(0, "b"), ev(11, "a")]), []);
  assert.equal(run(q, [ev(0, "b", "u1"), ev(1, "a", "u2")]), []);
});
temporal.run();

const ordered = suite("temporal_ordered");
ordered("rules in their listed order within the timespan", () => {
  const q = corr("temporal_ordered", ["a", "b"], [], { timespan: ten });
  assert.equal(run(q, [ev(0, "b"), ev(5, "a")]), []);
  assert.equal(run(q, [ev(0, "a"), ev(5, "b")]).map((m) => m.events), [[0, 1]]);
  assert.equal(run(q, [ev(0, "a"), ev(10, "b")]).length, 1);
  assert.equal(run(q, [ev(0, "a"), ev(10.5, "b")]).length, 0);
});
ordered("a correlation rule that is not a boolean query is an error value", () => {
  const q: Query = { kind: "correlation", type: "temporal", rules: [{ name: "x", query: { kind: "opaque", language: "esql", text: "" } }], groupBy: [], condition: [] };
  assert.is(evaluateStream(q, []).ok, false);
});
ordered.run();
