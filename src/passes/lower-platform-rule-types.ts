/**
 * lowerPlatformRuleTypes: Kibana rule types that are more than their query, for targets that have
 * no such type (Sigma, Splunk): never the bare query, which would alert on every event it matches.
 *
 * A threshold rule counts, on each run, the events its query matches over the look-back, per
 * combination of its threshold fields, and alerts where the count reaches `value` (or where
 * `cardinality.field` holds at least `cardinality.value` distinct values). That is a Sigma
 * `event_count` (or `value_count`) correlation whose timespan is the look-back.
 * A new-terms rule alerts only on values not seen in its history window, and an indicator-match
 * rule only on events that match threat indicators; neither has a form here, so both are refused.
 * Kibana filters beside the query are ANDed into it first. An ES|QL rule's query is read into the IR
 * here (read-esql-rule.ts): readers keep it as text, which only Elastic runs.
 */
import { durationFromMs, lookbackMs } from "../ir/duration.js";
import type { Query, Span } from "../ir/query.js";
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

export type RuleTypeLowering =
  | { readonly rule: Rule; readonly warnings?: readonly TypeWarning[] }
  /** `code`: PLATFORM_TYPE_ERROR unless said; `at`: a span in the query text. */
  | { readonly error: string; readonly code?: string; readonly at?: Span; readonly hint?: string };

/** The code of the error that refuses a rule whose platform rule type has no form here. */
export const PLATFORM_TYPE_ERROR = "rule/kibana-type";

/** `lowerPlatformRuleTypes(rule)`: the rule as targets without Kibana's rule types can hold it, or why not. */
export function lowerPlatformRuleTypes(input: Rule): RuleTypeLowering {
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
    case "new_terms":
      return { error: "a new-terms rule alerts only on values not seen in its history window; only Kibana has such rules, and the query alone would alert on every matching event" };
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
