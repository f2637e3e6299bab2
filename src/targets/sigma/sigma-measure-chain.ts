/**
 * A correlation that bounds several measures (ES|QL `STATS n = COUNT(*), u = COUNT_DISTINCT(user)
 * BY ip | WHERE n >= 50 AND u >= 2`), as Sigma can say it: a Sigma correlation bounds one measure,
 * and the specification's answer for more is a chain. Each bound becomes a correlation of its own
 * over the same base rules, group-by and timespan; a `temporal` correlation over them needs all of
 * them (an AND), and one with `condition: gte: 1` needs any: an OR of the IR's `anyOf` sets, each
 * written whole (main ∧ extras ∧ set) so that each conjunction reads back on its own. What a
 * measure counts must be one field's values as they are (a computed distinct count is refused).
 *
 * The chain matches more than the source: each bound holds in a window of its own, and the windows
 * lie within one timespan of each other, where the source measures every bound over one window. The
 * caller warns. What the chain cannot say at all is refused: a bound over a filtered subset of the
 * events that holds when that subset is empty (`COUNT(*) WHERE x == 0`), since a correlation over
 * those events never sees a group with none of them.
 */
import { allHold } from "../../ir/count-condition.js";
import { derivedUuid, slugify } from "../../ir/ids.js";
import type { CorrelationMeasure, CountCondition, Logsource, NodeOf, Query } from "../../ir/query.js";
import { isComputedMeasure } from "../../ir/correlation-measures.js";

/** One document of the chain, before layout: a base rule or a correlation over named documents. */
export type ChainDoc =
  | {
      readonly kind: "rule";
      readonly name: string;
      readonly title: string;
      readonly id: string;
      readonly query: Query;
      readonly logsource?: Logsource;
    }
  | {
      readonly kind: "correlation";
      readonly title: string;
      readonly id: string;
      /** The outermost correlation: it carries the rule's own title, id, status and level. */
      readonly outer: boolean;
      readonly correlation: Record<string, unknown>;
    };

export type ChainPlan = { readonly ok: true; readonly docs: readonly ChainDoc[]; readonly bounds: number } | { readonly ok: false; readonly reason: string };

type Correlation = NodeOf<"correlation">;

/** Whether a count of 0 satisfies every bound (a group with no such event would pass). */
export function admitsZero(condition: readonly CountCondition[]): boolean {
  return allHold(condition, 0);
}

function conditionOf(condition: readonly CountCondition[], valueField: string | undefined): Record<string, unknown> | undefined {
  if (condition.length === 0 && !valueField) return undefined;
  const cond: Record<string, unknown> = {};
  for (const c of condition) cond[c.op] = c.value;
  if (valueField) cond.field = valueField;
  return cond;
}

export function describeMeasure(m: Pick<CorrelationMeasure, "type" | "valueField" | "condition" | "filter">): string {
  const bounds = m.condition.map((c) => `${c.op} ${c.value}`).join(" and ");
  return `${m.type}${m.valueField ? `(${m.valueField})` : ""}${m.filter ? " over a subset" : ""} ${bounds}`;
}

/**
 * The chain for a correlation with `extraMeasures` or `anyOf`, named from `slugBase` (documents'
 * `name`s) and `idBase` (their derived ids), with `timespan` already formatted.
 */
