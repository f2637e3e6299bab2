/**
 * EQL `sequence` and `sample` over time-ordered events.
 *
 * Sequence: a state machine per join key, as Elasticsearch runs it. Each positive step keeps at
 * most one partial sequence per key (the newest start replaces an older one at step 0). An event
 * matching step i advances the partial waiting at step i-1 for its key when the time from that
 * partial's first event is at most `maxspan` (inclusive); expired partials are dropped. Steps are
 * tried last to first, so one event advances a sequence by one step only; an event that completes
 * a sequence does not also start a new one for its key (so `runs` matches do not overlap).
 * `runs=N` repeats its step N times. `until` drops every partial of its key. A missing step
 * `![q]` rejects a completed sequence when an event of the same key matching `q` lies between its
 * neighbouring steps; a leading one looks back `maxspan` from the first event, a trailing one
 * looks ahead `maxspan` from the first event (without maxspan: to the stream's start or end).
 *
 * Sample: unordered; per join key, the first event matching each step fills it (an event fills
 * one step); the first complete set per key is the sample (ES `max_samples_per_key` = 1).
 */
import type { NodeOf, SequenceStep } from "../ir/query.js";
import { compileQuery, type EvalOptions } from "./evaluate.js";
import { durationMs, joinKey, keyParts, type StreamEvent } from "./stream-events.js";
import type { StreamMatch, StreamResult } from "./stream-result.js";

interface Step {
  readonly test: (e: unknown) => boolean;
  readonly by: readonly string[];
}

type Built = { ok: true; step: Step } | { ok: false; reason: string };

function build(seqBy: readonly string[], s: SequenceStep, what: string, opts: EvalOptions): Built {
  const c = compileQuery(s.query, opts);
  if (!c.ok) return { ok: false, reason: `${what}: ${c.reason}` };
  return { ok: true, step: { test: c.test, by: [...seqBy, ...s.by] } };
}

interface Partial {
  readonly positions: readonly number[];
  readonly start: number;
}

export function runSequence(q: NodeOf<"sequence">, events: readonly StreamEvent[], opts: EvalOptions = {}): StreamResult {
  const positive: Step[] = [];
  // missing[k]: missing steps just before positive step k (k = positive.length: trailing).
  const missing: Step[][] = [[]];
  for (const [i, s] of q.steps.entries()) {
    const b = build(q.by, s, `sequence step ${i + 1}`, opts);
    if (!b.ok) return b;
    if (s.missing) {
      missing[positive.length]!.push(b.step);
      continue;
    }
    const runs = s.runs ?? 1;
    if (!Number.isInteger(runs) || runs < 1) return { ok: false, reason: `sequence step ${i + 1}: runs must be a positive integer` };
    for (let r = 0; r < runs; r++) {
      positive.push(b.step);
      missing.push([]);
    }
  }
  if (positive.length === 0) return { ok: false, reason: "a sequence needs at least one step that is not a missing event" };
  const arity = positive[0]!.by.length;
  const all = [...positive, ...missing.flat()];
  let until: Step | undefined;
  if (q.until) {
    const b = build(q.by, q.until, "sequence until", opts);
    if (!b.ok) return b;
    until = b.step;
    all.push(until);
  }
  if (all.some((s) => s.by.length !== arity)) return { ok: false, reason: "sequence steps have different numbers of join keys" };

  const span = durationMs(q.maxspan);
  const last = positive.length - 1;
  const stages: Map<string, Partial>[] = positive.map(() => new Map());
  const matches: StreamMatch[] = [];

  const missingOk = (p: Partial, key: string): boolean => {
    const first = events[p.positions[0]!]!;
    for (let k = 0; k <= positive.length; k++) {
      const steps = missing[k]!;
      if (steps.length === 0) continue;
      const lo = k === 0 ? 0 : p.positions[k - 1]! + 1;
      const hi = k === positive.length ? events.length : p.positions[k]!;
      for (let j = lo; j < hi; j++) {
        const ev = events[j]!;
        if (k === 0 && span !== Infinity && first.ts! - ev.ts! > span) continue;
        if (k === positive.length && span !== Infinity && ev.ts! - first.ts! > span) break;
        if (steps.some((s) => s.test(ev.event) && joinKey(ev.event, s.by) === key)) return false;
      }
    }
    return true;
  };

  for (const [pos, ev] of events.entries()) {
    if (until && until.test(ev.event)) {
      const k = joinKey(ev.event, until.by);
      if (k !== undefined) for (const st of stages) st.delete(k);
    }
    let completedKey: string | undefined;
    for (let s = last; s >= 0; s--) {
      const step = positive[s]!;
      if (!step.test(ev.event)) continue;
      const key = joinKey(ev.event, step.by);
      if (key === undefined || key === completedKey) continue;
      let next: Partial;
      if (s === 0) next = { positions: [pos], start: ev.ts ?? 0 };
      else {
        const prev = stages[s - 1]!.get(key);
        if (!prev) continue;
        stages[s - 1]!.delete(key);
        if ((ev.ts ?? 0) - prev.start > span) continue;
        next = { positions: [...prev.positions, pos], start: prev.start };
      }
      if (s === last) {
        completedKey = key;
        if (missingOk(next, key)) matches.push({ events: next.positions.map((p) => events[p]!.index), key: keyParts(key) });
      } else stages[s]!.set(key, next);
    }
  }
  return { ok: true, matches };
}

export function runSample(q: NodeOf<"sample">, events: readonly StreamEvent[], opts: EvalOptions = {}): StreamResult {
  const steps: Step[] = [];
  for (const [i, s] of q.steps.entries()) {
    if (s.missing || (s.runs ?? 1) !== 1) return { ok: false, reason: `sample step ${i + 1}: missing events and runs are sequence-only` };
    const b = build(q.by, s, `sample step ${i + 1}`, opts);
    if (!b.ok) return b;
    steps.push(b.step);
  }
  if (steps.some((s) => s.by.length !== steps[0]!.by.length)) return { ok: false, reason: "sample steps have different numbers of join keys" };
  const slots = new Map<string, (number | undefined)[]>();
  const matches: StreamMatch[] = [];
  for (const ev of events) {
    for (const [i, step] of steps.entries()) {
      if (!step.test(ev.event)) continue;
      const key = joinKey(ev.event, step.by);
      if (key === undefined) continue;
      let filled = slots.get(key);
      if (!filled) slots.set(key, (filled = steps.map(() => undefined)));
      if (filled.every((x) => x !== undefined) || filled[i] !== undefined) continue;
      filled[i] = ev.index;
      if (filled.every((x) => x !== undefined)) matches.push({ events: filled as number[], key: keyParts(key) });
      break; // one event fills one step
    }
  }
  return { ok: true, matches };
}
