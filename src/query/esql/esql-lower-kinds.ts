/**
 * Temporal correlations read from STATS: the kinds of events a group has (`COUNT_DISTINCT(CASE(c1,
 * "a", c2, "b", …))`), and the printer's count of rules (`CASE(r0 > 0, 1, 0) + …` over filtered
 * counts). See esql-lower-stats.ts.
 */
import type { CountCondition, Query, Span } from "../../ir/query.js";
import type { EsqlExpr } from "./esql-ast.js";
import { splitAnd, unwrapParen } from "./esql-expr-util.js";
import { ALL, mkAnd, mkNot, mkOr, refuse } from "./esql-ir-build.js";
import { type CondContext, isTrue } from "./esql-lower-cond.js";
import { countHolds } from "../../ir/count-condition.js";
import { type Agg, type Bound, COUNT_OPS, FLIPPED, measuresOf } from "./esql-lower-measures.js";
import type { Measured } from "./esql-lower-stats.js";

/**
 * COUNT_DISTINCT of a CASE of constants counts the kinds of events seen: a temporal correlation with
 * one rule per kind, the other bounds its extra measures.
 */
export function kindsCorrelation(g: readonly Bound[], others: readonly (readonly Bound[])[], keyTests: readonly Query[], pre: readonly EsqlExpr[], cx: CondContext): Measured {
  const agg = g[0]!.agg;
  if (agg.where) refuse("esql/filtered-aggregate", `\`${agg.name}\` counts distinct CASE values of the rows of its own WHERE: no IR form`, agg.span);
  const extra = measuresOf(others, cx).map(({ span: _, ...m }) => m);
  const condition = g.map((b) => ({ op: b.op, value: b.value }));
  const cats = categories(agg)!;
  // The IR's rules hold only events of some kind; ES|QL's groups also hold rows whose CASE is
  // NULL, which count for the other aggregates and make a group of zero kinds.
  if (!cats.covered(pre) && (extra.length > 0 || condition.some((c) => countHolds(c, 0)))) {
    refuse("esql/computed-field", `\`${agg.name}\` is NULL for some rows, which the other bounds still count (or a group of them meets the bound at 0)`, agg.span,
      "give the CASE a default value, or keep only rows where it has one (`WHERE x IS NOT NULL`)");
  }
  // `WHERE v != "x"` and `WHERE v IS NOT NULL` on the CASE itself: every kind but "x" implies them
  // (an event of kind k has v == k), and kind "x" never passes them. Said by leaving kind "x" out
  // rather than by the test, which would repeat every branch of the CASE in every rule.
  const implied = cats.excluded(pre);
  const kinds = cats.kinds.filter((k) => !implied.values.has(k.value));
  // What the rules repeat, measured in the text of the conditions they repeat.
  let repeated = 0;
  const size = (c: EsqlExpr | undefined) => (c ? c.span.end - c.span.start : 0);
  for (const k of kinds) for (const w of k.when) repeated += size(w.cond) + w.before.reduce((n, b) => n + size(b), 0);
  if (repeated > MAX_KIND_TEXT) refuse("esql/too-complex", `the CASE of \`${agg.name}\` repeats more than ${MAX_KIND_TEXT} characters of conditions to say which branch each kind comes from`, agg.span);
  return {
    type: "temporal",
    condition,
    ...(extra.length > 0 ? { extraMeasures: extra } : {}),
    rowFilters: keyTests.filter((q) => q !== ALL),
    // Named by their values when every value counted can be a name (the left-out one may not).
    ruleFilters: kinds.map((k) => ({ name: kinds.every((x) => SAFE_NAME.test(x.value)) ? k.value : k.name, query: mkOr(k.when.map((w) => isTrueAfter(w.cond, w.before, cx))) })),
    ...(implied.conds.length > 0 ? { implied: implied.conds } : {}),
  };
}

export interface RuleCount {
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
export function ruleCountBound(c: EsqlExpr, named: ReadonlyMap<string, Agg>): RuleCount | undefined {
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
    const agg = a.t === "field" ? named.get(a.name) : undefined;
    if (!agg || agg.fn !== "count" || !agg.star || !agg.where) return undefined;
    aggs.push(agg);
  }
  return { aggs, op: COUNT_OPS[op] ?? "eq", value: n, span: c.span };
}

