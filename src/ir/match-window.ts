/**
 * How far apart in time the events of one match may be: a correlation's timespan, a sequence's
 * maxspan. A scheduled search only finds a match whose events all fall inside one run's look-back,
 * so the look-back has to cover this window.
 */
import { durationFromMs, durationMs, formatDuration, lookbackMs } from "./duration.js";
import type { Duration, Query } from "./query.js";
import type { Schedule } from "./rule.js";

export function matchWindow(q: Query): Duration | undefined {
  switch (q.kind) {
    case "correlation":
      return q.timespan;
    case "sequence":
      return q.maxspan;
    case "pipe":
      return matchWindow(q.input);
    default:
      return undefined;
  }
}

/**
 * A look-back for a rule that sets none itself: at least the window plus one interval, so that
 * every match completed since the previous run lies wholly inside this run's search (a run at T
 * sees T - look-back .. T; a match ending in T - interval .. T began no earlier than
 * T - interval - window). Keeps a look-back that is already long enough, and date math it cannot
 * measure.
 */
export function coveringSchedule(schedule: Schedule, q: Query): Schedule {
  const window = matchWindow(q);
  const look = lookbackMs(schedule.from, schedule.to);
  if (!window || look === undefined) return schedule;
  const needed = coveringLookback(window, schedule.interval);
  return look >= needed.ms ? schedule : { ...schedule, from: needed.from };
}

/** Window plus interval, in whole seconds (date math has no milliseconds). */
function coveringLookback(window: Duration, interval: Duration): { ms: number; from: string } {
  const ms = Math.ceil((durationMs(window) + durationMs(interval)) / 1000) * 1000;
  return { ms, from: `now-${formatDuration(durationFromMs(ms))}` };
}

/** The window when a look-back is shorter than it: such a match can never be found. */
export function windowBeyondLookback(schedule: Schedule, q: Query): Duration | undefined {
  const window = matchWindow(q);
  const look = lookbackMs(schedule.from, schedule.to);
  return window && look !== undefined && durationMs(window) > look ? window : undefined;
}

/** The warning for `windowBeyondLookback`, worded for every target alike. */
export function lookbackMessage(schedule: Schedule, window: Duration): string {
  const fix = coveringLookback(window, schedule.interval).from;
  return `the search looks back ${schedule.from}, but one match may span ${formatDuration(window)}: matches longer than the look-back are never found; from: ${fix} (the window plus one interval) finds them all`;
}
