/**
 * Sigma correlations in SPL. Events of the correlated rules are tagged with the rule that matched
 * (`rc_rules`, multivalue), grouped by the group-by keys, and counted:
 * - conditions `gt`/`gte` over a timespan use `streamstats time_window=`: a sliding window, so a
 *   burst is found wherever it starts, as the Sigma specification means;
 * - `lt`/`lte`/`eq`/`neq` need the whole window's count, so they use fixed `bin _time` windows,
 *   counted only where the search range holds the whole window; the caller warns that a burst
 *   crossing a window boundary is split;
 * - `temporal_ordered` is a sequence (see spl-sequence.ts).
 * Further measures of the same groups (ES|QL `STATS c = COUNT(*), d = COUNT_DISTINCT(f) | WHERE c >=
 * 50 AND d >= 2`) are more functions of the same `stats`/`streamstats` (`rc_count_2`, …), so every
 * measure is taken over the same events of the same window; a filtered one counts only the events
 * its eval condition holds for (`eval rc_value_2=if(c, 1, null())`, `count(rc_value_2)`); an OR of sets of bounds is an OR in
 * the final `where`.
 */
import { allHold } from "../../ir/count-condition.js";
import type { CorrelationMeasure, CorrelationType, CountCondition, Duration } from "../../ir/query.js";
import type { PrintIssue } from "../print-result.js";
import { renderSplCondition } from "./spl-printer.js";
import { durationMs, formatDuration } from "../../ir/duration.js";
import { candidateSearch, renderSplSequence, type SplStep } from "./spl-sequence.js";
import { evalField } from "./spl-tokens.js";
import { isComputedMeasure } from "../../ir/correlation-measures.js";

export interface CorrelationPlan {
  readonly type: CorrelationType;
  readonly rules: readonly SplStep[];
  readonly timespan?: Duration;
  readonly condition: readonly CountCondition[];
  /** value_count: the field whose distinct values are counted; value_sum, value_avg: the field added up or averaged. */
  readonly valueField?: string;
  /** Bounds on further measures, all of which must hold too. */
  readonly extraMeasures?: readonly SplMeasure[];
  /** Sets of further bounds, at least one of which must hold whole. */
  readonly anyOf?: readonly (readonly SplMeasure[])[];
}

export interface SplMeasure {
  readonly type: "event_count" | "value_count" | "value_sum" | "value_avg";
  readonly condition: readonly CountCondition[];
  readonly valueField?: string;
  /** An exact eval condition: only the events it holds for are measured. */
  readonly filter?: string;
}

const OP: Readonly<Record<CountCondition["op"], string>> = { gt: ">", gte: ">=", lt: "<", lte: "<=", eq: "=", neq: "!=" };

