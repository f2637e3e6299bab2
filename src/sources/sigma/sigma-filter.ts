/**
 * Sigma filter documents (Sigma Filters specification v2.0.0): `logsource` and `filter` with
 * `rules` (ids or names, or `any`), selections and a `condition`. A filter narrows the rules it
 * names: their detection becomes `(rule condition) and (filter condition)`, as pySigma applies it,
 * for each rule whose log source the filter's covers. Reading here; applying in the pipeline,
 * once every file is read (a filter usually lives apart from its rules).
 */
import { isMap, isScalar, isSeq, YAMLMap, type Node } from "yaml";
import type { Logsource, Query } from "../../ir/query.js";
import { type DocContext, report } from "./read-context.js";
import { readDetection } from "./sigma-detection.js";
import { findPair, readLogsource } from "./sigma-meta.js";
import type { ItemOptions } from "./sigma-modifiers.js";

export interface SigmaFilter {
  readonly title: string;
  readonly id?: string;
  /** Rule ids or names the filter applies to; `any`: every rule its log source covers. */
  readonly rules: readonly string[] | "any";
  readonly logsource: Logsource;
  /** The filter's condition; spans are offsets into its own file and are dropped when applied. */
  readonly query: Query;
  readonly file: string;
  readonly line: number;
}

export function readSigmaFilter(ctx: DocContext, map: YAMLMap, line: number, opts: ItemOptions): SigmaFilter | undefined {
  const at = map.range?.[0] ?? 0;
  const str = (key: string): string | undefined => {
    const v = findPair(map, key)?.value;
    return isScalar(v) && typeof v.value === "string" ? v.value : undefined;
  };
  const title = str("title");
  if (!title) report(ctx, "error", "sigma/missing-title", "a filter needs a `title`", at, "add `title:`");
  // Keys beyond category/product/service/definition have no use in a filter: read and let go.
  const logsource = readLogsource(ctx, findPair(map, "logsource"), {}, at);
  if (!logsource) {
    report(ctx, "error", "sigma/invalid-filter", "a filter needs a `logsource` mapping", at, "name the category/product/service the filter's rules read");
    return undefined;
  }
  const body = findPair(map, "filter")?.value as Node | null | undefined;
  if (!isMap(body)) {
    report(ctx, "error", "sigma/invalid-filter", "`filter` must be a mapping of `rules`, selections and a `condition`", body?.range?.[0] ?? at, "see the Sigma filters specification");
    return undefined;
  }
  const rulesPair = findPair(body, "rules");
  const rules = readRuleRefs(ctx, rulesPair?.value as Node | null | undefined, body.range?.[0] ?? at);
  // The selections and condition read as a detection, without `rules`.
  const detection = new YAMLMap();
  detection.items = body.items.filter((p) => p !== rulesPair);
  detection.range = body.range;
  const query = readDetection(ctx, detection, opts);
  if (!title || !rules || !query) return undefined;
  const id = str("id");
  return { title, ...(id ? { id } : {}), rules, logsource, query, file: ctx.src.file, line };
}

function readRuleRefs(ctx: DocContext, node: Node | null | undefined, at: number): readonly string[] | "any" | undefined {
  if (isScalar(node) && typeof node.value === "string" && node.value.toLowerCase() === "any") return "any";
  if (isSeq(node) && node.items.length > 0 && node.items.every((i) => isScalar(i) && typeof i.value === "string")) {
    return node.items.map((i) => String((i as { value: unknown }).value));
  }
  report(ctx, "error", "sigma/invalid-filter", "`filter.rules` must list at least one rule id or name (or be `any`)", node?.range?.[0] ?? at, "name the rules the filter narrows");
  return undefined;
}
