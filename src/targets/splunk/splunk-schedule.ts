/**
 * A rule's schedule in Splunk terms: its interval → a cron spread per rule and snapped dispatch
 * windows that end an ingestion lag before each run.
 */
import { durationMs } from "../../ir/duration.js";
import type { Duration } from "../../ir/query.js";

export interface SplunkSchedule {
  readonly cron: string;
  /** False when the interval does not divide the hour (or day): runs then bunch at each boundary. */
  readonly exact: boolean;
  /** `-70m@m`: the start of the window, snapped to a minute. */
  readonly earliest: string;
  /** `-10m@m`: the end, `lag` before the run, so events still being indexed are not missed. */
  readonly latest: string;
}

/**
 * Splunk-native scheduling, as ESCU runs its detections: every run searches the `interval` that
 * ended `lag` ago, snapped to whole minutes, so consecutive runs tile time without gap or overlap
 * and late-indexed events are still seen (hourly, lag 10m: -70m@m .. -10m@m). The start minute
 * is spread per rule from its id, so a rule set does not all start at minute 0 of the hour.
 * A sequence or correlation whose events may lie `matchWindow` apart looks back that much further
 * (its windows then overlap by design: a match ending in this run's interval began up to
 * `matchWindow` earlier). Undefined for intervals that are not whole minutes.
 */
export function splunkSchedule(ruleId: string, interval: Duration, lag: Duration, matchWindow?: Duration): SplunkSchedule | undefined {
  const every = minutes(interval);
  const late = minutes(lag);
  if (every === undefined || every < 1 || late === undefined) return undefined;
  const extra = matchWindow ? Math.ceil(durationMs(matchWindow) / 60000) : 0;
  const h = spread(ruleId);
  const window = { earliest: `-${every + extra + late}m@m`, latest: late === 0 ? "@m" : `-${late}m@m` };
  if (every < 60) {
    const start = h % every;
    const exact = 60 % every === 0;
    const cron = every === 1 ? "* * * * *" : `${start}-59/${every} * * * *`;
    return { cron, exact, ...window };
  }
  const minute = h % 60;
  if (every % 60 !== 0) return { cron: `${minute} * * * *`, exact: false, ...window };
  const hours = every / 60;
  if (hours < 24) {
    const start = Math.floor(h / 60) % hours;
    return { cron: hours === 1 ? `${minute} * * * *` : `${minute} ${start}-23/${hours} * * *`, exact: 24 % hours === 0, ...window };
  }
  const hour = Math.floor(h / 60) % 24;
  if (hours === 24) return { cron: `${minute} ${hour} * * *`, exact: true, ...window };
  return { cron: `${minute} ${hour} */${Math.round(hours / 24)} * *`, exact: false, ...window };
}

/** The ingestion lag left at the end of every window unless configured (ESCU's 10 minutes). */
export const DEFAULT_LAG: Duration = { value: 10, unit: "m" };

function minutes(d: Duration): number | undefined {
  switch (d.unit) {
    case "ms":
      return d.value % 60000 === 0 ? d.value / 60000 : undefined;
    case "s":
      return d.value % 60 === 0 ? d.value / 60 : undefined;
    case "m":
      return d.value;
    case "h":
      return d.value * 60;
    case "d":
      return d.value * 1440;
  }
}

/** A stable number from a rule id (FNV-1a, 32 bits): the same id always gets the same minute. */
function spread(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Splunk alert severity: 1 debug, 2 info, 3 warning, 4 error, 5 severe, 6 fatal. */
export const ALERT_SEVERITY: Readonly<Record<string, number>> = {
  informational: 2,
  low: 3,
  medium: 4,
  high: 5,
  critical: 6,
};