export function ruleCountCorrelation(counts: readonly RuleCount[], others: readonly (readonly Bound[])[], keyTests: readonly Query[], pre: readonly EsqlExpr[], cx: CondContext): Measured {
  const names = counts[0]!.aggs.map((a) => a.name);
  const other = counts.find((r) => r.aggs.map((a) => a.name).join("\u0000") !== names.join("\u0000"));
  if (other) refuse("esql/aggregate-condition", "two sums of filtered counts over different filters: a correlation counts one set of rules", other.span);
  const rowFilters = [...keyTests];
  const extra = measuresOf(others, cx).map(({ span: _, ...m }) => m);
  const condition = counts.map((r) => ({ op: r.op, value: r.value }));
  // The IR's rules hold only the events of some filter; in ES|QL the others are rows too, which
  // the other bounds count (and a group of them meets a bound that holds at 0).
  if ((extra.length > 0 || condition.some((c) => countHolds(c, 0))) && !onlyFiltered(pre, counts[0]!.aggs.map((a) => a.where!))) {
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
  /** Each distinct non-null value of the CASE (its key), and the branches that give it. */
  readonly kinds: readonly { readonly name: string; readonly value: string; readonly when: readonly { readonly cond?: EsqlExpr; readonly before: readonly EsqlExpr[] }[] }[];
  /** Whether every row the WHERE before STATS keeps has a value. */
  readonly covered: (pre: readonly EsqlExpr[]) => boolean;
  /** The conditions before STATS that test the CASE itself (`!= "x"`, `IS NOT NULL`), and the values they exclude. */
  readonly excluded: (pre: readonly EsqlExpr[]) => { readonly conds: readonly EsqlExpr[]; readonly values: ReadonlySet<string> };
}

/**
 * Each kind repeats the branches before it, quadratic in branches: a bound on the tests that
 * makes as the branches are read (a CASE of some 150 branches needs about 11,000), and on the
 * text of the conditions the counted kinds repeat (the rule of 147 branches naming RMM tools
 * repeats some 450,000 characters), which bounds the IR and the printed query.
 */
const MAX_CASE_TESTS = 48_000;
/** A kind's value that can name its rule as it is. */
const SAFE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_KIND_TEXT = 2_000_000;

/** `COUNT_DISTINCT(CASE(c1, "a", c2, "b", …[, default]))` with constant values: the kinds. */
export function categories(agg: Agg): Categories | undefined {
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
      if (tests > MAX_CASE_TESTS) refuse("esql/too-complex", `the CASE of \`${agg.name}\` needs more than ${MAX_CASE_TESTS} tests to say which branch each kind comes from`, agg.span);
      kinds.set(key, [...(kinds.get(key) ?? []), { ...(cond ? { cond } : {}), before }]);
    }
    if (cond) conds.push({ cond, value: JSON.stringify(value.value) });
  }
  const text = shape(e);
  const names = [...kinds.keys()];
  const safe = names.every((n) => SAFE_NAME.test(n));
  return {
    kinds: names.map((n, i) => ({ name: safe ? n : `${agg.name}_${i + 1}`, value: n, when: kinds.get(n)! })),
    covered: (pre) => !nullable || pre.flatMap(splitAnd).some((c) => {
      const x = unwrapParen(c);
      return x.t === "isnull" && x.negated && shape(x.operand) === text;
    }),
    excluded: (pre) => {
      const conds: EsqlExpr[] = [];
      const values = new Set<string>();
      for (const c of pre.flatMap(splitAnd)) {
        const x = unwrapParen(c);
        if (x.t === "isnull" && x.negated && shape(x.operand) === text) conds.push(c);
        if (x.t !== "cmp" || x.op !== "!=") continue;
        const [v, lit] = shape(x.left) === text ? [x.left, unwrapParen(x.right)] : shape(x.right) === text ? [x.right, unwrapParen(x.left)] : [undefined, undefined];
        if (!v || lit?.t !== "lit" || lit.value.type !== "string") continue;
        conds.push(c);
        values.add(lit.value.value);
      }
      return { conds, values };
    },
  };
}
