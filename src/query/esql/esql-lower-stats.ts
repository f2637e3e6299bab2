/**
 * `STATS … BY` and the WHERE after it, read as a correlation: the aggregates by name, the group
 * keys (a time bucket among them is the timespan; COALESCE and CASE keys of fields by their
 * sources), and the bounds on the aggregates (measures: esql-lower-measures.ts; kinds of events
 * and counts of rules: esql-lower-kinds.ts). See esql-lower.ts for the mapping.
 */
import type { CorrelationMeasure, CorrelationType, CountCondition, Duration, Query, Span } from "../../ir/query.js";
import type { EsqlCommand, EsqlExpr, EsqlField } from "./esql-ast.js";
import { describeExpr, splitAnd, subst, unwrapConversions, unwrapParen, visit } from "./esql-expr-util.js";
import { ALL, mkAnd, mkOr, refuse } from "./esql-ir-build.js";
import { type CondContext, isTrue } from "./esql-lower-cond.js";
import { categories, kindsCorrelation, type RuleCount, ruleCountBound, ruleCountCorrelation } from "./esql-lower-kinds.js";
import { extremesEqual, seenBounds } from "./esql-lower-seen.js";
import { locateBounds } from "./esql-lower-locate.js";
import { type Agg, type Bound, COUNT_OPS, existenceRows, FLIPPED, measuresOf, placeMeasures } from "./esql-lower-measures.js";
import { isComputedMeasure } from "../../ir/correlation-measures.js";

export interface Stats {
  readonly aggs: ReadonlyMap<string, Agg>;
  readonly groupBy: readonly string[];
  /** Each key's column name (`Esql.ip` in `BY Esql.ip = TO_IP(source.ip)`) → its source field. */
  readonly keyNames: ReadonlyMap<string, string>;
  /**
   * Keys `COALESCE(a, b, …)` of fields, by column name (which is then their name in `groupBy`):
   * the fields in order. An event's key is the first that has a value.
   */
  readonly coalesced: ReadonlyMap<string, { readonly fields: readonly KeySource[]; readonly expr: EsqlExpr }>;
  readonly timespan?: Duration;
  readonly span: Span;
}

export function readStats(cmd: Extract<EsqlCommand, { t: "stats" }>, env: ReadonlyMap<string, EsqlExpr>, text: string): Stats {
  const aggs = new Map<string, Agg>();
  for (const { field, where } of cmd.aggs) {
    let e = unwrapParen(field.expr);
    const name = field.name ?? text.slice(field.span.start, field.span.end);
    const [inner, zero] = e.t === "call" && e.name === "coalesce" && e.args.length === 2 ? [unwrapParen(e.args[0]!), e.args[1]] : [undefined, undefined];
    const zeroWhenEmpty = inner?.t === "call" && inner.name === "sum" && zero?.t === "lit" && (zero.value.type === "integer" || zero.value.type === "decimal") && zero.value.value === 0;
    if (zeroWhenEmpty && inner) e = inner;
    if (e.t !== "call") {
      aggs.set(name, { name, fn: "?", star: false, span: field.span });
      continue;
    }
    const arg = e.args[0];
    aggs.set(name, {
      name,
      fn: e.name,
      star: e.star,
      ...(arg ? { arg: subst(arg, env) } : {}),
      ...(where ? { where: subst(where, env) } : {}),
      ...(zeroWhenEmpty ? { zeroWhenEmpty } : {}),
      span: field.span,
    });
  }
  const groupBy: string[] = [];
  const keyNames = new Map<string, string>();
  const coalesced = new Map<string, { fields: KeySource[]; expr: EsqlExpr }>();
  let timespan: Duration | undefined;
  for (const key of cmd.by) {
    const bucket = timeBucket(subst(key.expr, env));
    if (bucket) {
      if (timespan) refuse("esql/group-key", "two time buckets in one STATS", key.span);
      timespan = bucket;
      continue;
    }
    const e = unwrapParen(key.expr);
    const alternatives = coalescedFields(subst(key.expr, env));
    if (alternatives && key.name === undefined && e.t !== "field") refuse("esql/group-key", "a COALESCE key needs a column name (`BY k = COALESCE(a, b)`)", key.span);
    if (alternatives) {
      const name = key.name ?? (e.t === "field" ? e.name : "");
      groupBy.push(name);
      coalesced.set(name, { fields: alternatives, expr: subst(key.expr, env) });
      continue;
    }
    const field = groupField(key, env);
    groupBy.push(field);
    keyNames.set(key.name ?? (e.t === "field" ? e.name : field), field);
  }
  return { aggs, groupBy, keyNames, coalesced, ...(timespan ? { timespan } : {}), span: cmd.span };
}

