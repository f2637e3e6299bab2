import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Query, SequenceStep } from "../../src/ir/query.js";
import { evaluateStream } from "../../src/eval/index.js";
import { eq, step } from "./build.js";

const T0 = Date.parse("2024-05-01T00:00:00Z");
/** An event `t` seconds after T0 with action `a` on host `h`. */
const ev = (t: number, a: string, h = "h1", extra: Record<string, unknown> = {}) => ({
  "@timestamp": new Date(T0 + t * 1000).toISOString(),
  action: a,
  host: h,
  ...extra,
});
const s = (a: string, extra: Partial<SequenceStep> = {}) => step(eq("action", a), extra);
const seq = (steps: SequenceStep[], extra: Partial<Extract<Query, { kind: "sequence" }>> = {}): Query => ({ kind: "sequence", by: [], steps, ...extra });

function indexes(q: Query, events: Record<string, unknown>[], ts?: string): number[][] {
  const r = evaluateStream(q, events, ts ? { timestampField: ts } : {});
  if (!r.ok) throw new Error(r.reason);
  return r.matches.map((m) => [...m.events]);
}

const order = suite("sequence order");
order("steps must occur in order", () => {
  const q = seq([s("a"), s("b")]);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "b")]), [[0, 1]]);
  assert.equal(indexes(q, [ev(1, "b"), ev(2, "a")]), []);
});
order("events are sorted by timestamp; indexes point into the input", () => {
  const q = seq([s("a"), s("b")]);
  assert.equal(indexes(q, [ev(5, "b"), ev(1, "a")]), [[1, 0]]);
  const epoch = [{ t: T0 + 2000, action: "b" }, { t: T0, action: "a" }];
  assert.equal(indexes(q, epoch, "t"), [[1, 0]]);
});
order("without timestamps input order is used unless a maxspan needs time", () => {
  const events = [{ action: "a" }, { action: "b" }];
  assert.equal(indexes(seq([s("a"), s("b")]), events), [[0, 1]]);
  assert.is(evaluateStream(seq([s("a"), s("b")], { maxspan: { value: 1, unit: "m" } }), events).ok, false);
  assert.is(evaluateStream(seq([s("a"), s("b")]), [{ action: "a", "@timestamp": "2024-01-01" }, { action: "b" }]).ok, false);
});
order.run();

const keys = suite("sequence join keys");
keys("sequence-wide by", () => {
  const q = seq([s("a"), s("b")], { by: ["host"] });
  const m = evaluateStream(q, [ev(1, "a", "h1"), ev(2, "b", "h2"), ev(3, "b", "h1")]);
  assert.ok(m.ok);
  if (m.ok) assert.equal(m.matches, [{ events: [0, 2], key: ["h1"] }]);
  assert.equal(indexes(q, [ev(1, "a", "h1"), ev(2, "b", "h2")]), []);
});
keys("per-step by keys with different field names", () => {
  const q = seq([s("a", { by: ["user"] }), s("b", { by: ["target"] })], { by: ["host"] });
  const events = [ev(1, "a", "h1", { user: "bob" }), ev(2, "b", "h1", { target: "alice" }), ev(3, "b", "h1", { target: "bob" })];
  assert.equal(indexes(q, events), [[0, 2]]);
});
keys("a required key that is absent joins nothing; an optional one joins as null", () => {
  const events = [{ action: "a" }, { action: "b" }];
  assert.equal(indexes(seq([s("a"), s("b")], { by: ["user"] }), events), []);
  assert.equal(indexes(seq([s("a"), s("b")], { by: ["?user"] }), events), [[0, 1]]);
});
keys("mismatched key counts are an error value", () => {
  assert.is(evaluateStream(seq([s("a", { by: ["x"] }), s("b")]), []).ok, false);
});
keys.run();

const span = suite("sequence maxspan");
span("maxspan boundary is inclusive", () => {
  const q = seq([s("a"), s("b")], { maxspan: { value: 5, unit: "s" } });
  assert.equal(indexes(q, [ev(0, "a"), ev(5, "b")]), [[0, 1]]);
  assert.equal(indexes(q, [ev(0, "a"), ev(5.001, "b")]), []);
});
span("a newer start replaces an expired one", () => {
  const q = seq([s("a"), s("b")], { maxspan: { value: 5, unit: "s" } });
  assert.equal(indexes(q, [ev(0, "a"), ev(10, "a"), ev(12, "b")]), [[1, 2]]);
});
span.run();

