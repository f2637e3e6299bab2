/**
 * A threshold (per group of field values, at least N events, and optionally at least M distinct
 * values of one field) is a count correlation: `event_count >= N`, or `value_count >= M` with
 * `minEvents: N` when N is above 1 (a group has at least one event, so N = 1 says nothing more).
 * A correlation without a timespan counts over each run's look-back. Readers build it with
 * `thresholdCorrelation`; writers of threshold syntax read it back with `countThreshold`.
 */
import { slugify } from "./ids.js";
import type { CountCondition, NodeOf, Query } from "./query.js";

export interface CountThreshold {
  /** Fields whose values form the groups (none: every event in one group). */
  readonly groupBy: readonly string[];
  /** Events a group needs at least. */
  readonly events: number;
  /** Distinct values of `field` a group needs at least. */
  readonly distinct?: { readonly field: string; readonly count: number };
}

/** `thresholdCorrelation("Many kills", q, { groupBy: ["host.id"], events: 10 })` → an event_count correlation. */
export function thresholdCorrelation(ruleName: string, query: Query, t: CountThreshold): NodeOf<"correlation"> {
  const rules = [{ name: slugify(`${ruleName} events`, 70), query }];
  if (!t.distinct) return { kind: "correlation", type: "event_count", rules, groupBy: [...t.groupBy], condition: [{ op: "gte", value: t.events }] };
  return {
    kind: "correlation",
    type: "value_count",
    rules,
    groupBy: [...t.groupBy],
    condition: [{ op: "gte", value: t.distinct.count }],
    valueField: t.distinct.field,
    ...(t.events !== 1 ? { minEvents: t.events } : {}),
  };
}

/** The `>=` bound a condition list amounts to, when it is only a lower bound. */
export function lowerBound(conds: readonly CountCondition[]): number | undefined {
  if (conds.length === 0 || conds.some((c) => c.op !== "gt" && c.op !== "gte")) return undefined;
  return Math.max(...conds.map((c) => (c.op === "gt" ? c.value + 1 : c.value)));
}

/**
 * The threshold a count correlation is, when it is one: event_count or value_count with lower
 * bounds only, and every rule grouping by the same fields. Undefined otherwise.
 */
export function countThreshold(q: NodeOf<"correlation">): CountThreshold | undefined {
  if (q.type !== "event_count" && q.type !== "value_count") return undefined;
  const min = lowerBound(q.condition);
  const groupBy = sharedGroupFields(q);
  if (min === undefined || !groupBy) return undefined;
  if (q.type === "event_count") return { groupBy, events: min };
  return q.valueField ? { groupBy, events: q.minEvents ?? 1, distinct: { field: q.valueField, count: min } } : undefined;
}

/** The fields each group-by name stands for, when every rule names the same one (aliases agree). */
function sharedGroupFields(q: NodeOf<"correlation">): string[] | undefined {
  const perRule = q.groupBy.map((g) => q.rules.map((r) => r.aliases?.[g] ?? g));
  return perRule.every((fields) => fields.every((f) => f === fields[0])) ? perRule.map((fields) => fields[0] ?? "") : undefined;
}

/** The OR of a correlation's rule queries: the events an event_count / value_count counts. */
export function countedEvents(q: NodeOf<"correlation">): Query {
  const qs = q.rules.map((r) => r.query);
  return qs.length === 1 ? qs[0]! : { kind: "or", children: qs };
}
