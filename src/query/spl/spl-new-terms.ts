/**
 * First-seen combinations of values in SPL (a `newTerms` query), the way ESCU's "first time seen"
 * detections are written: the search reads the whole history up to the end of the run's window
 * (dispatch.earliest_time is the history start), groups the matching events by the fields with
 * `min(_time) as firstTime`, and keeps the groups first seen inside the run's own window:
 *
 *   <search>
 *   | stats count min(_time) as firstTime max(_time) as lastTime by user.name host.name
 *   | addinfo
 *   | where firstTime >= relative_time(info_max_time, "-60m")
 *   | fields - info_min_time info_max_time info_search_time info_sid
 *
 * The window's start is measured back from `info_max_time`, the end of the range the scheduler
 * searched (dispatch.latest_time), not from `now()`, which is when the job started: a run delayed
 * by schedule_window or skew would otherwise shift the window against the range it searched.
 * `stats … by` leaves out an event without one of the fields and splits a multi-valued field into
 * one group per value (the product over several fields), as Kibana's new-terms rule does.
 *
 * Why the window is exact: the scheduler searches [earliest, latest) = [-(history+lag)m@m,
 * -(lag)m@m), and the run's own window is its last interval, [latest - interval, latest): the very
 * range a plain rule's run searches (splunk-schedule.ts). Consecutive windows tile time, so a
 * combination first seen in one window alerts in that run, and later runs see it in their history.
 * What differs from Kibana: Kibana's window is the rule's look-back `from` (now-9m for a 5m rule,
 * overlapping the previous run's), ending at the run; here it is the interval, ending the lag before
 * the run, as for every Splunk search rulecast writes. Both histories are relative to the run:
 * Kibana resolves history_window_start against the end of the run's range, and this history ends at
 * the end of the searched range, so it reaches back the same length from the window's end. Kibana
 * measures time by the rule's timestamp field (event.ingested under timestamp_override), Splunk by `_time`.
 */
import type { Duration } from "../../ir/query.js";
import { formatDuration } from "../../ir/duration.js";
import { SEARCH_FIELD } from "./spl-tokens.js";

export interface SplFirstSeen {
  /** The fields whose combination must be new, as the rows name them. */
  readonly fields: readonly string[];
  /** The run's own window: the last this-much of the searched range. */
  readonly window: Duration;
  /**
   * `events`: the rows are events; `grouped`: they are already counted groups (tstats rows with
   * count, firstTime and lastTime, possibly split by more fields), which are merged per combination.
   */
  readonly rows: "events" | "grouped";
}

/** What the commands write into the rows: a new-terms field of such a name would be overwritten. */
const OWN_FIELDS: ReadonlySet<string> = new Set(["count", "firstTime", "lastTime", "info_min_time", "info_max_time", "info_search_time", "info_sid"]);

/** The commands after the search, or the field SPL's `by` clause cannot name. */
export function renderSplFirstSeen(plan: SplFirstSeen): { readonly text: string } | { readonly error: string } {
  const bad = plan.fields.find((f) => !SEARCH_FIELD.test(f));
  if (bad !== undefined) return { error: `the new-terms field \`${bad}\` is not a name SPL's \`by\` clause takes bare` };
  const taken = plan.fields.find((f) => OWN_FIELDS.has(f));
  if (taken !== undefined) return { error: `the new-terms field \`${taken}\` has the name of a field the first-seen search computes` };
  const measures = plan.rows === "events" ? "count min(_time) as firstTime max(_time) as lastTime" : "sum(count) as count min(firstTime) as firstTime max(lastTime) as lastTime";
  return {
    text: [
      `| stats ${measures} by ${plan.fields.join(" ")}`,
      "| addinfo",
      `| where firstTime >= relative_time(info_max_time, "-${formatDuration(plan.window)}")`,
      "| fields - info_min_time info_max_time info_search_time info_sid",
    ].join("\n"),
  };
}
