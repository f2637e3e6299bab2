/**
 * correlationToSequence: a Sigma `temporal_ordered` correlation is an ordered join of its rules'
 * events on the group-by keys within the timespan, which is what an EQL sequence with `maxspan`
 * says. Keys every step shares become the sequence's `by`; aliased keys stay per step.
 */
import type { NodeOf, SequenceStep } from "../ir/query.js";

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