/**
 * A source of a key computed from fields: the field, and when it is taken. In a COALESCE, a
 * source is taken when `when` (if any: `CASE(when, field, null)`) holds and the field has a
 * value, else the next one is tried; in a CASE (`byCondition`), when its condition holds, value or
 * not (a NULL key then).
 */
export interface KeySource {
  /** Undefined: a CASE branch whose value is NULL. */
  readonly field?: string;
  readonly when?: EsqlExpr;
  readonly byCondition?: boolean;
}

/**
 * `COALESCE(a, TO_IP(b), CASE(c, d, null), …)` or `CASE(c1, a, c2, b[, d])` of fields: where each
 * key value comes from.
 */
function coalescedFields(e: EsqlExpr): KeySource[] | undefined {
  const c = unwrapConversions(e);
  if (c.t === "call" && c.name === "case" && c.args.length >= 2) {
    const sources: KeySource[] = [];
    for (let i = 0; i < c.args.length; i += 2) {
      const last = i === c.args.length - 1;
      const value = unwrapConversions(last ? c.args[i]! : c.args[i + 1]!);
      const nothing = value.t === "lit" && value.value.type === "null";
      if (value.t !== "field" && !nothing) return undefined;
      sources.push({ ...(value.t === "field" ? { field: value.name } : {}), ...(last ? {} : { when: c.args[i]! }), byCondition: true });
    }
    return sources.some((x) => x.field !== undefined) ? sources : undefined;
  }
  if (c.t !== "call" || c.name !== "coalesce" || c.args.length < 2) return undefined;
  const sources: KeySource[] = [];
  for (const a of c.args) {
    const x = unwrapConversions(a);
    if (x.t === "field") {
      sources.push({ field: x.name });
      continue;
    }
    const [when, value, otherwise] = x.t === "call" && x.name === "case" && (x.args.length === 2 || x.args.length === 3) ? x.args.map((y) => unwrapConversions(y)) : [];
    if (!when || value?.t !== "field" || (otherwise && !(otherwise.t === "lit" && otherwise.value.type === "null"))) return undefined;
    sources.push({ field: value.name, when });
  }
  return sources;
}

function groupField(key: EsqlField, env: ReadonlyMap<string, EsqlExpr>): string {
  const e = unwrapConversions(subst(key.expr, env));
  if (e.t !== "field") return refuse("esql/group-key", `the group key ${describeExpr(e)} is computed; the IR groups by source fields`, key.span);
  return e.name;
}

const UNITS: ReadonlyMap<string, Duration["unit"] | [Duration["unit"], number]> = new Map<string, Duration["unit"] | [Duration["unit"], number]>([
  ["ms", "ms"], ["millisecond", "ms"], ["milliseconds", "ms"],
  ["s", "s"], ["sec", "s"], ["second", "s"], ["seconds", "s"],
  ["m", "m"], ["min", "m"], ["minute", "m"], ["minutes", "m"],
  ["h", "h"], ["hour", "h"], ["hours", "h"],
  ["d", "d"], ["day", "d"], ["days", "d"],
  ["w", ["d", 7]], ["week", ["d", 7]], ["weeks", ["d", 7]],
]);

