/**
 * EQL `[ ... ] with runs=N` is the same step written N times in a row (Elastic's EQL reference:
 * "runs" repeats the step's criteria successively), so a target with no `runs` form can say the
 * sequence with the step repeated. The parser bounds N (1..100), so the expansion is bounded too.
 */
import type { NodeOf, SequenceStep } from "./query.js";

export function expandRuns(q: NodeOf<"sequence">): NodeOf<"sequence"> {
  if (!q.steps.some((s) => (s.runs ?? 1) > 1)) return q;
  const steps = q.steps.flatMap((s): SequenceStep[] => {
    const { runs, ...one } = s;
    return Array.from({ length: runs ?? 1 }, () => one);
  });
  return { ...q, steps };
}
