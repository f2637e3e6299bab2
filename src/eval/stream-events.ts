/**
 * Shared pieces of stream evaluation: the time order of events, durations, and join keys.
 */
import type { Duration } from "../ir/query.js";
import { isoInstant } from "./evaluate.js";
import { fieldValues, stringForm } from "./field-values.js";

/** One event of the stream, in time order; `index` points into the caller's array. */
export interface StreamEvent {
  readonly index: number;
  readonly ts: number | undefined;
  readonly event: Record<string, unknown>;
}

export type Ordered = { readonly ok: true; readonly events: readonly StreamEvent[] } | { readonly ok: false; readonly reason: string };

const UNIT_MS: Readonly<Record<Duration["unit"], number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationMs(d: Duration | undefined): number {
  return d === undefined ? Infinity : d.value * UNIT_MS[d.unit];
}

/** Epoch numbers are milliseconds; strings are ISO-8601 (no zone: UTC) or anything Date.parse reads. */
export function timestampOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v !== "string") return undefined;
  const iso = isoInstant(v);
  if (iso !== undefined) return iso;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Sorts by timestamp, stably (equal times keep input order). When no event has a timestamp the
 * input order is the time order, unless `needTime` (a maxspan or timespan must be measured).
 */
export function orderEvents(events: readonly Record<string, unknown>[], field: string, needTime: boolean): Ordered {
  const list = events.map((event, index) => ({ index, ts: timestampOf(fieldValues(event, field)[0]), event }));
  const missing = list.filter((e) => e.ts === undefined);
  if (missing.length === list.length && !needTime) return { ok: true, events: list };
  if (missing.length > 0) {
    return { ok: false, reason: `event ${missing[0]!.index} has no usable timestamp in "${field}" (ISO-8601 string or epoch milliseconds)` };
  }
  return { ok: true, events: [...list].sort((a, b) => a.ts! - b.ts! || a.index - b.index) };
}

/**
 * The join key of an event: one string per field, JSON-encoded together. A field named `?f`
 * is optional (EQL): absent or null gives a null key part. A required field absent or null
 * gives no key, so the event joins nothing (EQL joins on non-null values only). A multi-valued
 * field joins on its first value.
 */
export function joinKey(event: unknown, fields: readonly string[]): string | undefined {
  const parts: (string | null)[] = [];
  for (const f of fields) {
    const optional = f.startsWith("?");
    const v = fieldValues(event, optional ? f.slice(1) : f).find((x) => x !== null);
    const s = v === undefined ? undefined : stringForm(v);
    if (s === undefined && !optional) return undefined;
    parts.push(s ?? null);
  }
  return JSON.stringify(parts);
}

/** The key parts back out of a join key, for reporting. */
export function keyParts(key: string): (string | null)[] {
  return JSON.parse(key) as (string | null)[];
}
