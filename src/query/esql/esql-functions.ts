/**
 * ES|QL functions by what the reader makes of them (docs: "ES|QL functions and operators").
 */

/**
 * Conversions (functions and `::` casts) the reader follows. `string`: the IR compares a field by
 * the text of its values, so `TO_STRING(f) LIKE "…"` tests `f`. `number`: `TO_DOUBLE(f)` is the
 * number a value holds or spells, which is what IR ranges compare; `ip`: `TO_IP(f)` is the address a
 * value holds, which is what IR CIDR tests read. `integer`/`long`: `TO_INTEGER(f)`/`TO_LONG(f)`
 * round a number (or numeric text) half up, and are NULL outside their type's range (Elasticsearch
 * `DataTypeConverter.safeToInt`/`safeDoubleToLong`: `Math.round` after a range check); read only
 * compared with a number, as the bounds on `f` that say the same (esql-lower-values.ts).
 */
export type Conversion = "string" | "number" | "ip" | "integer" | "long";

export const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  to_string: "string", to_str: "string", to_keyword: "string", string: "string", keyword: "string", text: "string",
  to_double: "number", to_dbl: "number", double: "number",
  to_ip: "ip", ip: "ip",
  to_integer: "integer", to_int: "integer", integer: "integer", int: "integer",
  to_long: "long", long: "long",
};

/**
 * The values a whole-number conversion is not NULL for, as doubles: Java's range check compares
 * the double with `Integer.MIN_VALUE`/`MAX_VALUE` (`Long.…` as doubles: ±2^63).
 */
export const WHOLE_RANGE: Readonly<Record<"integer" | "long", readonly [number, number]>> = {
  integer: [-2147483648, 2147483647],
  long: [-(2 ** 63), 2 ** 63],
};

/**
 * Functions with the same meaning as an IR call (the EQL functions the IR names): the ES|QL name →
 * the IR's canonical name and the argument counts it takes. `LENGTH` is the IR's `charLength`:
 * it counts characters (code points) and is null on a multi-valued field, where EQL's `length`
 * counts UTF-16 units of each value.
 */
export const ARITH_CALLS: Readonly<Record<string, { readonly name: string; readonly min: number; readonly max: number }>> = {
  length: { name: "charLength", min: 1, max: 1 },
  concat: { name: "concat", min: 2, max: 64 },
};

/** Aggregations a correlation measures, by ES|QL name. */
export const MEASURES: Readonly<Record<string, "event_count" | "value_count" | "value_sum" | "value_avg">> = {
  count: "event_count",
  count_distinct: "value_count",
  sum: "value_sum",
  avg: "value_avg",
};
