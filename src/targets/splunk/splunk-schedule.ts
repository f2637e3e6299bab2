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
 * `matchWindow` earlier). A first-seen search reads its `history` instead, which ends where the
 * window ends (as a Kibana new-terms rule's history_window_start is relative to the end of its run's
 * range): `-(history + lag)m@m`; its own window stays the last `interval` of that range. Undefined
 * for intervals (or a history) that are not whole minutes.
 */
export function splunkSchedule(ruleId: string, interval: Duration, lag: Duration, matchWindow?: Duration, history?: Duration): SplunkSchedule | undefined {
  const every = minutes(interval);
  const late = minutes(lag);
  if (every === undefined || every < 1 || late === undefined) return undefined;
  const past = history ? minutes(history) : undefined;
  if (history && past === undefined) return undefined;
  const extra = matchWindow ? Math.ceil(durationMs(matchWindow) / 60000) : 0;
  const h = spread(ruleId);
  const window = { earliest: `-${(past ?? every + extra) + late}m@m`, latest: late === 0 ? "@m" : `-${late}m@m` };
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

/** How consecutive runs' windows meet: the widest gap and the widest overlap, in minutes (0: they tile). */
export interface WindowJoins {
  readonly gap: number;
  readonly overlap: number;
}

/**
 * Runs the cron (the forms splunkSchedule writes: minute, hour and day-of-month fields of `*`, `N`,
 * `A-B/N`, `*\/N`) over a span long enough to meet every boundary it has (two days; for a
 * day-of-month step, fourteen months including a leap February), and compares the time between
 * consecutive runs with the window each run searches (`windowMinutes`). A longer time between runs
 * is a gap: events there are never searched. A shorter one is an overlap: they are searched twice,
 * and alert twice.
 */
export function windowJoins(cron: string, windowMinutes: number): WindowJoins {
  // Pure, and a rule set has a handful of schedules: each pair is run once, not once per rule.
  const key = `${cron}\n${windowMinutes}`;
  let joins = JOINS.get(key);
  if (joins === undefined) {
    joins = runJoins(cron, windowMinutes);
    if (JOINS.size < JOINS_KEPT) JOINS.set(key, joins);
  }
  return joins;
}

const JOINS = new Map<string, WindowJoins>();
const JOINS_KEPT = 1024;

function runJoins(cron: string, windowMinutes: number): WindowJoins {
  const [m0, h0, d0] = cron.split(" ");
  const minute = cronField(m0!, 0);
  const hour = cronField(h0!, 0);
  const dom = cronField(d0!, 1);
  const days = dom === "*" ? 2 : 14 * 31;
  const start = Date.UTC(2024, 0, 1);
  const runs: number[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86400000);
    if (!fieldHas(dom, day.getUTCDate())) continue;
    for (let h = 0; h < 24; h++) {
      if (!fieldHas(hour, h)) continue;
      for (let m = 0; m < 60; m++) if (fieldHas(minute, m)) runs.push((start + d * 86400000) / 60000 + h * 60 + m);
    }
  }
  let gap = 0;
  let overlap = 0;
  for (let i = 1; i < runs.length; i++) {
    const between = runs[i]! - runs[i - 1]!;
    gap = Math.max(gap, between - windowMinutes);
    overlap = Math.max(overlap, windowMinutes - between);
  }
  return { gap, overlap };
}

type CronField = "*" | { readonly from: number; readonly to: number; readonly step: number };

function cronField(f: string, min: number): CronField {
  if (f === "*") return "*";
  const m = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(f);
  if (!m) throw new Error(`cron field \`${f}\` is not one splunkSchedule writes`);
  const from = m[1] ? min : Number(m[2]);
  const to = m[1] ? Number.MAX_SAFE_INTEGER : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? Number.MAX_SAFE_INTEGER : from;
  return { from, to, step: m[4] !== undefined ? Number(m[4]) : 1 };
}

function fieldHas(f: CronField, v: number): boolean {
  if (f === "*") return true;
  return v >= f.from && v <= f.to && (v - f.from) % f.step === 0;
}
