/**
 * First- and last-seen tests after STATS, read as filtered counts (Elastic's "newly observed"
 * rules): `STATS first = MIN(@timestamp) … | WHERE DATE_DIFF("minute", first, NOW()) <= 10`.
 *
 * DATE_DIFF counts whole units of `end - start` (ES|QL docs: "the difference in multiples of
 * unit"; a part unit is dropped, towards zero), so `DATE_DIFF(u, t, NOW()) <= N` holds exactly when
 * `t > NOW() - (N + 1) u` (`< N`: `t > NOW() - N u`), also for a `t` after NOW(). Over a group:
 * - `MIN(@timestamp)` is that recent when no event of the group is older (`@timestamp <= NOW() -
 *   span` counts 0) and one has a time at all (MIN ignores NULLs; all NULL: MIN is NULL, no alert);
 * - `MAX(@timestamp)` is, when at least one event is that recent.
 * The time of the search stays in the IR as date math on `@timestamp` (`now-11m`), which ES|QL
 * writes back as `@timestamp > NOW() - 11 minutes`; targets without it refuse such a range.
 * Only these forms are read; any other use of NOW() after STATS stays `esql/time-dependent`.
 */
import { type Duration, type Query } from "../../ir/query.js";
import type { CmpOp, EsqlExpr } from "./esql-ast.js";
import { unwrapParen } from "./esql-expr-util.js";
import type { Agg, Bound } from "./esql-lower-measures.js";

/** DATE_DIFF's units (and abbreviations, as its docs list them) of a fixed length that date math also has. */
const DIFF_UNITS: ReadonlyMap<string, Duration["unit"]> = new Map<string, Duration["unit"]>([
  ["second", "s"], ["seconds", "s"], ["ss", "s"], ["s", "s"],
  ["minute", "m"], ["minutes", "m"], ["mi", "m"], ["n", "m"],
  ["hour", "h"], ["hours", "h"], ["hh", "h"],
]);

const FLIP: Readonly<Record<CmpOp, CmpOp>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

/** `@timestamp op now-<span>` as the IR's date-math range. */
export function recentRange(op: "lt" | "lte" | "gt" | "gte", span: Duration): Query {
  return { kind: "range", field: "@timestamp", op, value: { kind: "string", parts: [{ kind: "text", value: `now-${span.value}${span.unit}` }] } };
}

/**
 * `DATE_DIFF(unit, agg, NOW()) <= N` (or `< N`, either way round) where `agg` is MIN or MAX of
 * `@timestamp` over all of a group's rows: the counts that say it (see the file comment), or
 * undefined for any other condition.
 */
export function seenBounds(c: EsqlExpr, aggs: ReadonlyMap<string, Agg>): Bound[] | undefined {
  const u = unwrapParen(c);
  if (u.t !== "cmp") return undefined;
  const l = unwrapParen(u.left);
  const r = unwrapParen(u.right);
  const [diff, limit, op] = isDiff(l) ? [l, r, u.op] : isDiff(r) ? [r, l, FLIP[u.op]] : [undefined, undefined, undefined];
  if (!diff || diff.t !== "call" || limit?.t !== "lit" || limit.value.type !== "integer" || (op !== "<=" && op !== "<")) return undefined;
  const [unitArg, startArg] = diff.args.map(unwrapParen);
  const unit = unitArg?.t === "lit" && unitArg.value.type === "string" ? DIFF_UNITS.get(unitArg.value.value.toLowerCase()) : undefined;
  const agg = startArg?.t === "field" ? aggs.get(startArg.name) : undefined;
  const arg = agg?.arg ? unwrapParen(agg.arg) : undefined;
  if (!unit || !agg || (agg.fn !== "min" && agg.fn !== "max") || agg.where || arg?.t !== "field" || arg.name !== "@timestamp") return undefined;
  const n = op === "<=" ? limit.value.value + 1 : limit.value.value;
  // No whole unit is below 0: nothing is that recent, which no count of events says.
  if (!Number.isSafeInteger(n) || n < 1) return undefined;
  const span: Duration = { value: n, unit };
  const count = (name: string, rows: Query, cop: Bound["op"], value: number): Bound =>
    ({ agg: { name: `${agg.name} (${name})`, fn: "count", star: true, rows, span: agg.span }, op: cop, value, span: c.span });
  const recent = count("recent", recentRange("gt", span), "gte", 1);
  return agg.fn === "max" ? [recent] : [count("older", recentRange("lte", span), "eq", 0), recent];
}