/** A time span constant of fixed length (`1 hour`, `90m`) as a duration; undefined for months, years, … */
export function spanDuration(a: Extract<EsqlExpr, { t: "timespan" }>): Duration | undefined {
  const unit = UNITS.get(a.unit);
  if (unit === undefined || a.value <= 0) return undefined;
  return Array.isArray(unit) ? { value: a.value * unit[1], unit: unit[0] } : { value: a.value, unit };
}

/** `DATE_TRUNC(5 minutes, @timestamp)` or `BUCKET(@timestamp, 5 minutes)` → 5m. */
function timeBucket(e: EsqlExpr): Duration | undefined {
  const c = unwrapParen(e);
  if (c.t !== "call" || c.args.length !== 2) return undefined;
  const [a, b] = c.name === "date_trunc" ? c.args : c.name === "bucket" || c.name === "tbucket" ? [c.args[1], c.args[0]] : [];
  if (a?.t !== "timespan" || b?.t !== "field" || b.name !== "@timestamp") return undefined;
  const unit = UNITS.get(a.unit);
  if (unit === undefined) return refuse("esql/group-key", `unknown time unit \`${a.unit}\``, a.span);
  return Array.isArray(unit) ? { value: a.value * unit[1], unit: unit[0] } : { value: a.value, unit };
}

export interface Measured {
  readonly type: CorrelationType;
  /** An OR of sets of bounds, one of which must hold too. */
  readonly anyOf?: readonly (readonly CorrelationMeasure[])[];
  readonly condition: readonly CountCondition[];
  readonly valueField?: string;
  /** Bounds on further aggregates of the same groups (`COUNT(*) >= 50 AND COUNT_DISTINCT(f) >= 2`). */
  readonly extraMeasures?: readonly CorrelationMeasure[];
  /** Conditions on group keys, and the aggregate's own `WHERE`: filters on the events. */
  readonly rowFilters: readonly Query[];
  /** `temporal`: each rule's own filter (the `WHERE` of its `COUNT(*) WHERE …`), by name. */
  readonly ruleFilters?: readonly { readonly name: string; readonly query: Query }[];
  /**
   * Conditions before STATS that every rule's own filter implies (`WHERE kind != ""` beside the
   * kinds of a CASE): left out of the rules' common filter, which would repeat them in each.
   */
  readonly implied?: readonly EsqlExpr[];
}

