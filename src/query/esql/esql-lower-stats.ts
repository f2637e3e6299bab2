/**
 * `STATS … BY` and the WHERE after it, read as a correlation: the aggregates by name, the group
 * keys (a time bucket among them is the timespan), and the bounds on the one aggregate measured.
 * See esql-lower.ts for the mapping.
 */
import type { CorrelationMeasure, CorrelationType, CountCondition, Duration, Query, Span } from "../../ir/query.js";
import type { EsqlCommand, EsqlExpr, EsqlField } from "./esql-ast.js";
import { describeExpr, subst, unwrapConversions, unwrapParen, visit } from "./esql-expr-util.js";
import { ALL, mkAnd, mkNot, mkOr, refuse } from "./esql-ir-build.js";
import { type CondContext, isTrue } from "./esql-lower-cond.js";
import { formOf, notNull } from "./esql-lower-values.js";
import { MEASURES } from "./esql-functions.js";

interface Agg {
  readonly name: string;
  readonly fn: string;
  readonly arg?: EsqlExpr;
  readonly star: boolean;
  readonly where?: EsqlExpr;
  /** `COALESCE(SUM(x), 0)`: 0 where no value adds up, as the IR's value_sum. */
  readonly zeroWhenEmpty?: boolean;
  readonly span: Span;
}

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
  readonly condition: readonly CountCondition[];
  readonly valueField?: string;
  /** Bounds on further aggregates of the same groups (`COUNT(*) >= 50 AND COUNT_DISTINCT(f) >= 2`). */
  readonly extraMeasures?: readonly CorrelationMeasure[];
  /** Conditions on group keys, and the aggregate's own `WHERE`: filters on the events. */
  readonly rowFilters: readonly Query[];
  /** `temporal`: each rule's own filter (the `WHERE` of its `COUNT(*) WHERE …`), by name. */
  readonly ruleFilters?: readonly { readonly name: string; readonly query: Query }[];
}

const COUNT_OPS: Readonly<Record<string, CountCondition["op"]>> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "==": "eq", "!=": "neq" };
const FLIPPED: Readonly<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

