/**
 * Sigma correlations (and Elastic thresholds) over time-ordered events.
 *
 * Events matching any of `rules[i].query` are grouped by the `groupBy` values, each read from the
 * field the first matched rule names for it (its alias, else the group-by name itself). An event
 * without a value for every group-by field is left out, as Splunk's `stats ... by` and Kibana's
 * threshold terms leave it out. Within a group, a window slides over the hits: it ends at each hit and holds
 * the hits at most `timespan` older (inclusive; no timespan: unbounded). The measured count is
 * - event_count: hits in the window;
 * - value_count: distinct string forms of `valueField` among them (absent values not counted; an
 *   extra measure may fall back on other fields where it has none, and count lower-cased);
 * - value_sum, value_avg: the sum or mean of the numeric values of `valueField` among them (numbers
 *   and numeric strings, every value of a multi-valued field, as Splunk's sum/avg read them); with
 *   no numeric value the mean is undefined and no condition holds;
 * - temporal: distinct rules matched in the window;
 * - temporal_ordered: how many rules, in their listed order, occur as a subsequence of the window.
 * Every `condition` must hold (an empty condition on a temporal type means "all rules"), the window
 * must hold at least `minEvents` hits, every bound of each of `extraMeasures` must hold, and those
 * of at least one set of `anyOf`,
 * measured over the same window (its events that match the measure's filter, if it has one). When it
 * holds the window is reported and the group restarts after it, so matches do not overlap.
 */
import type { CorrelationMeasure, NodeOf } from "../ir/query.js";
import { compileQuery, type EvalOptions } from "./evaluate.js";
import { fieldValues, stringForm } from "./field-values.js";
import { durationMs, type StreamEvent } from "./stream-events.js";
import type { StreamMatch, StreamResult } from "./stream-result.js";

interface Hit {
  readonly ev: StreamEvent;
  readonly rules: readonly number[];
}

export function runCorrelation(q: NodeOf<"correlation">, events: readonly StreamEvent[], opts: EvalOptions = {}): StreamResult {
  const tests: ((e: unknown) => boolean)[] = [];
  for (const r of q.rules) {
    const c = compileQuery(r.query, opts);
    if (!c.ok) return { ok: false, reason: `correlation rule "${r.name}": ${c.reason}` };
    tests.push(c.test);
  }
  if (tests.length === 0) return { ok: false, reason: "a correlation needs at least one rule" };
  const temporal = q.type === "temporal" || q.type === "temporal_ordered";
  if (!temporal && q.condition.length === 0) return { ok: false, reason: `a ${q.type} correlation needs a condition` };
  if (q.type.startsWith("value_") && !q.valueField) return { ok: false, reason: `a ${q.type} correlation needs a valueField` };
  const extra: { m: CorrelationMeasure; test?: (e: unknown) => boolean }[] = [];
  for (const m of q.extraMeasures ?? []) {
    if (q.type === "temporal_ordered") return { ok: false, reason: "a temporal_ordered correlation has no extra measures" };
    if (m.condition.length === 0 || (m.type !== "event_count" && !m.valueField)) return { ok: false, reason: `an extra ${m.type} measure needs a condition and a field` };
    const f = m.filter ? compileQuery(m.filter, opts) : undefined;
    if (f && !f.ok) return { ok: false, reason: `an extra measure's filter: ${f.reason}` };
    extra.push({ m, ...(f?.ok ? { test: f.test } : {}) });
  }
  const alternatives: (typeof extra)[] = [];
  for (const set of q.anyOf ?? []) {
    if (q.type === "temporal_ordered") return { ok: false, reason: "a temporal_ordered correlation has no alternatives of measures" };
    const one: typeof extra = [];
    for (const m of set) {
      if (m.condition.length === 0 || (m.type !== "event_count" && !m.valueField)) return { ok: false, reason: `an alternative ${m.type} measure needs a condition and a field` };
      const f = m.filter ? compileQuery(m.filter) : undefined;
      if (f && !f.ok) return { ok: false, reason: `an alternative measure's filter: ${f.reason}` };
      one.push({ m, ...(f?.ok ? { test: f.test } : {}) });
    }
    alternatives.push(one);
  }
  const span = durationMs(q.timespan);

  const groups = new Map<string, Hit[]>();
  const matches: StreamMatch[] = [];
  const starts = new Map<string, number>();
  for (const ev of events) {
    const rules = tests.flatMap((t, i) => (t(ev.event) ? [i] : []));
    if (rules.length === 0) continue;
    const first = q.rules[rules[0]!]!;
    const values = q.groupBy.map((g) => groupValue(ev.event, first.aliases?.[g] ?? g));
    if (values.some((v) => v === null)) continue;
    const key = JSON.stringify(values);
    let hits = groups.get(key);
    if (!hits) {
      groups.set(key, (hits = []));
    }
    hits.push({ ev, rules });
    let start = starts.get(key) ?? 0;
    while (start < hits.length && (ev.ts ?? 0) - (hits[start]!.ev.ts ?? 0) > span) start++;
    const window = hits.slice(start);
    const count = measure(q, window, tests.length);
    const bounded = ({ m, test }: (typeof extra)[number]): boolean => {
      const n = measure(m, test ? window.filter((h) => test(h.ev.event)) : window, tests.length);
      return n !== undefined && m.condition.every((c) => compare(c.op, n, c.value));
    };
    const holds =
      count !== undefined &&
      window.length >= (q.minEvents ?? 0) &&
      (q.condition.length === 0 ? count >= tests.length : q.condition.every((c) => compare(c.op, count, c.value))) &&
      extra.every(bounded) &&
      (alternatives.length === 0 || alternatives.some((set) => set.every(bounded)));
    if (holds) {
      matches.push({ events: window.map((h) => h.ev.index), key: JSON.parse(key) as (string | null)[], count });
      start = hits.length;
    }
    starts.set(key, start);
  }
  return { ok: true, matches };
}