const until = suite("sequence until");
until("until drops partial sequences of its key", () => {
  const q = seq([s("a"), s("b")], { by: ["host"], until: s("stop") });
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "stop"), ev(3, "b")]), []);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "stop", "h2"), ev(3, "b")]), [[0, 2]]);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "stop"), ev(3, "a"), ev(4, "b")]), [[2, 3]]);
});
until.run();

const runs = suite("sequence runs");
runs("runs=N needs N matches of the step", () => {
  const q = seq([s("a", { runs: 3 }), s("b")]);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "a"), ev(3, "b")]), []);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "a"), ev(3, "a"), ev(4, "b")]), [[0, 1, 2, 3]]);
});
runs("runs matches do not overlap", () => {
  const q = seq([s("a", { runs: 2 })]);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "a"), ev(3, "a"), ev(4, "a")]), [[0, 1], [2, 3]]);
});
runs.run();

const missing = suite("sequence missing events");
missing("a missing step between two steps rejects when such an event lies between", () => {
  const q = seq([s("a"), s("x", { missing: true }), s("b")], { by: ["host"] });
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "b")]), [[0, 1]]);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "x"), ev(3, "b")]), []);
  assert.equal(indexes(q, [ev(1, "a"), ev(2, "x", "h2"), ev(3, "b")]), [[0, 2]]);
  assert.equal(indexes(q, [ev(0, "x"), ev(1, "a"), ev(2, "b"), ev(3, "x")]), [[1, 2]]);
});
missing("a trailing missing step looks maxspan ahead of the first event", () => {
  const q = seq([s("a"), s("b"), s("x", { missing: true })], { maxspan: { value: 10, unit: "s" } });
  assert.equal(indexes(q, [ev(0, "a"), ev(1, "b"), ev(5, "x")]), []);
  assert.equal(indexes(q, [ev(0, "a"), ev(1, "b"), ev(11, "x")]), [[0, 1]]);
});
missing("a leading missing step looks maxspan back from the first event", () => {
  const q = seq([s("x", { missing: true }), s("a"), s("b")], { maxspan: { value: 10, unit: "s" } });
  assert.equal(indexes(q, [ev(0, "x"), ev(5, "a"), ev(6, "b")]), []);
  assert.equal(indexes(q, [ev(0, "x"), ev(15, "a"), ev(16, "b")]), [[1, 2]]);
});
missing.run();

const sample = suite("sample");
sample("unordered steps joined by key, one sample per key", () => {
  const q: Query = { kind: "sample", by: ["host"], steps: [s("a"), s("b")] };
  const r = evaluateStream(q, [ev(1, "b", "h1"), ev(2, "a", "h2"), ev(3, "a", "h1"), ev(4, "b", "h1"), ev(5, "a", "h1")]);
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.matches, [{ events: [2, 0], key: ["h1"] }]);
});
sample("an event fills one step only", () => {
  const q: Query = { kind: "sample", by: [], steps: [step({ kind: "all" }), step({ kind: "all" })] };
  assert.equal(indexes(q, [{ action: "a" }]), []);
  assert.equal(indexes(q, [{ action: "a" }, { action: "b" }]), [[0, 1]]);
});
sample.run();

const plain = suite("plain queries and pipes over a stream");
plain("a boolean query matches each event; head and tail pipes", () => {
  const events = [ev(3, "a"), ev(1, "a"), ev(2, "b")];
  assert.equal(indexes(eq("action", "a"), events), [[1], [0]]);
  assert.equal(indexes({ kind: "pipe", input: eq("action", "a"), pipes: [{ name: "head", count: 1 }] }, events), [[1]]);
  assert.equal(indexes({ kind: "pipe", input: eq("action", "a"), pipes: [{ name: "tail", count: 1 }] }, events), [[0]]);
  assert.is(evaluateStream({ kind: "opaque", language: "esql", text: "x" }, events).ok, false);
});
plain.run();