/** The WHERE after STATS: bounds on one aggregate, and tests of group keys. */
export function readCondition(post: readonly EsqlExpr[], stats: Stats, cx: CondContext, pre: readonly EsqlExpr[] = []): Measured {
  const conjuncts = post.flatMap(splitAnd);
  const bounds: { agg: Agg; op: CountCondition["op"]; value: number; span: Span }[] = [];
  const ruleCounts: RuleCount[] = [];
  const keyTests: Query[] = [];
  for (const c of conjuncts) {
    const now = callNamed(c, "now");
    if (now) refuse("esql/time-dependent", "the condition compares with the time of the search (`NOW()`), which the IR cannot hold", now.span);
    const refs = aggregateRefs(c, stats);
    if (refs.size === 0) {
      const keys = new Set(stats.groupBy);
      if (!onlyKeys(c, keys)) refuse("esql/aggregate-condition", "this condition after STATS uses a value that is neither an aggregate nor a group key", c.span);
      keyTests.push(isTrue(c, cx));
      continue;
    }
    const rc = ruleCountBound(c, stats);
    if (rc) ruleCounts.push(rc);
    else bounds.push(bound(c, stats));
  }
  // `COUNT(*) > 0` beside a bound on another aggregate says only that the group has an event,
  // which every correlation match has (the printer writes it for a STATS without BY).
  const presence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && (b.agg.star || b.agg.arg === undefined) && !b.agg.where && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  if (bounds.some((b) => !presence(b))) bounds.splice(0, bounds.length, ...bounds.filter((b) => !presence(b)));
  // `a = COUNT(*) WHERE x, b = COUNT(*) WHERE y … | WHERE a > 0 AND b > 0`: events of every kind
  // in the group, a temporal correlation (what the printer writes for one).
  const filteredPresence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && b.agg.star && b.agg.where !== undefined && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  const kinds = new Set(bounds.map((b) => b.agg.name));
  if (kinds.size >= 2 && bounds.every(filteredPresence)) {
    const ruleFilters = [...kinds].map((name) => ({ name, query: isTrue(stats.aggs.get(name)!.where!, cx) }));
    return { type: "temporal", condition: [], rowFilters: keyTests, ruleFilters };
  }
  // One measure per aggregate, in the order the condition names them; the first is the
  // correlation's own, the others its extra measures (all bounds must hold).
  const byAgg = new Map<string, (typeof bounds)[number][]>();
  for (const b of bounds) byAgg.set(b.agg.name, [...(byAgg.get(b.agg.name) ?? []), b]);
  const groups = [...byAgg.values()];
  const first = groups[0];
  // No condition at all: every group the rows form alerts, i.e. at least one event.
  if (!first) return { type: "event_count", condition: [{ op: "gte", value: 1 }], rowFilters: keyTests };
  const rowFilters = [...keyTests];
  const cond = (g: readonly (typeof bounds)[number][]) => g.map((b) => ({ op: b.op, value: b.value }));
  if (ruleCounts.length > 0) return ruleCountCorrelation(ruleCounts, groups, keyTests, pre, cx);
  // COUNT_DISTINCT of a CASE of constants counts the kinds of events seen: a temporal correlation
  // with one rule per kind.
  const counted = groups.filter((g) => categories(g[0]!.agg) !== undefined);
  if (counted.length > 1) refuse("esql/computed-field", "two aggregates count distinct CASE values; a correlation counts one set of kinds", counted[1]![0]!.agg.span);
  if (counted.length === 1) {
    const g = counted[0]!;
    const agg = g[0]!.agg;
    if (agg.where) refuse("esql/filtered-aggregate", `\`${agg.name}\` counts distinct CASE values of the rows of its own WHERE: no IR form`, agg.span);
    const extra = withSpans(groups.filter((x) => x !== g), cx).map(({ span: _, ...m }) => m);
    const condition = cond(g);
    const cats = categories(agg)!;
    // The IR's rules hold only events of some kind; ES|QL's groups also hold rows whose CASE is
    // NULL, which count for the other aggregates and make a group of zero kinds.
    if (!cats.covered(pre) && (extra.length > 0 || condition.some((c) => holdsAt(c, 0)))) {
      refuse("esql/computed-field", `\`${agg.name}\` is NULL for some rows, which the other bounds still count (or a group of them meets the bound at 0)`, agg.span,
        "give the CASE a default value, or keep only rows where it has one (`WHERE x IS NOT NULL`)");
    }
    return {
      type: "temporal",
      condition,
      ...(extra.length > 0 ? { extraMeasures: extra } : {}),
      rowFilters: rowFilters.filter((q) => q !== ALL),
      ruleFilters: cats.kinds.map((k) => ({ name: k.name, query: mkOr(k.when.map((w) => isTrueAfter(w.cond, w.before, cx))) })),
    };
  }
  const measures = placeMeasures(withSpans(groups, cx), rowFilters);
  const [main, ...extra] = measures;
  if (!main) return { type: "event_count", condition: [{ op: "gte", value: 1 }], rowFilters: rowFilters.filter((q) => q !== ALL) };
  return {
    type: main!.type,
    condition: main!.condition,
    ...(main!.valueField !== undefined ? { valueField: main!.valueField } : {}),
    ...(extra.length > 0 ? { extraMeasures: extra } : {}),
    rowFilters: rowFilters.filter((q) => q !== ALL),
  };
}

/** Each aggregate's measure (those whose bounds always hold left out), with its position. */
function withSpans(groups: readonly (readonly { agg: Agg; op: CountCondition["op"]; value: number }[])[], cx: CondContext): (CorrelationMeasure & { span: Span })[] {
  return groups.flatMap((g) => {
    const m = measureOf(g[0]!.agg, g.map((b) => ({ op: b.op, value: b.value })), cx);
    return m ? [{ ...m, span: g[0]!.agg.span }] : [];
  });
}