export function measureChain(q: Correlation, ruleName: string, idBase: string, timespan: string | undefined): ChainPlan {
  if (q.type === "temporal_ordered") return { ok: false, reason: "an ordered temporal correlation with further bounds has no Sigma chain" };
  if ((q.minEvents ?? 1) > 1) return { ok: false, reason: "the correlation also needs a number of events beside its distinct count" };
  if (!timespan) return { ok: false, reason: "a chain of correlations needs a timespan, and this correlation has none" };
  const further = [...(q.extraMeasures ?? []), ...(q.anyOf ?? []).flat()];
  const computed = further.find(isComputedMeasure);
  if (computed)
    return {
      ok: false,
      reason: `the measure \`${describeMeasure(computed)}\` counts ${computed.valueLowerCased ? "lower-cased values" : "each event's first field that has a value"}, which a Sigma value_count cannot`,
    };
  const zero = further.find((m) => m.filter && admitsZero(m.condition));
  if (zero)
    return {
      ok: false,
      reason: `the bound \`${describeMeasure(zero)}\` holds where no event of the subset exists, and a Sigma correlation over that subset never sees such a group`,
    };

  const slug = slugify(ruleName, 48);
  const docs: ChainDoc[] = [];
  const names = q.rules.map((r) => r.name);
  const distinct = q.rules.filter((r, i) => names.indexOf(r.name) === i);
  distinct.forEach((r, i) => docs.push({ kind: "rule", name: r.name, title: `${ruleName} (${r.name})`, id: derivedUuid(idBase, "rule", String(i + 1)), query: r.query, ...(r.logsource ? { logsource: r.logsource } : {}) }));
  const sharedAliases = (ruleNames: readonly string[], rules: Correlation["rules"]): Record<string, Record<string, string>> | undefined => {
    const out: Record<string, Record<string, string>> = {};
    rules.forEach((r, i) => {
      for (const [alias, field] of Object.entries(r.aliases ?? {})) (out[alias] ??= {})[ruleNames[i]!] = field;
    });
    return Object.keys(out).length > 0 ? out : undefined;
  };

  let measureNo = 0;
  // A correlation is referred to by its id: the correlation schema has no `name`.
  const correlationDoc = (kind: string, correlation: Record<string, unknown>): string => {
    measureNo++;
    const id = derivedUuid(idBase, "chain", String(measureNo));
    docs.push({ kind: "correlation", title: `${ruleName} (${kind} ${measureNo})`, id, outer: false, correlation });
    return id;
  };
  const common = (type: string, rules: readonly string[], condition: Record<string, unknown> | undefined, aliases?: Record<string, Record<string, string>>) => ({
    type,
    rules: [...rules],
    "group-by": [...q.groupBy],
    timespan,
    ...(aliases ? { aliases } : {}),
    ...(condition ? { condition } : {}),
  });
  let filtered = 0;
  const measureDoc = (m: CorrelationMeasure): string => {
    let ruleNames = names;
    if (m.filter) {
      filtered++;
      ruleNames = q.rules.map((r, i) => {
        const name = `${slug}_subset_${filtered}_${i + 1}`;
        docs.push({
          kind: "rule",
          name,
          title: `${ruleName} (subset ${filtered} of ${r.name})`,
          id: derivedUuid(idBase, "subset", String(filtered), String(i + 1)),
          query: { kind: "and", children: [r.query, m.filter!] },
          ...(r.logsource ? { logsource: r.logsource } : {}),
        });
        return name;
      });
    }
    return correlationDoc("measure", common(m.type, ruleNames, conditionOf(m.condition, m.valueField), sharedAliases(ruleNames, q.rules)));
  };

  const main = correlationDoc("measure", common(q.type, names, conditionOf(q.condition, q.valueField), sharedAliases(names, q.rules)));
  const extras = (q.extraMeasures ?? []).map(measureDoc);
  let bounds = 1 + extras.length;
  // An OR of sets is an OR of whole conjunctions, main ∧ extras ∧ set: each reads back on its own
  // as one correlation with further measures, which the reader can check are alike.
  const sets = (q.anyOf ?? []).map((set) => {
    bounds += set.length;
    return [main, ...extras, ...set.map(measureDoc)];
  });
  const outer = (title: string, id: string, correlation: Record<string, unknown>) =>
    docs.push({ kind: "correlation", title, id, outer: true, correlation });
  if (sets.length === 0) outer(ruleName, idBase, common("temporal", [main, ...extras], undefined));
  else if (sets.length === 1) outer(ruleName, idBase, common("temporal", sets[0]!, undefined));
  else outer(ruleName, idBase, common("temporal", sets.map((members) => correlationDoc("all", common("temporal", members, undefined))), { gte: 1 }));
  return { ok: true, docs, bounds };
}
