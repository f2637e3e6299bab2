import type { Duration } from "./query.js";

const UNIT_MS: Readonly<Record<Duration["unit"], number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The longest interval, look-back or match window rulecast accepts. A detection schedule or window
 * beyond a year is a typo, and the limit keeps every span an exact number of milliseconds (far
 * below 2^53) that cron, Splunk time modifiers and date math all take as written.
 */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

export type DurationRead = { readonly ok: true; readonly duration: Duration } | { readonly ok: false; readonly problem: string };

/** `5m` → 5 minutes; otherwise why not, as the end of a sentence (`\`0m\` is zero: …`). */
export function readDuration(text: string): DurationRead {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return { ok: false, problem: `\`${text}\` is not a duration like 5m or 1h` };
  return checkDuration(m[1]!, m[2] as Duration["unit"]);
}

/** A number of units as written (digits) checked: above zero, at most MAX_DURATION_MS. */
export function checkDuration(digits: string, unit: Duration["unit"]): DurationRead {
  const written = `${digits}${unit}`;
  if (!/^\d+$/.test(digits)) return { ok: false, problem: `\`${written}\` is not a whole number of ${unit}` };
  const value = Number(digits);
  if (value === 0) return { ok: false, problem: `\`${written}\` is zero: nothing would run or be searched` };
  if (!Number.isSafeInteger(value) || value * UNIT_MS[unit] > MAX_DURATION_MS) {
    return { ok: false, problem: `\`${written}\` is longer than a year (366d), which rulecast takes for a typo` };
  }
  return { ok: true, duration: { value, unit } };
}

/** `5m` → {value: 5, unit: "m"}; undefined when the text is not a duration rulecast accepts (see readDuration). */
export function parseDuration(text: string): Duration | undefined {
  const r = readDuration(text);
  return r.ok ? r.duration : undefined;
}

/**
 * A look-back as date math: `now-9m` is checked as a duration; other date math (rounding, absolute
 * dates) passes, since rulecast does not model it and targets refuse what they cannot say.
 */
export function checkLookback(from: string): string | undefined {
  const m = /^now-(\d+)([smhd])$/.exec(from);
  if (!m) return undefined;
  const r = checkDuration(m[1]!, m[2] as Duration["unit"]);
  return r.ok ? undefined : r.problem;
}

export function formatDuration(d: Duration): string {
  return `${d.value}${d.unit}`;
}

export function durationMs(d: Duration): number {
  return d.value * UNIT_MS[d.unit];
}

/** The largest unit that divides the span exactly: 540000 ms → 9m. */
export function durationFromMs(ms: number): Duration {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms % UNIT_MS[unit] === 0 && ms >= UNIT_MS[unit]) return { value: ms / UNIT_MS[unit], unit };
  }
  return { value: ms, unit: "ms" };
}

/**
 * The look-back of a schedule: `from: now-9m` with `to: now` searches 9 minutes.
 * Undefined for date math rulecast does not model (rounding, absolute dates).
 */
export function lookbackMs(from: string, to: string): number | undefined {
  const f = /^now-(\d+)([smhd])$/.exec(from);
  if (!f || (to !== "now" && to !== "")) return undefined;
  return Number(f[1]) * UNIT_MS[f[2] as Duration["unit"]];
}
