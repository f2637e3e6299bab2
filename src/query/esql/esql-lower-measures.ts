/**
 * The measures of a correlation read from STATS aggregates: each aggregate and its bounds (with the
 * filter it applies to its own rows), and which of several is the correlation's own. See
 * esql-lower-stats.ts.
 */
import { countHolds } from "../../ir/count-condition.js";
import type { CorrelationMeasure, CountCondition, Query, Span } from "../../ir/query.js";
import type { EsqlExpr } from "./esql-ast.js";
import { describeExpr, unwrapConversions, unwrapParen } from "./esql-expr-util.js";
import { mkAnd, refuse } from "./esql-ir-build.js";
import { type CondContext, isTrue } from "./esql-lower-cond.js";
import { formOf, notNull } from "./esql-lower-values.js";
import { MEASURES } from "./esql-functions.js";
import { isComputedMeasure } from "../../ir/correlation-measures.js";

export interface Agg {
  readonly name: string;
  readonly fn: string;
  readonly arg?: EsqlExpr;
  readonly star: boolean;
  readonly where?: EsqlExpr;
  /** `COALESCE(SUM(x), 0)`: 0 where no value adds up, as the IR's value_sum. */
  readonly zeroWhenEmpty?: boolean;
  /**
   * Set on the count this reader makes of bounds that each say "some row of the group is one of
   * these" (see `existenceRows`): the rows it counts, already read.
   */
  readonly rows?: Query;
  readonly span: Span;
}

/** `agg op number`: one bound of an aggregate. */
export interface Bound {
  readonly agg: Agg;
  readonly op: CountCondition["op"];
  readonly value: number;
  readonly span: Span;
}

export const COUNT_OPS: Readonly<Record<string, CountCondition["op"]>> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "==": "eq", "!=": "neq" };
export const FLIPPED: Readonly<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

/** Each aggregate's measure (those whose bounds always hold left out), with its position. */
export function measuresOf(groups: readonly (readonly Bound[])[], cx: CondContext): (CorrelationMeasure & { span: Span })[] {
  return groups.flatMap((g) => {
    const m = measureOf(g[0]!.agg, g.map((b) => ({ op: b.op, value: b.value })), cx);
    return m ? [{ ...m, span: g[0]!.agg.span }] : [];
  });
}

/**
 * One aggregate and its bounds as a measure, with the filter it applies to its own rows (its WHERE;
 * COUNT(x): the rows with x; `SUM(CASE(c, 1, 0))` and `MAX(CASE(c, 1, 0))`: the rows where c holds).
 * Undefined when the bounds hold whatever the rows (`MAX(CASE(c, 1, 0)) >= 0`).
 */
