/**
 * lowerPlatformRuleTypes: Kibana rule types that are more than their query, for targets that have
 * no such type (Sigma, Splunk): never the bare query, which would alert on every event it matches.
 *
 * A threshold rule counts, on each run, the events its query matches over the look-back, per
 * combination of its threshold fields, and alerts where the count reaches `value` (or where
 * `cardinality.field` holds at least `cardinality.value` distinct values). That is a Sigma
 * `event_count` (or `value_count`) correlation whose timespan is the look-back.
 * A new-terms rule alerts only on combinations of values not seen in its history window: for a
 * target that declares it can search first-seen values it becomes a `newTerms` query (the rule's
 * query, its fields and the history as a fixed length); every other target refuses it. An
 * indicator-match rule alerts only on events that match threat indicators; it has no form here.
 * Kibana filters beside the query are ANDed into it first. An ES|QL rule's query is read into the IR
 * here (read-esql-rule.ts): readers keep it as text, which only Elastic runs.
 */
import { checkDuration, durationFromMs, durationMs, lookbackMs } from "../ir/duration.js";
import type { Duration, Query, Span } from "../ir/query.js";
import type { Rule } from "../ir/rule.js";
import { isEsqlText, readEsqlRule } from "./read-esql-rule.js";

export interface TypeWarning {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** `warning` unless said. */
  readonly severity?: "info" | "warning";
  /** Where in the query text it is about; the query as a whole otherwise. */
  readonly at?: Span;
}

/**
 * `byTarget`: the refusal is the target's (another target may say the rule), so its name belongs in the message.
 * `code`: PLATFORM_TYPE_ERROR unless said; `at`: a span in the query text.
 */
export type RuleTypeLowering =
  | { readonly rule: Rule; readonly warnings?: readonly TypeWarning[] }
  | { readonly error: string; readonly byTarget?: boolean; readonly code?: string; readonly at?: Span; readonly hint?: string };

/** The code of the error that refuses a rule whose platform rule type has no form here. */
export const PLATFORM_TYPE_ERROR = "rule/kibana-type";

/** What the target can search besides boolean queries, sequences and correlations (its `lowerPlatformRuleTypes` rewrite says). */
export interface PlatformTypeSupport {
  /** First-seen combinations of values (a `newTerms` query). */
  readonly newTerms?: boolean;
}

/** Kibana's limit on new_terms_fields (its rule schema: 1 to 3 fields). */
const MAX_NEW_TERMS_FIELDS = 3;

/** `lowerPlatformRuleTypes(rule)`: the rule as targets without Kibana's rule types can hold it, or why not. */
export function lowerPlatformRuleTypes(input: Rule, support: PlatformTypeSupport = {}): RuleTypeLowering {
  if (isEsqlText(input)) {
    // Read first: Kibana filters, if any, join the IR read, not the text.
    const read = readEsqlRule(input);
    if ("error" in read) return read;
    const filtered = withSideFilters(read.rule);
    return "error" in filtered ? filtered : { rule: filtered.rule, warnings: [...read.notes, ...(filtered.warnings ?? [])] };
  }
  const filtered = withSideFilters(input);
  if ("error" in filtered) return filtered;
  const rule = filtered.rule;
  switch (rule.type) {
    case "new_terms": {
      if (!support.newTerms) {
        return { error: "a new-terms rule alerts only on values not seen in its history window; this target has no first-seen search, and the query alone would alert on every matching event", byTarget: true };
      }
      const lowered = newTermsQuery(rule);
      return "error" in lowered ? lowered : { ...lowered, ...(filtered.warnings ? { warnings: filtered.warnings } : {}) };
    }
    case "threat_match":
      return { error: "an indicator-match rule alerts only on events that match threat indicators; only Kibana has such rules, and the query alone would alert on every candidate event" };
    case "saved_query":
      // Kibana runs the saved query the rule names; `query` is at most a copy of it.
      if (rule.queryText.trim() === "") return { error: "a saved-query rule without its query: Kibana keeps the query in a saved object, and an empty query would match every event" };
      return { rule, warnings: [...(filtered.warnings ?? []), { code: "rule/kibana-saved-query", message: "a saved-query rule: Kibana runs the saved query it names, and this is the copy the rule carries, which may have changed since" }] };
    default: {
      const counted = thresholdAsCorrelation(rule);
      return "error" in counted ? counted : { ...counted, ...(filtered.warnings ? { warnings: filtered.warnings } : {}) };
    }
  }
}