interface RuleCount {
  readonly aggs: readonly Agg[];
  readonly op: CountCondition["op"];
  readonly value: number;
  readonly span: Span;
}

/**
 * `CASE(a > 0, 1, 0) + CASE(b > 0, 1, 0) … >= n` over `a = COUNT(*) WHERE x, b = COUNT(*) WHERE
 * y`: how many of the filters some event of the group met, a temporal correlation's measure (what
 * the printer writes for a temporal condition).
 */
function ruleCountBound(c: EsqlExpr, stats: Stats): RuleCount | undefined {
  const e = unwrapParen(c);
  if (e.t !== "cmp") return undefined;
  const num = (x: EsqlExpr) => { const u = unwrapParen(x); return u.t === "lit" && u.value.type === "integer" ? u.value.value : undefined; };
  const [sum, n, op] = num(e.right) !== undefined ? [e.left, num(e.right)!, e.op] : num(e.left) !== undefined ? [e.right, num(e.left)!, FLIPPED[e.op] ?? e.op] : [undefined, 0, e.op];
  if (!sum) return undefined;
  const terms: EsqlExpr[] = [];
  const flat = (x: EsqlExpr): void => {
    const u = unwrapParen(x);
    if (u.t === "arith" && u.op === "+") { flat(u.left); flat(u.right); } else terms.push(u);
  };
  flat(sum);
  const aggs: Agg[] = [];
  for (const t of terms) {
    if (t.t !== "call" || t.name !== "case" || t.args.length !== 3) return undefined;
    const [test, one, zero] = t.args.map(unwrapParen);
    if (num(one!) !== 1 || num(zero!) !== 0 || test?.t !== "cmp" || test.op !== ">" || num(test.right) !== 0) return undefined;
    const a = unwrapParen(test.left);
    const agg = a.t === "field" ? stats.aggs.get(a.name) : undefined;
    if (!agg || agg.fn !== "count" || !agg.star || !agg.where) return undefined;
    aggs.push(agg);
  }
  return { aggs, op: COUNT_OPS[op] ?? "eq", value: n, span: c.span };
}

function ruleCountCorrelation(counts: readonly RuleCount[], others: readonly { agg: Agg; op: CountCondition["op"]; value: number }[][], keyTests: readonly Query[], pre: readonly EsqlExpr[], cx: CondContext): Measured {
  const names = counts[0]!.aggs.map((a) => a.name);
  const other = counts.find((r) => r.aggs.map((a) => a.name).join("\u0000") !== names.join("\u0000"));
  if (other) refuse("esql/aggregate-condition", "two sums of filtered counts over different filters: a correlation counts one set of rules", other.span);
  const rowFilters = [...keyTests];
  const extra = withSpans(others, cx).map(({ span: _, ...m }) => m);
  const condition = counts.map((r) => ({ op: r.op, value: r.value }));
  // The IR's rules hold only the events of some filter; in ES|QL the others are rows too, which
  // the other bounds count (and a group of them meets a bound that holds at 0).
  if ((extra.length > 0 || condition.some((c) => holdsAt(c, 0))) && !onlyFiltered(pre, counts[0]!.aggs.map((a) => a.where!))) {
    refuse("esql/aggregate-condition", "rows outside every filter of the counted rules still count for the other bounds", counts[0]!.span,
      "keep only the rows of some filter before STATS (`WHERE x OR y`)");
  }
  return {
    type: "temporal",
    condition,
    ...(extra.length > 0 ? { extraMeasures: extra } : {}),
    rowFilters: rowFilters.filter((q) => q !== ALL),
    ruleFilters: counts[0]!.aggs.map((a) => ({ name: a.name, query: isTrue(a.where!, cx) })),
  };
}