function measureOf(agg: Agg, condition: readonly CountCondition[], cx: CondContext): CorrelationMeasure | undefined {
  if (agg.rows) return { type: "event_count", condition, filter: agg.rows };
  const flag = agg.arg ? indicator(agg.arg) : undefined;
  const where = agg.where ? [isTrue(agg.where, cx)] : [];
  if (flag && (agg.fn === "sum" || agg.fn === "max")) {
    // SUM of 1 per row where c holds counts those rows; MAX is 1 when one exists and 0 otherwise.
    const filter = mkAnd([...where, isTrue(flag, cx)]);
    if (agg.fn === "sum") return { type: "event_count", condition, filter };
    const [one, zero] = [condition.every((c) => countHolds(c, 1)), condition.every((c) => countHolds(c, 0))];
    if (one && zero) return undefined;
    if (!one && !zero) return refuse("esql/aggregate-condition", `\`${agg.name}\` is 0 or 1, and the bound holds for neither`, agg.span);
    return { type: "event_count", condition: [one ? { op: "gte", value: 1 } : { op: "lte", value: 0 }], filter };
  }
  const type = MEASURES[agg.fn];
  if (!type) return refuse("esql/unsupported-aggregate", `the aggregate \`${agg.fn.toUpperCase()}\` has no correlation form`, agg.span, "a correlation counts events (COUNT), distinct values (COUNT_DISTINCT), or adds up (SUM) or averages (AVG) a field");
  if (agg.where && !(type === "event_count" || type === "value_count")) {
    refuse("esql/filtered-aggregate", "an aggregate with its own WHERE is a correlation only when it counts events or distinct values", agg.span);
  }
  if (type === "value_sum" && !agg.zeroWhenEmpty && condition.every((c) => countHolds(c, 0))) {
    // SUM of no number is NULL (no alert), where the IR adds up to 0 (which meets this bound).
    refuse("esql/sum-of-nothing", `\`${agg.name}\` is NULL where no value adds up, and the bound holds for the IR's 0`, agg.span, "write COALESCE(SUM(…), 0)");
  }
  if (type === "event_count") {
    // COUNT(x) counts the rows where x has a value (each value, if x has several).
    const filters = [...where, ...(!agg.star && agg.arg !== undefined ? [notNull(formOf(agg.arg, cx))] : [])];
    return { type, condition, ...(filters.length > 0 ? { filter: mkAnd(filters) } : {}) };
  }
  if (!agg.arg) return refuse("esql/unsupported-aggregate", `\`${agg.fn.toUpperCase()}\` needs a field`, agg.span);
  const inner = unwrapConversions(agg.arg, type === "value_sum" || type === "value_avg");
  if (inner.t !== "field" && type === "value_count" && condition.every(saysSome)) {
    // COUNT_DISTINCT(x) is 1 or more exactly when some row has an x: whatever x computes, the
    // bound is a count of those rows (`COUNT_DISTINCT(CASE(c, source.ip)) > 0`: a row where c
    // holds and source.ip has a value).
    return { type: "event_count", condition: [{ op: "gte", value: 1 }], filter: mkAnd([...where, notNull(formOf(agg.arg, cx))]) };
  }
  const counted = type === "value_count" && inner.t !== "field" ? countedValue(inner, cx) : undefined;
  if (counted) return { type, condition, ...counted, ...(where.length > 0 ? { filter: where[0]! } : {}) };
  if (inner.t !== "field") return refuse("esql/computed-field", `\`${agg.name}\` measures ${describeExpr(inner)}; a correlation measures a source field`, agg.span);
  return { type, condition, valueField: inner.name, ...(where.length > 0 ? { filter: where[0]! } : {}) };
}

type CountedValue = Required<Pick<CorrelationMeasure, "valueField">> & Pick<CorrelationMeasure, "valueFallbacks" | "valueLowerCased">;

/**
 * What `COUNT_DISTINCT` counts when it is `COALESCE(a, b, …)` of fields (the first that has a
 * value, all its values), `TO_LOWER` of a field, or `TO_LOWER` of such a COALESCE: an extra measure's
 * value with fallbacks and lower-casing (TO_LOWER maps over every value, as the IR's lower-casing
 * does). Undefined for anything else (`TO_UPPER` is not the same count: `ß` and `ss` are one value
 * upper-cased, two lower-cased).
 */
function countedValue(e: EsqlExpr, cx: CondContext): CountedValue | undefined {
  const u = unwrapConversions(e);
  if (u.t === "call" && u.name === "to_lower" && u.args.length === 1) {
    const inner = unwrapConversions(u.args[0]!);
    const of = inner.t === "call" && inner.name === "coalesce" ? countedValue(inner, cx) : plainField(inner, cx);
    return of === undefined ? undefined : { ...(typeof of === "string" ? { valueField: of } : of), valueLowerCased: true };
  }
  if (u.t !== "call" || u.name !== "coalesce" || u.args.length < 2) return undefined;
  const fields = u.args.map((a) => plainField(a, cx));
  if (fields.some((f) => f === undefined)) return undefined;
  const [first, ...rest] = fields as string[];
  return { valueField: first!, valueFallbacks: rest };
}

/** The field a value is, as it is (through `TO_STRING`, `JSON_EXTRACT(_source, "a.b")`). */
function plainField(e: EsqlExpr, cx: CondContext): string | undefined {
  const f = formOf(e, cx);
  return f.k === "field" && f.fold === "none" && f.conv === undefined ? f.field : undefined;
}

