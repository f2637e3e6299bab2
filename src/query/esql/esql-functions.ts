/**
 * ES|QL functions by what the reader makes of them (docs: "ES|QL functions and operators").
 */

/**
 * Conversions read through: the IR matches a field by the string form of its values and compares
 * numbers numerically, so `TO_STRING(f) LIKE "…"` and `TO_DOUBLE(f) > 3` say what `f` does. `TO_IP`
 * is read through because ECS address fields hold addresses (on other text it would be NULL).
 */
export const TRANSPARENT_CONVERSIONS: ReadonlySet<string> = new Set([
  "to_string", "to_str", "to_keyword", "to_ip", "to_double", "to_dbl", "to_long", "to_integer", "to_int",
]);

/** `x::type` casts read through, for the same reason. */
export const TRANSPARENT_CASTS: ReadonlySet<string> = new Set([
  "string", "keyword", "text", "ip", "double", "long", "integer", "int",
]);

/**
 * Functions with the same meaning as an IR call (the EQL functions the IR names): the ES|QL name →
 * the IR's canonical name and the argument counts it takes. `LENGTH` counts characters in both.
 */
export const ARITH_CALLS: Readonly<Record<string, { readonly name: string; readonly min: number; readonly max: number }>> = {
  length: { name: "length", min: 1, max: 1 },
  concat: { name: "concat", min: 2, max: 64 },
};

/** Aggregations a correlation measures, by ES|QL name. */
export const MEASURES: Readonly<Record<string, "event_count" | "value_count" | "value_sum" | "value_avg">> = {
  count: "event_count",
  count_distinct: "value_count",
  sum: "value_sum",
  avg: "value_avg",
};
