/**
 * When a `temporal_ordered` correlation means what a sequence means (every rule, in order), and
 * why not otherwise.
 */
import { countHolds } from "./count-condition.js";
import type { NodeOf } from "./query.js";

/**
 * A sequence finds all the rules in order. A temporal_ordered condition means that only when it
 * holds for "all N rules in order" and for no smaller count (the count runs 0..N); otherwise the
 * sequence would match more or less than the correlation, and this says why.
 */
export function sequenceConditionProblem(q: NodeOf<"correlation">): string | undefined {
  const n = q.rules.length;
  const holds = (k: number) => q.condition.every((c) => countHolds(c, k));
  const partial = Array.from({ length: n }, (_, k) => k).filter(holds);
  if (holds(n) && partial.length === 0) return undefined;
  const cond = q.condition.map((c) => `${c.op} ${c.value}`).join(", ");
  return holds(n)
    ? `the condition ${cond} also holds for ${partial[partial.length - 1]} of the ${n} rules in order, which a sequence (all rules in order) cannot say`
    : `the condition ${cond} never holds for ${n} rules in order, so the correlation never matches`;
}
