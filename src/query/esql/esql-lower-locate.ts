/**
 * Conditions after STATS that look for a group key among the values a group gathered, and ones that
 * ask whether it gathered any (esql-lower-stats.ts reads the others):
 * - `LOCATE(MV_CONCAT(TO_STRING(v), sep), TO_STRING(k)) > 0`, `v = VALUES(f)`, `k` a group key of
 *   an ECS `ip` field (its text holds only hex digits, `.` and `:`, and `sep` none of them): the key
 *   cannot be found across a separator, so it is found exactly when some row's `f` has it as a
 *   substring, `stringContains(f, k)` on that row (the key is the same on every row of the group).
 *   `== 0` (or `NOT … > 0`) is "no such row", and MV_CONCAT of no value is NULL, so it also needs a
 *   row with `f`. A COALESCE or CASE key is each of its source fields where that one is taken.
 * - `VALUES(f) IS NOT NULL`: some row has `f`; `IS NULL`: none has.
 * Each is a filtered count of rows (`>= 1` or `<= 0`), an extra measure of the correlation.
 */
import type { Query, Span } from "../../ir/query.js";
import { ecsFieldType } from "../ecs-field-types.js";
import type { CmpOp, EsqlExpr } from "./esql-ast.js";
import { unwrapConversions, unwrapParen } from "./esql-expr-util.js";
import { ALL, mkAnd, mkOr, withSpan } from "./esql-ir-build.js";
import { type CondContext, isTrue } from "./esql-lower-cond.js";
import type { Agg, Bound } from "./esql-lower-measures.js";
import { type Form, formOf, notNull } from "./esql-lower-values.js";

interface KeyColumns {
  readonly aggs: ReadonlyMap<string, Agg>;
}

const FLIP: Readonly<Record<CmpOp, CmpOp>> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const NOT: Readonly<Record<CmpOp, CmpOp>> = { "==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<" };

/** The bounds a condition says, or undefined when it is not one of these forms. */
export function locateBounds(c: EsqlExpr, stats: KeyColumns, cx: CondContext): Bound[] | undefined {
  return valuesPresence(c, stats, cx) ?? keyAmongValues(c, stats, cx);
}

function rowsBound(name: string, rows: Query, some: boolean, span: Span): Bound {
  return { agg: { name, fn: "count", star: true, rows, span }, op: some ? "gte" : "lte", value: some ? 1 : 0, span };
}

function valuesAgg(e: EsqlExpr, stats: KeyColumns): Agg | undefined {
  const col = unwrapConversions(e);
  const agg = col.t === "field" ? stats.aggs.get(col.name) : undefined;
  return agg && agg.fn === "values" && agg.arg ? agg : undefined;
}

function rowsOf(agg: Agg, test: Query, cx: CondContext): Query {
  return mkAnd([...(agg.where ? [isTrue(agg.where, cx)] : []), test]);
}

/** `VALUES(f) IS [NOT] NULL`. */
function valuesPresence(c: EsqlExpr, stats: KeyColumns, cx: CondContext): Bound[] | undefined {
  const u = unwrapParen(c);
  if (u.t !== "isnull") return undefined;
  const agg = valuesAgg(u.operand, stats);
  if (!agg) return undefined;
  return [rowsBound(`${agg.name}_rows`, rowsOf(agg, notNull(formOf(agg.arg!, cx)), cx), u.negated, c.span)];
}

/** `LOCATE(MV_CONCAT(v, sep), k) op n`, or its negation, read as "some row's f contains k" or "none". */
function keyAmongValues(c: EsqlExpr, stats: KeyColumns, cx: CondContext): Bound[] | undefined {
  let u = unwrapParen(c);
  let negated = false;
  while (u.t === "not") {
    negated = !negated;
    u = unwrapParen(u.operand);
  }
  if (u.t !== "cmp") return undefined;
  const [loc, num, op] = isLocate(u.left) ? [u.left, u.right, u.op] : isLocate(u.right) ? [u.right, u.left, FLIP[u.op]] : [undefined, undefined, u.op];
  const n = num && unwrapParen(num);
  if (!loc || n?.t !== "lit" || n.value.type !== "integer") return undefined;
  // NOT of a comparison with NULL is NULL, as the opposite comparison is: the same test.
  const o = negated ? NOT[op] : op;
  const v = n.value.value;
  const found = (o === ">" && v === 0) || (o === ">=" && v === 1) || (o === "!=" && v === 0);
  const missing = (o === "==" && v === 0) || (o === "<" && v === 1) || (o === "<=" && v === 0);
  if (!found && !missing) return undefined;
  const call = unwrapParen(loc) as Extract<EsqlExpr, { t: "call" }>;
  const concat = unwrapParen(call.args[0]!);
  if (concat.t !== "call" || concat.name !== "mv_concat" || concat.args.length !== 2) return undefined;
  const agg = valuesAgg(concat.args[0]!, stats);
  const sep = unwrapParen(concat.args[1]!);
  if (!agg || sep.t !== "lit" || sep.value.type !== "string" || sep.value.value === "" || /[0-9A-Fa-f.:]/.test(sep.value.value)) return undefined;
  const hay = plainField(formOf(agg.arg!, cx));
  const sources = keySources(call.args[1]!, stats, cx);
  if (hay === undefined || !sources || sources.length === 0) return undefined;
  const contains = mkOr(sources.map((s) => mkAnd([s.guard, withSpan<Query>({
    kind: "predicate",
    expr: { kind: "call", name: "stringContains", caseInsensitive: false, args: [{ kind: "field", field: hay, optional: false }, { kind: "field", field: s.field, optional: false }] },
  }, c.span)])));
  const rows = rowsOf(agg, contains, cx);
  if (found) return [rowsBound(`${agg.name}_key`, rows, true, c.span)];
  return [rowsBound(`${agg.name}_rows`, rowsOf(agg, notNull(formOf(agg.arg!, cx)), cx), true, c.span), rowsBound(`${agg.name}_key`, rows, false, c.span)];
}

function isLocate(e: EsqlExpr): boolean {
  const u = unwrapParen(e);
  return u.t === "call" && u.name === "locate" && u.args.length === 2;
}

function plainField(f: Form): string | undefined {
  return f.k === "field" && f.fold === "none" && f.conv === undefined ? f.field : undefined;
}

/**
 * The fields a group key's value comes from, each where it is taken: `TO_STRING(k)` of a key `k`
 * (after STATS only keys and aggregates are columns, and the reader has put each key's source
 * expression for its name: a field, or a COALESCE or CASE of fields) whose every source is an ECS
 * ip field. Undefined otherwise.
 */
function keySources(e: EsqlExpr, stats: KeyColumns, cx: CondContext): { guard: Query; field: string }[] | undefined {
  const k = unwrapConversions(e);
  if (k.t === "field" && stats.aggs.has(k.name)) return undefined;
  const form = formOf(k, cx);
  const out: { guard: Query; field: string }[] = [];
  const walk = (f: Form, guard: Query): boolean => {
    if (f.k === "lit") return f.value.type === "null";
    if (f.k === "choice") return f.branches.every((b) => walk(b.form, mkAnd([guard, b.guard])));
    const field = plainField(f);
    if (field === undefined || ecsFieldType(field) !== "ip") return false;
    out.push({ guard, field });
    return true;
  };
  return walk(form, ALL) ? out : undefined;
}