/** Whether a condition before STATS is the OR of the filters, as written (spans and parentheses aside). */
function onlyFiltered(pre: readonly EsqlExpr[], filters: readonly EsqlExpr[]): boolean {
  const ors = (e: EsqlExpr): EsqlExpr[] => { const u = unwrapParen(e); return u.t === "or" ? u.operands.flatMap(ors) : [u]; };
  const want = filters.flatMap(ors).map(shape).join("\n");
  return pre.flatMap(splitAnd).some((c) => ors(c).map(shape).join("\n") === want);
}

/** The structure of an expression, without positions and parentheses. */
function shape(e: EsqlExpr): string {
  return JSON.stringify(e, (k, v: unknown) => {
    if (k === "span" || k === "fieldSpan") return undefined;
    let x = v as { t?: string; inner?: unknown };
    while (x && typeof x === "object" && x.t === "paren") x = x.inner as typeof x;
    return x;
  });
}

/** Where `cond` is TRUE and none of `before` is (a CASE takes its first TRUE branch). */
function isTrueAfter(cond: EsqlExpr | undefined, before: readonly EsqlExpr[], cx: CondContext): Query {
  return mkAnd([...before.map((b) => mkNot(isTrue(b, cx))), ...(cond ? [isTrue(cond, cx)] : [])]);
}

interface Categories {
  /** Each distinct non-null value of the CASE, and the branches that give it. */
  readonly kinds: readonly { readonly name: string; readonly when: readonly { readonly cond?: EsqlExpr; readonly before: readonly EsqlExpr[] }[] }[];
  /** Whether every row the WHERE before STATS keeps has a value. */
  readonly covered: (pre: readonly EsqlExpr[]) => boolean;
}

/** Each kind repeats the branches before it: a bound on the tests that makes (quadratic in branches). */
const MAX_KIND_TESTS = 1024;

/** `COUNT_DISTINCT(CASE(c1, "a", c2, "b", …[, default]))` with constant values: the kinds. */
function categories(agg: Agg): Categories | undefined {
  if (agg.fn !== "count_distinct" || !agg.arg) return undefined;
  const e = unwrapParen(agg.arg);
  if (e.t !== "call" || e.name !== "case" || e.args.length < 2) return undefined;
  const kinds = new Map<string, { cond?: EsqlExpr; before: EsqlExpr[] }[]>();
  // The branches before each: an event is of kind v when a branch giving v holds and no earlier
  // branch giving another value does (an earlier one giving v gives the same kind).
  const conds: { cond: EsqlExpr; value: string }[] = [];
  let tests = 0;
  let nullable = e.args.length % 2 === 0;
  for (let i = 0; i < e.args.length; i += 2) {
    const isDefault = i === e.args.length - 1;
    const value = unwrapParen(isDefault ? e.args[i]! : e.args[i + 1]!);
    if (value.t !== "lit" || value.value.type === "list") return undefined;
    const cond = isDefault ? undefined : e.args[i]!;
    if (value.value.type === "null") nullable = true;
    else {
      const key = value.value.type === "string" ? value.value.value : JSON.stringify(value.value);
      const before = conds.filter((c) => c.value !== JSON.stringify(value.value)).map((c) => c.cond);
      tests += before.length + 1;
      if (tests > MAX_KIND_TESTS) refuse("esql/too-complex", `the CASE of \`${agg.name}\` needs more than ${MAX_KIND_TESTS} tests to say which branch each kind comes from`, agg.span);
      kinds.set(key, [...(kinds.get(key) ?? []), { ...(cond ? { cond } : {}), before }]);
    }
    if (cond) conds.push({ cond, value: JSON.stringify(value.value) });
  }
  const text = shape(e);
  const names = [...kinds.keys()];
  const safe = names.every((n) => /^[A-Za-z0-9_.:-]{1,64}$/.test(n));
  return {
    kinds: names.map((n, i) => ({ name: safe ? n : `${agg.name}_${i + 1}`, when: kinds.get(n)! })),
    covered: (pre) => !nullable || pre.flatMap(splitAnd).some((c) => {
      const x = unwrapParen(c);
      return x.t === "isnull" && x.negated && shape(x.operand) === text;
    }),
  };
}