/** The WHERE after STATS: bounds on aggregates, and tests of group keys. */
export function readCondition(post: readonly EsqlExpr[], stats: Stats, cx: CondContext, pre: readonly EsqlExpr[] = []): Measured {
  const conjuncts = post.flatMap(splitAnd);
  const bounds: Bound[] = [];
  let alternatives: { sets: Bound[][]; span: Span } | undefined;
  const ruleCounts: RuleCount[] = [];
  const keyTests: Query[] = [];
  for (const c of conjuncts) {
    const seen = seenBounds(c, stats.aggs);
    if (seen) {
      bounds.push(...seen);
      continue;
    }
    const same = extremesEqual(c, stats.aggs);
    if (same) {
      bounds.push(same);
      continue;
    }
    const now = callNamed(c, "now");
    if (now) refuse("esql/time-dependent", "the condition compares with the time of the search (`NOW()`), which the IR cannot hold", now.span);
    const refs = aggregateRefs(c, stats);
    if (refs.size === 0) {
      const keys = new Set(stats.groupBy);
      if (!onlyKeys(c, keys)) refuse("esql/aggregate-condition", "this condition after STATS uses a value that is neither an aggregate nor a group key", c.span);
      keyTests.push(isTrue(c, cx));
      continue;
    }
    const rc = ruleCountBound(c, stats.aggs);
    if (rc) {
      ruleCounts.push(rc);
      continue;
    }
    const some = someRowBound(c, stats, cx);
    if (some === "always") continue;
    if (some) {
      bounds.push(some);
      continue;
    }
    const located = locateBounds(c, stats, cx);
    if (located) {
      bounds.push(...located);
      continue;
    }
    const equal = valuesEqual(c, stats, cx);
    if (equal) {
      bounds.push(...equal);
      continue;
    }
    const u = unwrapParen(c);
    if (u.t === "or" || u.t === "not") {
      // ORs of bounds, ANDed: one OR of sets of bounds (its disjunctive normal form).
      const sets = disjuncts(u, c.span).map((set) => set.flatMap((x) => boundsOf(x, stats, cx)));
      alternatives = { sets: alternatives ? product(alternatives.sets, sets, c.span) : sets, span: alternatives?.span ?? c.span };
      continue;
    }
    bounds.push(bound(c, stats));
  }
  if (alternatives?.sets.length === 1) {
    // One set (`NOT c > 5`, `NOT (a < 2 OR b < 2)`): its bounds all hold, as the others do.
    bounds.push(...alternatives.sets[0]!);
    alternatives = undefined;
  }
  const anyOf = alternatives ? alternativeMeasures(alternatives.sets, cx) : undefined;
  const noOr = (what: string) => {
    if (anyOf) refuse("esql/aggregate-condition", `an OR of bounds beside ${what} has no IR form`, alternatives!.span);
  };
  // `COUNT(*) > 0` beside a bound on another aggregate says only that the group has an event,
  // which every correlation match has (the printer writes it for a STATS without BY).
  const presence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && (b.agg.star || b.agg.arg === undefined) && !b.agg.where && !b.agg.rows && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  if (bounds.some((b) => !presence(b))) bounds.splice(0, bounds.length, ...bounds.filter((b) => !presence(b)));
  // `a = COUNT(*) WHERE x, b = COUNT(*) WHERE y … | WHERE a > 0 AND b > 0`: events of every kind
  // in the group, a temporal correlation (what the printer writes for one).
  const filteredPresence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && b.agg.star && b.agg.where !== undefined && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  const kinds = new Set(bounds.map((b) => b.agg.name));
  if (kinds.size >= 2 && bounds.every(filteredPresence)) {
    noOr("events of several kinds");
    const ruleFilters = [...kinds].map((name) => ({ name, query: isTrue(stats.aggs.get(name)!.where!, cx) }));
    return { type: "temporal", condition: [], rowFilters: keyTests, ruleFilters };
  }
  // One measure per aggregate, in the order the condition names them; the first is the
  // correlation's own, the others its extra measures (all bounds must hold).
  const byAgg = new Map<string, (typeof bounds)[number][]>();
  for (const b of bounds) byAgg.set(b.agg.name, [...(byAgg.get(b.agg.name) ?? []), b]);
  const groups = [...byAgg.values()];
  if (ruleCounts.length > 0) {
    noOr("a count of rules");
    return ruleCountCorrelation(ruleCounts, groups, keyTests, pre, cx);
  }
  const or = anyOf ? { anyOf } : {};
  // No condition at all: every group the rows form alerts, i.e. at least one event.
  if (groups.length === 0) return { type: "event_count", condition: [{ op: "gte", value: 1 }], rowFilters: keyTests, ...or };
  const rowFilters = [...keyTests];
  const counted = groups.filter((g) => categories(g[0]!.agg) !== undefined);
  if (counted.length > 1) refuse("esql/computed-field", "two aggregates count distinct CASE values; a correlation counts one set of kinds", counted[1]![0]!.agg.span);
  if (counted.length === 1) noOr("kinds of events");
  if (counted.length === 1) return kindsCorrelation(counted[0]!, groups.filter((x) => x !== counted[0]), keyTests, pre, cx);
  // A lone filtered measure is a filter on the events only when nothing else bounds the groups.
  const measures = anyOf ? ownFirst(measuresOf(groups, cx)) : placeMeasures(measuresOf(groups, cx), rowFilters);
  const [main, ...extra] = measures;
  if (!main) return { type: "event_count", condition: [{ op: "gte", value: 1 }], rowFilters: rowFilters.filter((q) => q !== ALL), ...or };
  return {
    type: main!.type,
    condition: main!.condition,
    ...(main!.valueField !== undefined ? { valueField: main!.valueField } : {}),
    ...(extra.length > 0 ? { extraMeasures: extra } : {}),
    rowFilters: rowFilters.filter((q) => q !== ALL),
    ...or,
  };
}

