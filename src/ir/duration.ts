import type { Duration } from "./query.js";

const UNIT_MS: Readonly<Record<Duration["unit"], number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5m` → {value: 5, unit: "m"}; undefined when the text is not a duration. */
export function parseDuration(text: string): Duration | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return { value: Number(m[1]), unit: m[2] as Duration["unit"] };
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