function isDiff(e: EsqlExpr): boolean {
  if (e.t !== "call" || e.name !== "date_diff" || e.args.length !== 3) return false;
  const end = unwrapParen(e.args[2]!);
  return end.t === "call" && end.name === "now" && end.args.length === 0;
}

/**
 * `MAX(f) == MIN(f)` (Elastic's `last_time_seen == first_time_seen`): every value of `f` in the
 * group is the same one, i.e. `COUNT_DISTINCT(f) == 1`. Both ignore NULLs, and both are false when
 * `f` has no value (the comparison is NULL; the distinct count 0). Undefined for anything else.
 */
export function extremesEqual(c: EsqlExpr, aggs: ReadonlyMap<string, Agg>): Bound | undefined {
  const u = unwrapParen(c);
  if (u.t !== "cmp" || u.op !== "==") return undefined;
  const [l, r] = [unwrapParen(u.left), unwrapParen(u.right)].map((x) => (x.t === "field" ? aggs.get(x.name) : undefined));
  if (!l || !r || l.where || r.where || !l.arg || !r.arg) return undefined;
  const [max, min] = l.fn === "max" && r.fn === "min" ? [l, r] : l.fn === "min" && r.fn === "max" ? [r, l] : [undefined, undefined];
  const field = max?.arg ? unwrapParen(max.arg) : undefined;
  const other = min?.arg ? unwrapParen(min.arg) : undefined;
  if (!max || field?.t !== "field" || other?.t !== "field" || field.name !== other.name) return undefined;
  return { agg: { name: `${max.name} == ${min!.name}`, fn: "count_distinct", star: false, arg: field, span: max.span }, op: "eq", value: 1, span: c.span };
}

/** ES|QL time span literal units that date math also has (it has no milliseconds). */
const SPAN_UNITS: ReadonlyMap<string, Duration["unit"]> = new Map<string, Duration["unit"]>([
  ["s", "s"], ["sec", "s"], ["second", "s"], ["seconds", "s"],
  ["m", "m"], ["min", "m"], ["minute", "m"], ["minutes", "m"],
  ["h", "h"], ["hour", "h"], ["hours", "h"],
  ["d", "d"], ["day", "d"], ["days", "d"],
]);

const RANGE_OPS = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" } as const;
const NEGATED_OPS = { "<": "gte", "<=": "gt", ">": "lte", ">=": "lt" } as const;

/**
 * `@timestamp > NOW() - 11 minutes` (either way round) as the date-math range the ES|QL printer
 * writes for a filtered count; `holds: false` reads the comparison being false, which needs a
 * time too (a NULL `@timestamp` makes it NULL). Undefined for any other comparison.
 */
export function nowRange(e: Extract<EsqlExpr, { t: "cmp" }>, holds: boolean): Query | undefined {
  const l = unwrapParen(e.left);
  const r = unwrapParen(e.right);
  const isTime = (x: EsqlExpr) => x.t === "field" && x.name === "@timestamp";
  const [bound, op] = isTime(l) ? [r, e.op] : isTime(r) ? [l, FLIP[e.op]] : [undefined, undefined];
  if (!bound || bound.t !== "arith" || bound.op !== "-" || op === "==" || op === "!=" || op === undefined) return undefined;
  const now = unwrapParen(bound.left);
  const span = unwrapParen(bound.right);
  if (now.t !== "call" || now.name !== "now" || now.args.length !== 0 || span.t !== "timespan") return undefined;
  const unit = SPAN_UNITS.get(span.unit.toLowerCase());
  if (!unit || !Number.isSafeInteger(span.value) || span.value <= 0) return undefined;
  return recentRange(holds ? RANGE_OPS[op] : NEGATED_OPS[op], { value: span.value, unit });
}