/**
 * A condition after STATS that asks only for some row of the group among given ones, as one
 * count of those rows `>= 1`: an OR of such bounds (see `existenceRows`), or `MV_CONCAT(VALUES(f),
 * sep) LIKE "*s*"` (some row's f contains s, when s has no wildcard and no character of sep, so
 * that it cannot be found across two joined values). "always" when every group meets it (one
 * branch is `COUNT(*) > 0`). Undefined for any other condition, which `bound` then reads.
 */
function someRowBound(c: EsqlExpr, stats: Stats, cx: CondContext): Bound | "always" | undefined {
  const e = unwrapParen(c);
  const single = valuesContains(e, stats, cx);
  if (single) return { agg: { name: stats.aggs.get(single.agg)!.name, fn: "count", star: true, rows: single.rows, span: c.span }, op: "gte", value: 1, span: c.span };
  if (e.t !== "or") return undefined;
  const branches = orBranches(e);
  const rows: Query[] = [];
  const names: string[] = [];
  for (const d of branches) {
    const v = valuesContains(d, stats, cx);
    if (v) {
      rows.push(v.rows);
      names.push(v.agg);
      continue;
    }
    // Not one bound: read as a set of bounds of an OR (`anyOf`), if at all.
    if (aggregateRefs(d, stats).size === 0 || unwrapParen(d).t !== "cmp" || valuesEqual(d, stats, cx)) return undefined;
    const b = bound(d, stats);
    const r = existenceRows(b, cx);
    if (!r) return undefined;
    if (r.kind === "all") return "always";
    rows.push(r);
    names.push(b.agg.name);
  }
  return { agg: { name: names.join("_or_"), fn: "count", star: true, rows: mkOr(rows), span: c.span }, op: "gte", value: 1, span: c.span };
}

/**
 * The measures of each set of an OR of bounds (`d >= 2 OR (e >= 3 AND c < 10)`), each set's bounds
 * all holding. Undefined when a set always holds (and so does the OR).
 */
function alternativeMeasures(sets: readonly (readonly Bound[])[], cx: CondContext): CorrelationMeasure[][] | undefined {
  const out: CorrelationMeasure[][] = [];
  for (const set of sets) {
    const byAgg = new Map<string, Bound[]>();
    for (const b of set) byAgg.set(b.agg.name, [...(byAgg.get(b.agg.name) ?? []), b]);
    const measures = measuresOf([...byAgg.values()], cx).map(({ span: _, ...m }) => m);
    if (measures.length === 0) return undefined;
    out.push(measures);
  }
  return out;
}

/** With an OR beside them, the first unfiltered measure (of a field as it is) is the correlation's own; with none, "one event or more". */
function ownFirst(measures: readonly (CorrelationMeasure & { span: Span })[]): CorrelationMeasure[] {
  const plain = measures.map(({ span: _, ...m }) => m);
  const main = plain.findIndex((m) => !m.filter && !isComputedMeasure(m));
  if (main < 0) return [{ type: "event_count", condition: [{ op: "gte", value: 1 }] }, ...plain];
  return [plain[main]!, ...plain.filter((_, i) => i !== main)];
}

/**
 * One test of a set of an OR: its bounds. A test of group keys only is one of the group's events
 * meeting it (every event of a group has its keys); a negated bound on a count (never NULL) is the
 * opposite bound.
 */
