/** What passes and targets ask of a correlation's further measures (`extraMeasures`, `anyOf`). */
import type { CorrelationMeasure } from "./query.js";

/** Whether a measure counts a computed value (fallback fields or lower-cased values), which only ES|QL says. */
export function isComputedMeasure(m: CorrelationMeasure): boolean {
  return (m.valueFallbacks?.length ?? 0) > 0 || m.valueLowerCased === true;
}

/** The further measures each passed through `f`, in place; a list the correlation lacks stays absent. */
export function mapMeasures(
  q: { readonly extraMeasures?: readonly CorrelationMeasure[]; readonly anyOf?: readonly (readonly CorrelationMeasure[])[] },
  f: (m: CorrelationMeasure) => CorrelationMeasure,
): { extraMeasures?: CorrelationMeasure[]; anyOf?: CorrelationMeasure[][] } {
  return {
    ...(q.extraMeasures ? { extraMeasures: q.extraMeasures.map(f) } : {}),
    ...(q.anyOf ? { anyOf: q.anyOf.map((set) => set.map(f)) } : {}),
  };
}
