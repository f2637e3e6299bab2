/**
 * `evaluateStream`: a query over a stream of events, sorted by time first (stable; `@timestamp`
 * unless `timestampField` says otherwise; ISO-8601 strings or epoch milliseconds).
 *
 * Matches, in the order they complete:
 * - plain boolean query: one match per matching event, `events: [i]`;
 * - sequence / sample: `events` has one index per positive step, in step order; `key` the join key;
 * - correlation: `events` is the window that met the condition, `key` the group-by values,
 *   `count` the measured value;
 * - pipe: `head N` / `tail N` over the matches of its input.
 * Indexes point into the caller's array, whatever the time order was.
 */
import { assertNever, type Query } from "../ir/query.js";
import { runCorrelation } from "./correlation.js";
import { compileQuery, type EvalOptions } from "./evaluate.js";
import { runSample, runSequence } from "./sequence.js";
import { orderEvents, type StreamEvent } from "./stream-events.js";
import type { StreamResult } from "./stream-result.js";

export interface StreamOptions extends EvalOptions {
  readonly timestampField?: string;
}

/** `evaluateStream(seq, events)` → `{ok: true, matches: [{events: [0, 2], key: ["host-1"]}]}`. */
export function evaluateStream(q: Query, events: readonly Record<string, unknown>[], opts: StreamOptions = {}): StreamResult {
  const ordered = orderEvents(events, opts.timestampField ?? "@timestamp", needsTime(q));
  if (!ordered.ok) return ordered;
  return run(q, ordered.events, opts);
}

function needsTime(q: Query): boolean {
  if (q.kind === "sequence") return q.maxspan !== undefined;
  if (q.kind === "correlation") return q.timespan !== undefined;
  if (q.kind === "pipe") return needsTime(q.input);
  return false;
}

function run(q: Query, events: readonly StreamEvent[], opts: EvalOptions): StreamResult {
  switch (q.kind) {
    case "sequence":
      return runSequence(q, events, opts);
    case "sample":
      return runSample(q, events, opts);
    case "correlation":
      return runCorrelation(q, events, opts);
    case "newTerms":
      // Its alerts depend on each run's window and the history before it, which a stream has no runs for.
      return { ok: false, reason: "a new-terms query compares each run's window with the history before it; the stream evaluator has no runs" };
    case "pipe": {
      const inner = run(q.input, events, opts);
      if (!inner.ok) return inner;
      let ms = inner.matches;
      for (const p of q.pipes) ms = p.name === "head" ? ms.slice(0, Math.max(0, p.count)) : ms.slice(Math.max(0, ms.length - p.count));
      return { ok: true, matches: ms };
    }
    case "and":
    case "or":
    case "not":
    case "all":
    case "none":
    case "match":
    case "exists":
    case "range":
    case "regex":
    case "cidr":
    case "keyword":
    case "fieldref":
    case "compare":
    case "predicate":
    case "nested":
    case "opaque": {
      const c = compileQuery(q, opts);
      if (!c.ok) return { ok: false, reason: c.reason };
      return { ok: true, matches: events.filter((e) => c.test(e.event)).map((e) => ({ events: [e.index] })) };
    }
    default:
      return assertNever(q);
  }
}