function groupValue(event: unknown, field: string): string | null {
  const v = fieldValues(event, field).find((x) => x !== null);
  return v === undefined ? null : (stringForm(v) ?? null);
}

type Measured = Pick<NodeOf<"correlation">, "type" | "valueField"> & Pick<CorrelationMeasure, "valueFallbacks" | "valueLowerCased">;

function measure(q: Measured, window: readonly Hit[], ruleCount: number): number | undefined {
  switch (q.type) {
    case "event_count":
      return window.length;
    case "value_count": {
      const seen = new Set<string>();
      for (const h of window) {
        for (const v of countedValues(h.ev.event, q)) {
          const s = stringForm(v);
          if (s !== undefined) seen.add(q.valueLowerCased ? s.toLowerCase() : s);
        }
      }
      return seen.size;
    }
    case "value_sum":
    case "value_avg": {
      const values = window.flatMap((h) => fieldValues(h.ev.event, q.valueField!).flatMap((v) => numericValue(v) ?? []));
      const sum = values.reduce((a, b) => a + b, 0);
      return q.type === "value_sum" ? sum : values.length === 0 ? undefined : sum / values.length;
    }
    case "temporal":
      return new Set(window.flatMap((h) => h.rules)).size;
    case "temporal_ordered": {
      let next = 0;
      for (const h of window) if (next < ruleCount && h.rules.includes(next)) next++;
      return next;
    }
  }
}

/**
 * The values a value_count counts of one event: its `valueField`'s, or where it has none, those of
 * the first of `valueFallbacks` it has (COALESCE keeps every value of the argument it takes).
 */
function countedValues(event: unknown, q: Measured): unknown[] {
  for (const f of [q.valueField!, ...(q.valueFallbacks ?? [])]) {
    const vs = fieldValues(event, f).filter((v) => v !== null);
    if (vs.length > 0) return vs;
  }
  return [];
}

/** A number, or a string that is one (`"42"`, `"-1.5"`, `"1e3"`); anything else counts for nothing. */
function numericValue(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function compare(op: "gt" | "gte" | "lt" | "lte" | "eq" | "neq", a: number, b: number): boolean {
  switch (op) {
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    case "eq":
      return a === b;
    case "neq":
      return a !== b;
  }
}
