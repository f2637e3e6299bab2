/**
 * correlationToSequence: a Sigma `temporal_ordered` correlation is an ordered join of its rules'
 * events on the group-by keys within the timespan, which is what an EQL sequence with `maxspan`
 * says. Keys every step shares become the sequence's `by`; aliased keys stay per step.
 */
import type { CountCondition, NodeOf, Query, SequenceStep } from "../ir/query.js";

/**
 * A sequence finds all the rules in order. A temporal_ordered condition means that only when it
 * holds for "all N rules in order" and for no smaller count (the count runs 0..N); otherwise the
 * sequence would match more or less than the correlation, and this says why.
 */
export function sequenceConditionProblem(q: NodeOf<"correlation">): string | undefined {
  const n = q.rules.length;
  const holds = (k: number) => q.condition.every((c) => compareCount(c, k));
  const partial = Array.from({ length: n }, (_, k) => k).filter(holds);
  if (holds(n) && partial.length === 0) return undefined;
  const cond = q.condition.map((c) => `${c.op} ${c.value}`).join(", ");
  return holds(n)
    ? `the condition ${cond} also holds for ${partial[partial.length - 1]} of the ${n} rules in order, which a sequence (all rules in order) cannot say`
    : `the condition ${cond} never holds for ${n} rules in order, so the correlation never matches`;
}

function compareCount(c: CountCondition, k: number): boolean {
  switch (c.op) {
    case "gt":
      return k > c.value;
    case "gte":
      return k >= c.value;
    case "lt":
      return k < c.value;
    case "lte":
      return k <= c.value;
    case "eq":
      return k === c.value;
    case "neq":
      return k !== c.value;
  }
}

export function correlationToSequence(q: NodeOf<"correlation">): NodeOf<"sequence"> {
  const perStep = q.rules.map((r) => q.groupBy.map((g) => r.aliases?.[g] ?? g));
  const shared = perStep.every((keys) => keys.every((k, i) => k === perStep[0]![i]));
  const steps: SequenceStep[] = q.rules.map((r, i) => ({
    query: r.query,
    by: shared ? [] : perStep[i]!,
    ...(r.logsource ? { logsource: r.logsource } : {}),
  }));
  return {
    kind: "sequence",
    by: shared ? [...(perStep[0] ?? [])] : [],
    ...(q.timespan ? { maxspan: q.timespan } : {}),
    steps,
    ...(q.span ? { span: q.span } : {}),
  };
}

/** The OR of a correlation's rule queries: the events an event_count / value_count counts. */
export function correlationEvents(q: NodeOf<"correlation">): Query {
  const qs = q.rules.map((r) => r.query);
  return qs.length === 1 ? qs[0]! : { kind: "or", children: qs };
}
