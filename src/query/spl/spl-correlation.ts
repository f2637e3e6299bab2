/**
 * Sigma correlations in SPL. Events of the correlated rules are tagged with the rule that matched
 * (`rc_rules`, multivalue), grouped by the group-by keys, and counted:
 * - conditions `gt`/`gte` over a timespan use `streamstats time_window=`: a sliding window, so a
 *   burst is found wherever it starts, as the Sigma specification means;
 * - `lt`/`lte`/`eq`/`neq` need the whole window's count, so they use fixed `bin _time` windows,
 *   counted only where the search range holds the whole window; the caller warns that a burst
 *   crossing a window boundary is split;
 * - `temporal_ordered` is a sequence (see spl-sequence.ts).
 */
import type { CorrelationType, CountCondition, Duration } from "../../ir/query.js";
import { durationMs, formatDuration } from "../../ir/duration.js";
import { candidateSearch, renderSplSequence, type SplStep } from "./spl-sequence.js";
import { evalField } from "./spl-tokens.js";

export interface CorrelationPlan {
  readonly type: CorrelationType;
  readonly rules: readonly SplStep[];
  readonly timespan?: Duration;
  readonly condition: readonly CountCondition[];
  /** value_count: the field whose distinct values are counted; value_sum, value_avg: the field added up or averaged. */
  readonly valueField?: string;
}

const OP: Readonly<Record<CountCondition["op"], string>> = { gt: ">", gte: ">=", lt: "<", lte: "<=", eq: "=", neq: "!=" };

/** True when the windows are fixed (`bin`), i.e. the count can miss a burst across a boundary. */
export function usesFixedWindows(plan: CorrelationPlan): boolean {
  return plan.type !== "temporal_ordered" && plan.timespan !== undefined && !plan.condition.every((c) => c.op === "gt" || c.op === "gte");
}

export function renderSplCorrelation(plan: CorrelationPlan): string {
  if (plan.type === "temporal_ordered") {
    return renderSplSequence({ steps: plan.rules, ...(plan.timespan ? { maxspan: plan.timespan } : {}) });
  }
  const lines: string[] = [];
  lines.push(candidateSearch(plan.rules));
  // A multivalue list of the rules each event meets: one event can count for several rules.
  lines.push(`| eval rc_rules=mvappend(${plan.rules.map((r, i) => `if(${r.condition}, "${i + 1}", null())`).join(", ")})`);
  lines.push("| where isnotnull(rc_rules)");
  const keys = groupKeys(plan.rules, lines);
  if (keys.length > 0) lines.push(`| where ${keys.map((k) => `isnotnull(${k.ref})`).join(" AND ")}`);
  const measure = measureOf(plan);
  const cond = plan.condition.map((c) => `rc_count${OP[c.op]}${c.value}`).join(" AND ") || "rc_count>0";
  const by = keys.map((k) => k.name);
  if (plan.timespan && !usesFixedWindows(plan)) {
    lines.push("| sort 0 _time");
    lines.push(`| streamstats time_window=${splunkSpan(plan.timespan)} ${measure} as rc_count${by.length ? ` by ${by.join(", ")}` : ""}`);
  } else if (plan.timespan) {
    lines.push(`| bin _time span=${splunkSpan(plan.timespan)}`);
    // Only windows wholly inside the search range: the first and last are cut by its edges, and a
    // cut window's smaller count would satisfy lt/lte/neq falsely (addinfo gives the range).
    lines.push(`| addinfo`);
    lines.push(`| where _time>=info_min_time AND _time+${Math.ceil(durationMs(plan.timespan) / 1000)}<=info_max_time`);
    lines.push(`| stats ${measure} as rc_count by ${["_time", ...by].join(", ")}`);
  } else {
    lines.push(`| stats ${measure} as rc_count${by.length ? ` by ${by.join(", ")}` : ""}`);
  }
  lines.push(`| where ${cond}`);
  return lines.join("\n");
}

/** What the window measures; sum and avg read numbers (and numeric strings) only, as the IR's evaluator does. */
function measureOf(plan: CorrelationPlan): string {
  const field = plan.valueField ?? "_raw";
  switch (plan.type) {
    case "event_count":
      return "count";
    case "value_count":
      return `dc(${field})`;
    case "value_sum":
      return `sum(${field})`;
    case "value_avg":
      return `avg(${field})`;
    case "temporal":
    case "temporal_ordered":
      return "dc(rc_rules)";
  }
}

/** Splunk time spans use the same units; milliseconds become seconds (rounded up). */
function splunkSpan(d: Duration): string {
  return d.unit === "ms" ? `${Math.ceil(durationMs(d) / 1000)}s` : formatDuration(d);
}

function groupKeys(rules: readonly SplStep[], lines: string[]): { name: string; ref: string }[] {
  const width = rules[0]?.keys.length ?? 0;
  const out: { name: string; ref: string }[] = [];
  for (let i = 0; i < width; i++) {
    const fields = rules.map((r) => r.keys[i] ?? "");
    if (fields.every((f) => f === fields[0])) {
      out.push({ name: fields[0]!, ref: evalField(fields[0]!) ?? fields[0]! });
      continue;
    }
    const name = `rc_group_${i + 1}`;
    lines.push(`| eval ${name}=case(${fields.map((f, r) => `mvfind(rc_rules, "^${r + 1}$")>=0, ${evalField(f) ?? f}`).join(", ")})`);
    out.push({ name, ref: name });
  }
  return out;
}