/**
 * One aggregate and its bounds as a measure, with the filter it applies to its own rows (its WHERE;
 * COUNT(x): the rows with x; `SUM(CASE(c, 1, 0))` and `MAX(CASE(c, 1, 0))`: the rows where c holds).
 * Undefined when the bounds hold whatever the rows (`MAX(CASE(c, 1, 0)) >= 0`).
 */
function measureOf(agg: Agg, condition: readonly CountCondition[], cx: CondContext): CorrelationMeasure | undefined {
  const flag = agg.arg ? indicator(agg.arg) : undefined;
  const where = agg.where ? [isTrue(agg.where, cx)] : [];
  if (flag && (agg.fn === "sum" || agg.fn === "max")) {
    // SUM of 1 per row where c holds counts those rows; MAX is 1 when one exists and 0 otherwise.
    const filter = mkAnd([...where, isTrue(flag, cx)]);
    if (agg.fn === "sum") return { type: "event_count", condition, filter };
    const [one, zero] = [condition.every((c) => holdsAt(c, 1)), condition.every((c) => holdsAt(c, 0))];
    if (one && zero) return undefined;
    if (!one && !zero) return refuse("esql/aggregate-condition", `\`${agg.name}\` is 0 or 1, and the bound holds for neither`, agg.span);
    return { type: "event_count", condition: [one ? { op: "gte", value: 1 } : { op: "lte", value: 0 }], filter };
  }
  const type = MEASURES[agg.fn];
  if (!type) return refuse("esql/unsupported-aggregate", `the aggregate \`${agg.fn.toUpperCase()}\` has no correlation form`, agg.span, "a correlation counts events (COUNT), distinct values (COUNT_DISTINCT), or adds up (SUM) or averages (AVG) a field");
  if (agg.where && !(type === "event_count" || type === "value_count")) {
    refuse("esql/filtered-aggregate", "an aggregate with its own WHERE is a correlation only when it counts events or distinct values", agg.span);
  }
  if (type === "value_sum" && !agg.zeroWhenEmpty && condition.every((c) => holdsAt(c, 0))) {
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
  if (inner.t !== "field") return refuse("esql/computed-field", `\`${agg.name}\` measures ${describeExpr(inner)}; a correlation measures a source field`, agg.span);
  return { type, condition, valueField: inner.name, ...(where.length > 0 ? { filter: where[0]! } : {}) };
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
function placeMeasures(measures: readonly (CorrelationMeasure & { span: Span })[], rowFilters: Query[]): CorrelationMeasure[] {
  const lone = measures.length === 1 ? measures[0]! : undefined;
  if (lone?.filter && (lone.type === "event_count" || lone.type === "value_count") && !lone.condition.every((c) => holdsAt(c, 0))) {
    const { filter, span: _, ...m } = lone;
    rowFilters.push(filter!);
    return [m];
  }
  const plain = measures.map(({ span: _, ...m }) => m);
  const main = plain.findIndex((m) => !m.filter);
  if (main < 0) return plain.length === 0 ? [] : [{ type: "event_count", condition: [{ op: "gte", value: 1 }] }, ...plain];
  return [plain[main]!, ...plain.filter((_, i) => i !== main)];
}

function callNamed(e: EsqlExpr, name: string): EsqlExpr | undefined {
  let found: EsqlExpr | undefined;
  visit(e, (x) => {
    if (!found && x.t === "call" && x.name === name) found = x;
  });
  return found;
}

function holdsAt(c: CountCondition, n: number): boolean {
  return { gt: n > c.value, gte: n >= c.value, lt: n < c.value, lte: n <= c.value, eq: n === c.value, neq: n !== c.value }[c.op];
}

function splitAnd(e: EsqlExpr): EsqlExpr[] {
  if (e.t === "and") return e.operands.flatMap(splitAnd);
  if (e.t === "paren") return splitAnd(e.inner);
  return [e];
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
function bound(c: EsqlExpr, stats: Stats): { agg: Agg; op: CountCondition["op"]; value: number; span: Span } {
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