function boundsOf(x: EsqlExpr, stats: Stats, cx: CondContext): Bound[] {
  if (aggregateRefs(x, stats).size === 0 && onlyKeys(x, new Set(stats.groupBy))) {
    return [{ agg: { name: `keys ${x.span.start}`, fn: "count", star: true, rows: isTrue(x, cx), span: x.span }, op: "gte", value: 1, span: x.span }];
  }
  if (x.t === "not") {
    const b = bound(x.operand, stats);
    if (b.agg.fn !== "count" && b.agg.fn !== "count_distinct") refuse("esql/aggregate-condition", `a negated bound on \`${b.agg.name}\` is NULL where the aggregate is; no IR form`, x.span);
    return [{ ...b, op: NEGATED[b.op], span: x.span }];
  }
  const some = someRowBound(x, stats, cx);
  if (some === "always") return [];
  if (some) return [some];
  return valuesEqual(x, stats, cx) ?? [bound(x, stats)];
}

/**
 * `VALUES(f) == v`: a comparison of one value, NULL when VALUES gathered several (or none), so it
 * holds exactly when the group's only value of f is v: one distinct f, and some row with f == v.
 */
function valuesEqual(e: EsqlExpr, stats: Stats, cx: CondContext): Bound[] | undefined {
  const u = unwrapParen(e);
  if (u.t !== "cmp" || u.op !== "==") return undefined;
  const [l, r] = [unwrapParen(u.left), unwrapParen(u.right)];
  const [col, value] = l.t === "field" && stats.aggs.has(l.name) ? [l, r] : r.t === "field" && stats.aggs.has(r.name) ? [r, l] : [undefined, undefined];
  const agg = col?.t === "field" ? stats.aggs.get(col.name) : undefined;
  if (!agg || agg.fn !== "values" || !agg.arg || value?.t !== "lit" || value.value.type === "null" || value.value.type === "list") return undefined;
  const where = agg.where ? [isTrue(agg.where, cx)] : [];
  const test: EsqlExpr = { ...u, left: agg.arg, right: value };
  return [
    { agg: { name: `${agg.name} (distinct)`, fn: "count_distinct", star: false, arg: agg.arg, ...(agg.where ? { where: agg.where } : {}), span: agg.span }, op: "eq", value: 1, span: e.span },
    { agg: { name: `${agg.name} (equal)`, fn: "count", star: true, rows: mkAnd([...where, isTrue(test, cx)]), span: agg.span }, op: "gte", value: 1, span: e.span },
  ];
}

/** Sets of an OR of bounds, at most; beyond, the condition is refused. */
const MAX_ALTERNATIVES = 64;

/**
 * `(a OR b) AND (c OR d)` → [a, c], [a, d], [b, c], [b, d]: the conditions' disjunctive normal form.
 * A NOT goes down to the tests (`NOT (a AND b)` is `NOT a OR NOT b`), which is exact in ES|QL's
 * three-valued logic too (De Morgan's laws hold for it); each negated test is read by `boundsOf`.
 */
function disjuncts(e: EsqlExpr, at: Span, negated = false): EsqlExpr[][] {
  const u = unwrapParen(e);
  if (u.t === "not") return disjuncts(u.operand, at, !negated);
  if (u.t === "or" || u.t === "and") {
    if ((u.t === "or") !== negated) return u.operands.flatMap((o) => disjuncts(o, at, negated));
    return u.operands.reduce<EsqlExpr[][]>((acc, o) => product(acc, disjuncts(o, at, negated), at), [[]]);
  }
  return [[negated ? { t: "not", operand: u, span: u.span } : u]];
}

const NEGATED: Readonly<Record<CountCondition["op"], CountCondition["op"]>> = { gt: "lte", gte: "lt", lt: "gte", lte: "gt", eq: "neq", neq: "eq" };

