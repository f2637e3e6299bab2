/**
 * Where a match counts for a rule, for transforms that widen a match (map-fields.ts): widening a
 * test the rule needs is safe, widening one under a NOT narrows the rule.
 */
import type { Query } from "../ir/query.js";

/**
 * How a match of a node counts for the rule: for it (`positive`), against it (under a NOT, in a
 * step that must be missing or that ends the sequence), or either way (a count bounded from above).
 * A transform that widens a match is sound only where it is positive: elsewhere it narrows the rule.
 */
export type Polarity = "positive" | "negative" | "both";

export const FLIP: Readonly<Record<Polarity, Polarity>> = { positive: "negative", negative: "positive", both: "both" };

/**
 * A correlation whose every bound is a lower bound on a measure more matches can only raise (a
 * count, a number of distinct values; an ordered or unordered set of steps): a wider sub-query
 * only meets it more often. A sum of any values, an average, or an upper bound can move either way.
 */
export function countsUpward(q: Extract<Query, { kind: "correlation" }>): boolean {
  const rising = (type: string) => type !== "value_sum" && type !== "value_avg";
  const lower = (c: readonly { readonly op: string }[]) => c.every((x) => x.op === "gt" || x.op === "gte");
  const measures = [...(q.extraMeasures ?? []), ...(q.anyOf ?? []).flat()];
  return rising(q.type) && lower(q.condition) && measures.every((m) => rising(m.type) && lower(m.condition));
}
