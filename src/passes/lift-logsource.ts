/**
 * liftLogsource: turns the source conditions of a query (ECS `event.category:network and
 * event.type:connection`) into a log source (`category: network_connection`) and removes them from
 * the query. Only top-level conjuncts are lifted: a condition under an `or` or `not` changes
 * which events the rule sees, so it stays in the query (and must then map as a field, or fail).
 */
import type { Logsource, Query, SequenceStep } from "../ir/query.js";
import type { FieldMapping, ProductHints } from "../mapping/mapping-table.js";
import type { MappingProblem } from "./map-fields.js";

export interface LiftContext {
  readonly tags: readonly string[];
  readonly index: readonly string[];
}

export interface LiftResult {
  readonly query: Query;
  readonly logsource?: Logsource;
  readonly problems: readonly MappingProblem[];
}

/** Lifts the log source of a boolean query, or of each step of a sequence/sample or rule of a correlation. */
export function liftLogsource(query: Query, mapping: FieldMapping, ctx: LiftContext): LiftResult {
  const problems: MappingProblem[] = [];
  const fallbackProduct = productFromContext(mapping.products, ctx);
  const liftStep = (s: SequenceStep): SequenceStep => {
    const r = liftOne(s.query, mapping, fallbackProduct, problems);
    return { ...s, query: r.query, ...(r.logsource ? { logsource: r.logsource } : {}) };
  };
  switch (query.kind) {
    case "sequence":
      return {
        query: { ...query, steps: query.steps.map(liftStep), ...(query.until ? { until: liftStep(query.until) } : {}) },
        problems,
      };
    case "sample":
      return { query: { ...query, steps: query.steps.map(liftStep) }, problems };
    case "correlation":
      return {
        query: {
          ...query,
          rules: query.rules.map((r) => {
            const l = liftOne(r.query, mapping, fallbackProduct, problems);
            return { ...r, query: l.query, ...(l.logsource ? { logsource: l.logsource } : {}) };
          }),
        },
        problems,
      };
    default: {
      const r = liftOne(query, mapping, fallbackProduct, problems);
      return { query: r.query, ...(r.logsource ? { logsource: r.logsource } : {}), problems };
    }
  }
}

function liftOne(
  query: Query,
  mapping: FieldMapping,
  fallbackProduct: string | undefined,
  problems: MappingProblem[],
): { query: Query; logsource?: Logsource } {
  const conjuncts = query.kind === "and" ? [...query.children] : [query];
  const valueOf = (field: string): { index: number; value: string } | undefined => {
    const index = conjuncts.findIndex((c) => c.kind === "match" && c.field === field && singleText(c) !== undefined);
    const c = conjuncts[index];
    return c && c.kind === "match" ? { index, value: singleText(c)! } : undefined;
  };
  /** A conjunct that says `field` is one of `allowed` (a match, or an OR of matches on it). */
  const conjunctIn = (field: string, allowed: readonly string[]): number =>
    conjuncts.findIndex((c) => {
      const alts = c.kind === "or" ? c.children : [c];
      return alts.every((a) => a.kind === "match" && a.field === field && allowed.includes(singleText(a) ?? "\u0000"));
    });

  const consumed = new Set<number>();
  let logsource: Logsource | undefined;
  for (const row of mapping.logsources) {
    const hits = Object.entries(row.conditions).map(([f, v]) => conjunctIn(f, typeof v === "string" ? [v] : v));
    if (hits.every((i) => i >= 0)) {
      hits.forEach((i) => consumed.add(i));
      logsource = { ...row.logsource };
      if (row.partial) {
        const said = Object.entries(row.conditions).map(([f, v]) => `${f}:${typeof v === "string" ? v : `(${v.join(" or ")})`}`).join(" and ");
        problems.push({
          severity: "warning",
          code: "mapping/logsource-narrowed",
          message: `\`${said}\` becomes log source category \`${row.logsource.category}\`, which covers only part of those events`,
          field: Object.keys(row.conditions)[0] ?? "",
        });
      }
      break;
    }
  }

  let product: string | undefined;
  for (const [field, values] of Object.entries(mapping.products.conditions)) {
    const found = valueOf(field);
    if (found && values[found.value.toLowerCase()]) {
      product = values[found.value.toLowerCase()];
      consumed.add(found.index);
      break;
    }
  }
  product ??= fallbackProduct;
  if (product) logsource = { ...(logsource ?? {}), product };

  const rest = conjuncts.filter((_, i) => !consumed.has(i));
  const lifted: Query =
    rest.length === 0 ? { kind: "all" } : rest.length === 1 ? rest[0]! : { ...(query as Extract<Query, { kind: "and" }>), children: rest };
  return { query: consumed.size === 0 ? query : lifted, ...(logsource ? { logsource } : {}) };
}

function singleText(q: Extract<Query, { kind: "match" }>): string | undefined {
  const v = q.value;
  return v.kind === "string" && v.parts.length === 1 && v.parts[0]?.kind === "text" ? v.parts[0].value : undefined;
}

/** Product from rule tags (`Windows`, `OS: Windows`) or index patterns (`winlogbeat-*`). */
export function productFromContext(hints: ProductHints, ctx: LiftContext): string | undefined {
  for (const t of ctx.tags) {
    const p = hints.tags[t.toLowerCase()];
    if (p) return p;
  }
  for (const i of ctx.index) {
    const p = hints.index[i];
    if (p) return p;
  }
  return undefined;
}
