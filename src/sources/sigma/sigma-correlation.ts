/**
 * A Sigma correlation document → a `correlation` query over the rules it names. Every type,
 * temporal_ordered included, become `{kind:"correlation"}` (not `sequence`): the IR sequence has
 * per-step join keys but no aliases, and keeping one node kind keeps the Sigma writer lossless.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type { CorrelationType, CountCondition, Duration, NodeOf, Query } from "../../ir/query.js";
import { checkDuration, formatDuration } from "../../ir/duration.js";
import type { Rule } from "../../ir/rule.js";
import { type DocContext, report } from "./read-context.js";
import { readChain } from "./sigma-chain.js";
import { findPair, pairKey } from "./sigma-meta.js";

const TYPES: readonly CorrelationType[] = ["event_count", "value_count", "value_sum", "value_avg", "temporal", "temporal_ordered"];
const OPS = ["gt", "gte", "lt", "lte", "eq", "neq"] as const;

export interface CorrelationRead {
  readonly query: Query;
  /** The rules it names, resolved, in order. */
  readonly referenced: readonly Rule[];
}

/** Looks a rule up by `id` or `name`. */
export type RuleLookup = (ref: string) => Rule | undefined;

export function readCorrelation(ctx: DocContext, node: Node, lookup: RuleLookup): CorrelationRead | undefined {
  const at = node.range?.[0] ?? 0;
  if (!isMap(node)) {
    report(ctx, "error", "sigma/invalid-correlation", "`correlation` must be a mapping", at, "give type, rules, group-by, timespan and condition");
    return undefined;
  }
  const fail = (code: string, message: string, offset: number, hint: string): undefined => {
    report(ctx, "error", code, message, offset, hint);
    return undefined;
  };
  const value = (k: string): Node | null | undefined => findPair(node, k)?.value as Node | null | undefined;
  const where = (k: string): number => (value(k) as Node | null)?.range?.[0] ?? at;

  const typeNode = value("type");
  const type = isScalar(typeNode) ? String(typeNode.value) : "";
  if (!(TYPES as readonly string[]).includes(type)) {
    // The specification names no percentile rank for value_percentile, so its meaning is not fixed.
    const known = type === "value_percentile";
    return fail(
      known ? "sigma/unsupported-correlation-type" : "sigma/invalid-correlation",
      known ? `correlation type '${type}' is not converted: the Sigma specification gives it no percentile rank, so what it compares is not defined` : `unknown correlation type '${type}'`,
      where("type"),
      `supported: ${TYPES.join(", ")}`,
    );
  }

  const rulesNode = value("rules");
  const refs = isSeq(rulesNode) ? rulesNode.items.map((i) => (isScalar(i) ? String(i.value) : "")) : isScalar(rulesNode) ? [String(rulesNode.value)] : [];
  if (refs.length === 0) return fail("sigma/invalid-correlation", "the correlation names no rules", where("rules"), "list rule ids or names under `rules`");
  const resolved = refs.map((ref) => lookup(ref));
  const referencedAt = (i: number): Rule | undefined => resolved[i];
  let unresolved = false;
  resolved.forEach((rule, i) => {
    const ref = refs[i] as string;
    if (!rule) {
      unresolved = true;
      const item = isSeq(rulesNode) ? (rulesNode.items[i] as Node) : rulesNode;
      report(ctx, "error", "sigma/unresolved-rule-reference", `the correlation names '${ref}', which is not a rule in this file or the known rules`, item?.range?.[0] ?? at, "reference a rule by its `id` or `name`");
    }
  });

  let timespan: Duration | undefined;
  const tsNode = value("timespan");
  if (tsNode !== undefined) {
    const m = isScalar(tsNode) ? /^(\d+)(s|m|h|d)$/.exec(String(tsNode.value)) : null;
    if (!m) return fail("sigma/invalid-correlation", "`timespan` must look like 30s, 5m, 1h or 2d, above zero", where("timespan"), "a number then s, m, h or d");
    const span = checkDuration(m[1]!, m[2] as Duration["unit"]);
    if (!span.ok) return fail("sigma/invalid-correlation", `\`timespan\`: ${span.problem}`, where("timespan"), "a number then s, m, h or d, above zero and at most a year");
    timespan = span.duration;
  } else {
    // Without it a scheduled search would count over its own look-back, which the rule never said.
    return fail("sigma/invalid-correlation", "the correlation has no `timespan`, which the Sigma specification requires", at, "add e.g. `timespan: 5m`");
  }

  const gbNode = value("group-by");
  const groupBy = isSeq(gbNode) ? gbNode.items.map((i) => (isScalar(i) ? String(i.value) : "")) : isScalar(gbNode) && gbNode.value !== null ? [String(gbNode.value)] : [];

  // Aliases land on each sub-rule: `{alias: field}` for the rules that spell the alias differently.
  const aliasesNode = value("aliases");
  const perRule: Record<string, string>[] = refs.map(() => ({}));
  if (aliasesNode !== undefined && aliasesNode !== null) {
    if (!isMap(aliasesNode)) return fail("sigma/invalid-alias", "`aliases` must be a mapping", where("aliases"), "aliases: {alias: {ruleName: field}}");
    for (const pair of aliasesNode.items) {
      const alias = pairKey(pair);
      if (!isMap(pair.value)) return fail("sigma/invalid-alias", `alias '${alias}' must map rule names to fields`, offsetOf(pair.key, at), "aliases: {alias: {ruleName: field}}");
      for (const p of pair.value.items) {
        const ruleRef = pairKey(p);
        const i = refs.findIndex((r, k) => r === ruleRef || referencedAt(k)?.id === ruleRef || referencedAt(k)?.custom["name"] === ruleRef);
        if (i < 0 || !isScalar(p.value)) {
          return fail("sigma/invalid-alias", `alias '${alias}' names '${ruleRef}', which is not one of the correlated rules`, offsetOf(p.key, at), `correlated: ${refs.join(", ")}`);
        }
        (perRule[i] as Record<string, string>)[alias] = String(p.value.value);
      }
    }
  }

  const condNode = value("condition");
  const condition: CountCondition[] = [];
  let valueField: string | undefined;
  if (isMap(condNode)) {
    for (const p of condNode.items) {
      const k = pairKey(p);
      const v = isScalar(p.value) ? p.value.value : undefined;
      if (k === "field" && typeof v === "string") valueField = v;
      else if (k === "field") return fail("sigma/invalid-correlation", "`condition.field` must be one field name (a list of fields is not converted)", offsetOf(p.value, at), "name one field");
      else if ((OPS as readonly string[]).includes(k) && typeof v === "number" && Number.isFinite(v)) condition.push({ op: k as CountCondition["op"], value: v });
      else return fail("sigma/invalid-correlation", `condition \`${k}\` is not one of ${OPS.join(", ")} with a finite number, or \`field\``, (p.key as Node | null)?.range?.[0] ?? at, "e.g. `condition: {gte: 10}`");
    }
  } else if (condNode !== undefined && condNode !== null) {
    return fail("sigma/invalid-correlation", "the correlation `condition` must be a mapping", where("condition"), "e.g. `condition: {gte: 10}`");
  }
  if (condition.length === 0) {
    if (type === "temporal" || type === "temporal_ordered") condition.push({ op: "gte", value: refs.length });
    else return fail("sigma/invalid-correlation", `a ${type} correlation needs a count condition`, where("condition") , "e.g. `condition: {gte: 10}`");
  }
  if (type.startsWith("value_") && !valueField) return fail("sigma/invalid-correlation", `${type} needs \`condition.field\``, where("condition"), type === "value_count" ? "name the field whose distinct values are counted" : "name the numeric field to add up or average");
  if (unresolved) return undefined;
  const referenced = resolved as Rule[];
  // The specification allows chains (a correlation of correlations). The one form read is the
  // one the Sigma target writes for several bounded measures (sigma-chain.ts); others are refused.
  const chained = referenced.findIndex((r) => r.query.kind === "correlation");
  if (chained >= 0) {
    const item = isSeq(rulesNode) ? (rulesNode.items[chained] as Node) : rulesNode;
    const refuse = (why: string) => fail("sigma/chained-correlation", `the correlation names '${refs[chained]}', itself a correlation, and ${why}`, item?.range?.[0] ?? at, "correlate the base rules directly");
    if (type !== "temporal") return refuse(`a ${type} correlation of correlations is not converted`);
    if (referenced.some((r) => r.query.kind !== "correlation")) return refuse("it also names base rules");
    if (perRule.some((a) => Object.keys(a).length > 0)) return refuse("a chain with aliases is not converted");
    const chain = readChain(
      referenced.map((r) => r.query as NodeOf<"correlation">),
      condition,
      groupBy,
      timespan,
    );
    if (!chain.ok) return refuse(chain.reason);
    report(
      ctx,
      "warning",
      "sigma/chain-narrowed",
      `the chain of ${refs.length} correlations is read as one correlation whose bounds all hold over one window of ${timespan ? formatDuration(timespan) : "the look-back"}; Sigma lets each hold in a window of its own within that timespan, so the rule read matches less`,
      at,
      "a platform that counts several measures in one search (ES|QL STATS, Splunk stats) says the chain this way",
    );
    return { query: chain.query, referenced };
  }

  const query: Query = {
    kind: "correlation",
    type: type as CorrelationType,
    rules: referenced.map((r, i) => ({
      name: refs[i] as string,
      query: r.query,
      ...(r.logsource ? { logsource: r.logsource } : {}),
      ...(Object.keys(perRule[i] ?? {}).length ? { aliases: perRule[i] } : {}),
    })),
    groupBy,
    ...(timespan ? { timespan } : {}),
    condition,
    ...(valueField ? { valueField } : {}),
  };
  return { query, referenced };
}

/** `generate` on the correlation document (default false: only the correlation fires). */
function offsetOf(n: unknown, fallback: number): number {
  return (n as Node | null)?.range?.[0] ?? fallback;
}

export function readGenerate(doc: YAMLMap): boolean {
  const p = findPair(doc, "generate");
  return isScalar(p?.value) && p.value.value === true;
}