/** True when the windows are fixed (`bin`), i.e. the count can miss a burst across a boundary. */
export function usesFixedWindows(plan: CorrelationPlan): boolean {
  const bounds = [...plan.condition, ...[...(plan.extraMeasures ?? []), ...(plan.anyOf ?? []).flat()].flatMap((m) => m.condition)];
  return plan.type !== "temporal_ordered" && plan.timespan !== undefined && !bounds.every((c) => c.op === "gt" || c.op === "gte");
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
  // One column per measure, even where an OR names it in several sets.
  const further = [...new Set([...(plan.extraMeasures ?? []), ...(plan.anyOf ?? []).flat()])];
  const name = (m: SplMeasure) => `rc_count_${further.indexOf(m) + 2}`;
  const measure = [`${measureOf(plan)} as rc_count`, ...further.map((m, i) => `${furtherFunction(m, i + 2)} as ${name(m)}`)].join(", ");
  // A filtered measure reads a field that holds the value only on the events its filter keeps.
  const filtered = further.flatMap((m, i) => (m.filter === undefined ? [] : [`rc_value_${i + 2}=if(${m.filter}, ${m.type === "event_count" ? "1" : (evalField(m.valueField!) ?? m.valueField!)}, null())`]));
  if (filtered.length) lines.push(`| eval ${filtered.join(", ")}`);
  const bounds = (field: string, condition: readonly CountCondition[]) => condition.map((c) => `${field}${OP[c.op]}${c.value}`);
  const sets = (plan.anyOf ?? []).map((set) => set.flatMap((m) => bounds(name(m), m.condition)).join(" AND "));
  const cond =
    [
      ...(bounds("rc_count", plan.condition).length ? bounds("rc_count", plan.condition) : ["rc_count>0"]),
      ...(plan.extraMeasures ?? []).flatMap((m) => bounds(name(m), m.condition)),
      ...(sets.length ? [`(${sets.map((s) => `(${s})`).join(" OR ")})`] : []),
    ].join(" AND ");
  // sum() over no number is null in SPL, where the IR's sum is 0: a bound that holds at 0 (`< 5`) needs the 0.
  const atZero = (condition: readonly CountCondition[]) => condition.length > 0 && allHold(condition, 0);
  const sums = [
    ...(plan.type === "value_sum" && atZero(plan.condition) ? ["rc_count"] : []),
    ...further.filter((m) => m.type === "value_sum" && atZero(m.condition)).map(name),
  ];
  const by = keys.map((k) => k.name);
  if (plan.timespan && !usesFixedWindows(plan)) {
    lines.push("| sort 0 _time");
    lines.push(`| streamstats time_window=${splunkSpan(plan.timespan)} ${measure}${by.length ? ` by ${by.join(", ")}` : ""}`);
  } else if (plan.timespan) {
    lines.push(`| bin _time span=${splunkSpan(plan.timespan)}`);
    // Only windows wholly inside the search range: the first and last are cut by its edges, and a
    // cut window's smaller count would satisfy lt/lte/neq falsely (addinfo gives the range).
    lines.push(`| addinfo`);
    lines.push(`| where _time>=info_min_time AND _time+${Math.ceil(durationMs(plan.timespan) / 1000)}<=info_max_time`);
    lines.push(`| stats ${measure} by ${["_time", ...by].join(", ")}`);
  } else {
    lines.push(`| stats ${measure}${by.length ? ` by ${by.join(", ")}` : ""}`);
  }
  if (sums.length) lines.push(`| eval ${sums.map((f) => `${f}=coalesce(${f}, 0)`).join(", ")}`);
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

/** A field name a stats function takes as written (`dc(agent.id)`): nothing that could end its argument. */
const STATS_FIELD = /^[A-Za-z_@][A-Za-z0-9_.@]*$/;
/** A field name a `by` clause takes as written: nothing that could end the clause or the command. */
const BY_FIELD = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;

/**
 * Why a correlation's measured field or group key cannot be written as a stats argument (a rule's
 * `group-by: ['k | delete']` would otherwise write a command), or undefined.
 */
export function statsFieldProblem(name: string, role: "measured" | "key"): string | undefined {
  if ((role === "key" ? BY_FIELD : STATS_FIELD).test(name)) return undefined;
  return `the ${role === "key" ? "key" : "measured"} field \`${name}\` cannot be written in a stats ${role === "key" ? "`by` clause" : "function"}`;
}

/** A further measure of a correlation's groups, its filter as an exact eval condition. */
export function furtherMeasure(m: CorrelationMeasure): { measure: SplMeasure; issues: readonly PrintIssue[] } {
  const issues: PrintIssue[] = [];
  if (isComputedMeasure(m)) {
    // SPL's coalesce and lower have their own rules for several values and for letters beyond ASCII.
    issues.push({ severity: "error", code: "splunk/computed-measure", reason: `the ${m.type} measure counts ${m.valueLowerCased ? "lower-cased values" : "the first of several fields that has a value"}, which this search does not say`, node: m.filter ?? { kind: "all" } });
  }
  const bad = m.type === "event_count" ? undefined : statsFieldProblem(m.valueField ?? "", "measured");
  if (bad) issues.push({ severity: "error", code: "splunk/field-name", reason: bad, node: m.filter ?? { kind: "all" } });
  let filter: string | undefined;
  if (m.filter) {
    const c = renderSplCondition(m.filter);
    issues.push(...c.issues);
    filter = c.text;
  }
  return { measure: { type: m.type, condition: m.condition, ...(m.valueField ? { valueField: m.valueField } : {}), ...(filter !== undefined ? { filter } : {}) }, issues };
}

/**
 * The stats function of a further measure; a filtered one reads `rc_value_<i>`, which holds the
 * value only where the filter holds (`if` takes a null condition as false; the functions skip nulls).
 */
function furtherFunction(m: SplMeasure, i: number): string {
  const field = m.filter ? `rc_value_${i}` : (m.valueField ?? "_raw");
  if (m.type === "event_count") return m.filter ? `count(${field})` : "count";
  return `${FN[m.type]}(${field})`;
}

const FN = { value_count: "dc", value_sum: "sum", value_avg: "avg" } as const;

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