/**
 * The new-terms settings as a `newTerms` query, or the detail that no fixed search can say: more
 * fields than Kibana takes, a history start that is not a fixed offset (`now-7d/d` rounds with the
 * calendar, an absolute date does not move with the runs), or one that Kibana itself rejects
 * because it does not reach back past the look-back.
 */
function newTermsQuery(rule: Rule): RuleTypeLowering {
  const nt = rule.newTerms;
  if (!nt) return { error: "a new-terms rule without a list of new_terms_fields and a history_window_start string: the first-seen search has nothing to group by or compare with" };
  const n = nt.fields.length;
  if (n === 0 || n > MAX_NEW_TERMS_FIELDS) return { error: `the new-terms rule has ${n} new_terms_fields; Kibana takes 1 to ${MAX_NEW_TERMS_FIELDS}, and rulecast does not guess which were meant` };
  const twice = nt.fields.find((f, i) => nt.fields.indexOf(f) !== i);
  if (twice !== undefined) return { error: `new_terms_fields names \`${twice}\` twice` };
  const history = fixedOffset(nt.historyStart);
  if ("error" in history) return history;
  const look = lookbackMs(rule.schedule.from, rule.schedule.to);
  if (look !== undefined && durationMs(history.duration) <= look) {
    return { error: `history_window_start ${nt.historyStart} does not reach back past the look-back ${rule.schedule.from}; Kibana rejects such a rule, and no value could be new` };
  }
  const q = rule.query;
  if (q.kind === "sequence" || q.kind === "sample" || q.kind === "correlation" || q.kind === "pipe" || q.kind === "newTerms") {
    return { error: `a new-terms rule over a ${q.kind} query: Kibana groups the events of a boolean query` };
  }
  return { rule: { ...rule, query: { kind: "newTerms", query: q, fields: nt.fields, history: history.duration } } };
}

/** `now-7d` → 7 days; anything else is no fixed offset from the run. */
function fixedOffset(text: string): { readonly duration: Duration } | { readonly error: string } {
  const m = /^now-(\d+)([smhd])$/.exec(text);
  if (!m) return { error: `history_window_start \`${text}\` is not a fixed offset such as now-7d (rounding or an absolute date moves the history against the runs), which a scheduled search cannot say` };
  const d = checkDuration(m[1]!, m[2] as Duration["unit"]);
  return d.ok ? { duration: d.duration } : { error: `history_window_start \`${text}\`: ${d.problem}` };
}

/** Kibana filters beside the query become part of it (of a threshold's counted events): the query alone would match more. */
function withSideFilters(rule: Rule): RuleTypeLowering {
  const f = rule.sideFilters;
  if (!f) return { rule };
  if (f.unsupported) return { error: `the rule has Kibana filters beside its query, and one is ${f.unsupported}, which rulecast does not read; the query alone would match more` };
  const { sideFilters: _applied, ...rest } = rule;
  const warnings = f.elsewhere ? [{ code: "rule/kibana-exceptions", message: `exclusions kept in Kibana (${f.elsewhere}) are not converted: the rule also matches what they exclude` }] : [];
  const filter = f.query;
  const and = (q: Query): Query => (filter ? { kind: "and", children: [q, filter] } : q);
  const query: Query = rule.query.kind === "correlation" ? { ...rule.query, rules: rule.query.rules.map((r) => ({ ...r, query: and(r.query) })) } : and(rule.query);
  return { rule: { ...rest, query }, ...(warnings.length ? { warnings } : {}) };
}

/**
 * A threshold counts over each run's look-back (a correlation without a timespan): the timespan
 * becomes the look-back. A group's event count beside its distinct count is not a correlation's.
 */
function thresholdAsCorrelation(rule: Rule): RuleTypeLowering {
  const q = rule.query;
  if (q.kind !== "correlation" || q.timespan) return { rule };
  const look = lookbackMs(rule.schedule.from, rule.schedule.to);
  if (look === undefined || look % 1000 !== 0) {
    return { error: `the threshold counts over the look-back ${rule.schedule.from}..${rule.schedule.to}, which has no fixed length a correlation timespan can take` };
  }
  if (q.minEvents !== undefined && q.minEvents > 1) {
    const distinct = q.condition[0]?.value;
    return { error: `the threshold needs both ${q.minEvents} events and ${distinct} distinct \`${q.valueField}\` values per group; a correlation holds one count` };
  }
  const { minEvents: _implied, ...counted } = q;
  return { rule: { ...rule, query: { ...counted, timespan: durationFromMs(look) } } };
}
