/**
 * Elastic schedules in Splunk terms: "runs every" → cron, "searches from" → dispatch times.
 */
import type { Duration } from "../../ir/query.js";

export type CronResult = { readonly cron: string; readonly exact: boolean };

/**
 * Cron for an interval. Step values (`*\/7`) restart at each hour/day boundary, so an interval
 * that does not divide the hour (or day) runs a little more often there: `exact` says so.
 */
export function cronFor(d: Duration): CronResult | undefined {
  switch (d.unit) {
    case "ms":
    case "s":
      if (d.unit === "s" && d.value % 60 === 0) return cronFor({ value: d.value / 60, unit: "m" });
      return undefined;
    case "m":
      if (d.value % 60 === 0) return cronFor({ value: d.value / 60, unit: "h" });
      if (d.value === 1) return { cron: "* * * * *", exact: true };
      return { cron: `*/${d.value} * * * *`, exact: 60 % d.value === 0 };
    case "h":
      if (d.value % 24 === 0) return cronFor({ value: d.value / 24, unit: "d" });
      if (d.value === 1) return { cron: "0 * * * *", exact: true };
      return { cron: `0 */${d.value} * * *`, exact: 24 % d.value === 0 };
    case "d":
      if (d.value === 1) return { cron: "0 0 * * *", exact: true };
      return { cron: `0 0 */${d.value} * *`, exact: false };
  }
}

/** `now-9m` → `-9m`, `now` → `now`; undefined for date math Splunk time modifiers do not share. */
export function splunkTime(dateMath: string): string | undefined {
  if (dateMath === "now" || dateMath === "") return "now";
  const m = /^now-(\d+)([smhd])$/.exec(dateMath);
  return m ? `-${m[1]}${m[2]}` : undefined;
}

/** Splunk alert severity: 1 debug, 2 info, 3 warning, 4 error, 5 severe, 6 fatal. */
export const ALERT_SEVERITY: Readonly<Record<string, number>> = {
  informational: 2,
  low: 3,
  medium: 4,
  high: 5,
  critical: 6,
};
