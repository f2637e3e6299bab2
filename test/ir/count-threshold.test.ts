/**
 * A threshold is one IR form, a count correlation: readers build it, writers of threshold syntax
 * read it back, and the evaluator counts it as Kibana does (at least N events and, with a distinct
 * count, at least M values of the field, per group).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateStream } from "../../src/eval/index.js";
import { countThreshold, lowerBound, thresholdCorrelation, type CountThreshold } from "../../src/ir/count-threshold.js";
import type { Query } from "../../src/ir/query.js";

const q: Query = { kind: "match", field: "event.action", value: { kind: "string", parts: [{ kind: "text", value: "logon-failed" }] }, caseSensitive: true };

test("threshold → correlation → threshold gives the same threshold back", () => {
  const cases: CountThreshold[] = [
    { groupBy: ["host.id"], events: 10 },
    { groupBy: [], events: 1, distinct: { field: "user.name", count: 5 } },
    { groupBy: ["source.ip"], events: 25, distinct: { field: "user.name", count: 3 } },
  ];
  for (const t of cases) assert.equal(countThreshold(thresholdCorrelation("Many failures", q, t)), t);
  const c = thresholdCorrelation("Many failures", q, cases[2]!);
  assert.equal([c.type, c.condition, c.valueField, c.minEvents, c.timespan, c.rules[0]!.name], ["value_count", [{ op: "gte", value: 3 }], "user.name", 25, undefined, "many_failures_events"]);
  // A distinct count beside one event says nothing more: no minEvents.
  assert.is(thresholdCorrelation("x", q, cases[1]!).minEvents, undefined);
});

test("only lower bounds and one field per group make a threshold", () => {
  assert.is(lowerBound([{ op: "gt", value: 4 }, { op: "gte", value: 3 }]), 5);
  assert.is(lowerBound([{ op: "lt", value: 4 }]), undefined);
  const c = thresholdCorrelation("x", q, { groupBy: ["host.id"], events: 2 });
  assert.is(countThreshold({ ...c, type: "value_sum", valueField: "n" }), undefined);
  assert.is(countThreshold({ ...c, rules: [...c.rules, { name: "b", query: q, aliases: { "host.id": "host.name" } }] }), undefined);
});

test("the evaluator counts events beside distinct values (minEvents)", () => {
  const c = thresholdCorrelation("x", q, { groupBy: ["source.ip"], events: 4, distinct: { field: "user.name", count: 3 } });
  const ev = (user: string) => ({ "event.action": "logon-failed", "source.ip": "10.0.0.1", "user.name": user });
  const three = [ev("a"), ev("b"), ev("c")];
  assert.equal(evaluateStream(c, three), { ok: true, matches: [] });
  const four = evaluateStream(c, [...three, ev("a")]);
  assert.ok(four.ok && four.matches.length === 1);
  const { minEvents: _n, ...distinctOnly } = c;
  const r = evaluateStream(distinctOnly, three);
  assert.ok(r.ok && r.matches.length === 1);
});

test.run();