/** A bound on a count that holds for every count of 1 or more and not for 0 (`> 0`, `>= 1`, `!= 0`). */
function saysSome(c: CountCondition): boolean {
  return (c.op === "gt" || c.op === "gte" || c.op === "neq") && countHolds(c, 1) && !countHolds(c, 0);
}

/**
 * The rows of a group a bound asks for one of, when that is all it says: `COUNT(*) WHERE c > 0`
 * (rows where c holds), `COUNT(x) >= 1` and `COUNT_DISTINCT(x) > 0` (rows with an x),
 * `SUM(CASE(c, 1, 0)) > 0` and `MAX(CASE(c, 1, 0)) >= 1` (rows where c holds). ALL when every row
 * is one (a group has a row). Undefined when the bound says something else. An OR of such bounds
 * asks for a row of any of them: one count of the rows of the OR of their filters, which the IR
 * holds as a filtered measure (`a > 0 OR b > 0` over `a = COUNT(*) WHERE x, b = COUNT(*) WHERE y`
 * is "some row where x OR y holds").
 */
export function existenceRows(b: Bound, cx: CondContext): Query | undefined {
  const { agg } = b;
  const c = { op: b.op, value: b.value };
  if (agg.rows) return saysSome(c) ? agg.rows : undefined;
  const where = agg.where ? [isTrue(agg.where, cx)] : [];
  const flag = agg.arg ? indicator(agg.arg) : undefined;
  if (flag && agg.fn === "max") return countHolds(c, 1) && !countHolds(c, 0) ? mkAnd([...where, isTrue(flag, cx)]) : undefined;
  if (!saysSome(c)) return undefined;
  if (flag && agg.fn === "sum") return mkAnd([...where, isTrue(flag, cx)]);
  if (agg.fn !== "count" && agg.fn !== "count_distinct") return undefined;
  if (agg.fn === "count" && (agg.star || agg.arg === undefined)) return mkAnd(where);
  return agg.arg === undefined ? undefined : mkAnd([...where, notNull(formOf(agg.arg, cx))]);
}

/** `CASE(c, 1, 0)`: the condition c. */
function indicator(e: EsqlExpr): EsqlExpr | undefined {
  const c = unwrapParen(e);
  if (c.t !== "call" || c.name !== "case" || c.args.length !== 3) return undefined;
  const n = (x: EsqlExpr) => { const u = unwrapParen(x); return u.t === "lit" && u.value.type === "integer" ? u.value.value : undefined; };
  return n(c.args[1]!) === 1 && n(c.args[2]!) === 0 ? c.args[0] : undefined;
}

/**
 * The measures of several aggregates as one correlation: the first one that measures every row is
 * the correlation's own. A lone filtered measure filters the events instead, when its bound needs
 * one of them (a group with none of them never reaches it; the IR has no group of none). Otherwise,
 * with no measure over every row, the correlation's own is "one event or more", which every group
 * ES|QL forms has.
 */
export function placeMeasures(measures: readonly (CorrelationMeasure & { span: Span })[], rowFilters: Query[]): CorrelationMeasure[] {
  const lone = measures.length === 1 ? measures[0]! : undefined;
  if (lone?.filter && !isComputedMeasure(lone) && (lone.type === "event_count" || lone.type === "value_count") && !lone.condition.every((c) => countHolds(c, 0))) {
    const { filter, span: _, ...m } = lone;
    rowFilters.push(filter!);
    return [m];
  }
  const plain = measures.map(({ span: _, ...m }) => m);
  // A computed value (COALESCE, TO_LOWER) is only ever an extra measure (see CorrelationMeasure).
  const main = plain.findIndex((m) => !m.filter && !isComputedMeasure(m));
  if (main < 0) return plain.length === 0 ? [] : [{ type: "event_count", condition: [{ op: "gte", value: 1 }] }, ...plain];
  return [plain[main]!, ...plain.filter((_, i) => i !== main)];
}

