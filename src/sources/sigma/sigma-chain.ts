/**
 * A chain of Sigma correlations read back as one correlation with several bounded measures: the
 * form the Sigma target writes when a correlation bounds more than one measure
 * (src/targets/sigma/sigma-measure-chain.ts), and the only chains read.
 *
 * - `temporal` needing all of its correlations, the first a plain measure (the main one) and the
 *   others plain measures of the same groups and timespan: the main one with the others as further
 *   measures. A measure over other base rules is read when each of them is the main rule's query
 *   with more conjuncts (a subset of its events): those conjuncts are the measure's filter.
 * - `temporal` needing any one (`condition: gte: 1`) of such conjunctions that share their main
 *   measure: the main one with each conjunction's further measures as one set of `anyOf`.
 *
 * The reading is narrower than the Sigma chain, which lets each correlation hold in a window of its
 * own within the timespan; the caller warns. Any other chain is refused with its reason.
 */
import type { CorrelationMeasure, CountCondition, NodeOf, Query } from "../../ir/query.js";

type Correlation = NodeOf<"correlation">;
export type ChainRead = { readonly ok: true; readonly query: Correlation } | { readonly ok: false; readonly reason: string };

/** Where a node came from and what its search was called: not what it matches. */
const PRESENTATION = new Set(["span", "search"]);

/** Structural equality of plain IR data, source spans and search names left out. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameData(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => !PRESENTATION.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !PRESENTATION.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The conjuncts of `q`, nested ANDs opened (a selection's fields are an AND inside the condition's). */
const conjuncts = (q: Query): readonly Query[] => (q.kind === "and" ? q.children.flatMap(conjuncts) : [q]);

/** The filter that narrows `base` to `subset` (subset = base ∧ filter, conjunct by conjunct), if it is one. */
function narrowing(base: Query, subset: Query): Query | undefined {
  const have = [...conjuncts(subset)];
  for (const c of conjuncts(base)) {
    const i = have.findIndex((h) => sameData(h, c));
    if (i < 0) return undefined;
    have.splice(i, 1);
  }
  if (have.length === 0) return undefined;
  return have.length === 1 ? have[0] : { kind: "and", children: have };
}

const plain = (c: Correlation): boolean => !c.extraMeasures?.length && !c.anyOf?.length && (c.minEvents ?? 1) <= 1;

/** `member` as a further measure of `main`'s groups, or why it cannot be one. */
function asMeasure(main: Correlation, member: Correlation): { measure: CorrelationMeasure } | { reason: string } {
  if (!plain(member)) return { reason: "a correlation in the chain bounds several measures itself" };
  if (member.type === "temporal" || member.type === "temporal_ordered") return { reason: "a further correlation in the chain is temporal, not a measure" };
  if (!sameData(member.groupBy, main.groupBy) || !sameData(member.timespan, main.timespan)) return { reason: "the chained correlations differ in group-by or timespan" };
  if (member.rules.length !== main.rules.length) return { reason: "a chained correlation counts other rules than the first" };
  let filter: Query | undefined;
  for (let i = 0; i < main.rules.length; i++) {
    const m = main.rules[i]!;
    const r = member.rules[i]!;
    if (!sameData(m.aliases, r.aliases)) return { reason: "a chained correlation names its group-by fields differently" };
    if (r.name === m.name) {
      if (filter) return { reason: "a chained correlation counts some of the first one's rules whole and others in part" };
      continue;
    }
    const f = narrowing(m.query, r.query);
    if (!f || (filter && !sameData(filter, f)) || (i > 0 && !filter)) return { reason: `the chained correlation's rule '${r.name}' is not '${m.name}' narrowed by more conditions` };
    filter = f;
  }
  return {
    measure: {
      type: member.type,
      condition: member.condition,
      ...(member.valueField ? { valueField: member.valueField } : {}),
      ...(filter ? { filter } : {}),
    },
  };
}

function allOf(members: readonly Correlation[]): ChainRead {
  const [main, ...rest] = members;
  if (!main || !plain(main)) return { ok: false, reason: "the first correlation of the chain must bound one measure" };
  if (main.type === "temporal_ordered") return { ok: false, reason: "an ordered temporal correlation takes no further measures" };
  const extraMeasures: CorrelationMeasure[] = [];
  for (const m of rest) {
    const r = asMeasure(main, m);
    if ("reason" in r) return { ok: false, reason: r.reason };
    extraMeasures.push(r.measure);
  }
  return { ok: true, query: { ...main, extraMeasures } };
}

function anyOf(members: readonly Correlation[]): ChainRead {
  const [first] = members;
  if (!first) return { ok: false, reason: "the chain names no correlation" };
  const { extraMeasures: _e, anyOf: _a, span: _s, ...main } = first;
  const sets: (readonly CorrelationMeasure[])[] = [];
  for (const m of members) {
    const { extraMeasures, anyOf: alternatives, span: _span, ...own } = m;
    if (alternatives?.length) return { ok: false, reason: "an alternative of the chain holds alternatives itself" };
    if (!sameData(own, main)) return { ok: false, reason: "the alternatives of the chain do not share their first measure" };
    // An alternative with no further bound always holds: then so does the OR.
    if (!extraMeasures?.length) return { ok: true, query: main };
    sets.push(extraMeasures);
  }
  return { ok: true, query: { ...main, anyOf: sets } };
}

/**
 * A `temporal` correlation over correlations (`members`, already read) with its own condition,
 * group-by and timespan: the correlation it stands for, or why it is not a chain this reads.
 */
export function readChain(members: readonly Correlation[], condition: readonly CountCondition[], groupBy: readonly string[], timespan: Correlation["timespan"]): ChainRead {
  for (const m of members) {
    if (!sameData(m.groupBy, groupBy) || !sameData(m.timespan, timespan)) return { ok: false, reason: "the chained correlations differ from it in group-by or timespan" };
  }
  const [c] = condition;
  if (condition.length !== 1 || c!.op !== "gte") return { ok: false, reason: "only a chain needing all of its correlations, or any one, is read" };
  if (c!.value === members.length) return allOf(members);
  if (c!.value === 1) return anyOf(members);
  return { ok: false, reason: `a chain needing ${c!.value} of its ${members.length} correlations is not read` };
}