function product<T>(a: readonly (readonly T[])[], b: readonly (readonly T[])[], at: Span): T[][] {
  if (a.length * b.length > MAX_ALTERNATIVES) refuse("esql/too-complex", `the condition after STATS is an OR of more than ${MAX_ALTERNATIVES} sets of bounds`, at);
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

function orBranches(e: EsqlExpr): EsqlExpr[] {
  const u = unwrapParen(e);
  return u.t === "or" ? u.operands.flatMap(orBranches) : [u];
}

/** `MV_CONCAT(VALUES(f), sep) LIKE "*s*"`: the rows whose f contains s, and the VALUES column. */
function valuesContains(e: EsqlExpr, stats: Stats, cx: CondContext): { rows: Query; agg: string } | undefined {
  const u = unwrapParen(e);
  if (u.t !== "like" || u.op !== "like" || u.negated || u.patterns.length !== 1) return undefined;
  const concat = unwrapParen(u.operand);
  if (concat.t !== "call" || concat.name !== "mv_concat" || concat.args.length !== 2) return undefined;
  const [col, sep] = [unwrapParen(concat.args[0]!), unwrapParen(concat.args[1]!)];
  const agg = col.t === "field" ? stats.aggs.get(col.name) : undefined;
  if (!agg || agg.fn !== "values" || !agg.arg || sep.t !== "lit" || sep.value.type !== "string") return undefined;
  const p = u.patterns[0]!.value;
  const inner = p.slice(1, -1);
  if (p.length < 3 || !p.startsWith("*") || !p.endsWith("*") || /[*?\\]/.test(inner)) return undefined;
  const sepChars = sep.value.value;
  if ([...inner].some((ch) => sepChars.includes(ch))) return undefined;
  // VALUES gathers every value of f in the group (NULLs left out), so the joined text contains s
  // exactly when one value does: `f LIKE "*s*"` on some row, as the IR reads a multi-valued f.
  const like: EsqlExpr = { ...u, operand: agg.arg };
  return { rows: mkAnd([...(agg.where ? [isTrue(agg.where, cx)] : []), isTrue(like, cx)]), agg: agg.name };
}

function callNamed(e: EsqlExpr, name: string): EsqlExpr | undefined {
  let found: EsqlExpr | undefined;
  visit(e, (x) => {
    if (!found && x.t === "call" && x.name === name) found = x;
  });
  return found;
}

function aggregateRefs(e: EsqlExpr, stats: Stats): Set<string> {
  const out = new Set<string>();
  visit(e, (x) => {
    if (x.t === "field" && stats.aggs.has(x.name)) out.add(x.name);
  });
  return out;
}

function onlyKeys(e: EsqlExpr, keys: ReadonlySet<string>): boolean {
  let ok = true;
  visit(e, (x) => {
    if ((x.t === "field" && !keys.has(x.name)) || (x.t === "match" && !keys.has(x.field))) ok = false;
  });
  return ok;
}

/** `agg op number` (or turned round): one bound of the measured aggregate. */
function bound(c: EsqlExpr, stats: Stats): Bound {
  const e = unwrapParen(c);
  if (e.t === "cmp") {
    const l = unwrapParen(e.left);
    const r = unwrapParen(e.right);
    const num = (x: EsqlExpr): number | undefined =>
      x.t === "lit" && (x.value.type === "integer" || x.value.type === "decimal") ? x.value.value
        : x.t === "neg" && x.operand.t === "lit" && (x.operand.value.type === "integer" || x.operand.value.type === "decimal") ? -x.operand.value.value
          : undefined;
    const agg = (x: EsqlExpr) => (x.t === "field" ? stats.aggs.get(x.name) : undefined);
    const [a, n, op] = agg(l) && num(r) !== undefined ? [agg(l), num(r), e.op] : agg(r) && num(l) !== undefined ? [agg(r), num(l), FLIPPED[e.op] ?? e.op] : [undefined, undefined, e.op];
    if (a && n !== undefined) {
      if (a.fn === "?") refuse("esql/unsupported-aggregate", `\`${a.name}\` is not an aggregate call`, a.span);
      return { agg: a, op: COUNT_OPS[op] ?? "eq", value: n, span: c.span };
    }
  }
  return refuse("esql/aggregate-condition", "the condition after STATS must bound one aggregate with a number (`count >= 10`), joined with AND", c.span,
    "a correlation condition is a conjunction of bounds on its count");
}
