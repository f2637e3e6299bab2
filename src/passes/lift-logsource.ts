/**
 * liftLogsource: turns the source conditions of a query (ECS `event.category:network and
 * event.type:connection`) into a log source (`category: network_connection`) and removes them from
 * the query. Only top-level conjuncts are lifted: a condition under an `or` or `not` changes
 * which events the rule sees, so it stays in the query (and must then map as a field, or fail).
 *
 * The log source is inferred from all the evidence, strongest first: fields only one log source
 * has (script-block text → ps_script), the query's source conditions (event.category/type,
 * event.dataset, host.os.type), then the rule's index patterns and tags. Evidence that disagrees
 * is a warning naming both sides (the query wins over index patterns); a field that contradicts the
 * query's own source conditions is an error. When nothing names a Sigma log source, the data set is
 * written as product/service with a `definition`, and a warning: never an empty log source.
 */
import type { Logsource, Query, SequenceStep } from "../ir/query.js";
import { queryFields } from "../ir/query-fields.js";
import type { FieldMapping, LeftOut } from "../mapping/mapping-table.js";
import { agree, contextOf, datasetAsLogsource, datasetLogsource, describe, fallback, KEYS, type Context, type Key, type LiftContext } from "./lift-context.js";
import { conjunctText, liftExactness } from "./lift-exactness.js";
import { isAlternation, patternText, patternValuesOf, valuesOf } from "./lift-values.js";
import { leftOutBranches, matchText } from "./left-out-branches.js";
import type { MappingProblem } from "./map-fields.js";

export type { LiftContext } from "./lift-context.js";


export interface LiftResult {
  readonly query: Query;
  readonly logsource?: Logsource;
  readonly problems: readonly MappingProblem[];
}

const DATASET_FIELDS = ["event.dataset", "data_stream.dataset"];


/** Fields a conjunct the category implies tests: dropping it loses nothing the category does not say. */
function impliedFields(c: Query): string[] {
  return (c.kind === "or" ? c.children : [c]).flatMap((a) => (a.kind === "match" ? [a.field] : []));
}

/** Lifts the log source of a boolean query, or of each step of a sequence/sample or rule of a correlation. */
export function liftLogsource(query: Query, mapping: FieldMapping, ctx: LiftContext): LiftResult {
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  const report = (p: MappingProblem): void => {
    const key = `${p.code}:${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  };
  const context = contextOf(mapping, ctx);
  const liftStep = (s: SequenceStep): SequenceStep => {
    const r = liftOne(s.query, mapping, context, report);
    return { ...s, query: r.query, logsource: r.logsource };
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
            const l = liftOne(r.query, mapping, context, report);
            return { ...r, query: l.query, logsource: l.logsource };
          }),
        },
        problems,
      };
    case "newTerms": {
      // One search: its log source is the rule's, as for a boolean query.
      const r = liftOne(query.query, mapping, context, report);
      return { query: { ...query, query: r.query }, logsource: r.logsource, problems };
    }
    default: {
      const r = liftOne(query, mapping, context, report);
      return { query: r.query, logsource: r.logsource, problems };
    }
  }
}

function liftOne(
  query: Query,
  mapping: FieldMapping,
  context: Context,
  report: (p: MappingProblem) => void,
): { query: Query; logsource: Logsource } {
  // An AND nested in the top-level AND is more top-level conjuncts: a rule's Kibana filters are
  // ANDed beside its query, `(query) and not filter`, and the query's source conditions are in there.
  const flat = (q: Query): Query[] => (q.kind === "and" ? q.children.flatMap(flat) : [q]);
  const conjuncts = flat(query);
  /** A conjunct that says `field` is one of `allowed` (a match, or an OR of matches on it). */
  const conjunctIn = (field: string, allowed: readonly string[]): number =>
    conjuncts.findIndex((c, i) => !consumed.has(i) && valuesOf(c, field)?.every((v) => allowed.includes(v)) === true);
  const consumed = new Set<number>();
  /**
   * Conjuncts lifted although they allow events of another kind too (a row's `narrows`): each is
   * said in a warning at the end, if it is still lifted then.
   */
  const leftOut = new Map<number, { text: string; lifted: string; left: string[]; reason: string }>();
  /** A conjunct allowing `field` in `allowed` and values `narrows` lists (at least one of the first). */
  const conjunctLeaving = (field: string, allowed: readonly string[], narrows: LeftOut | undefined, text: (a: Query) => string | undefined = matchText) => {
    if (!narrows) return undefined;
    for (const [i, c] of conjuncts.entries()) {
      if (consumed.has(i)) continue;
      const left = leftOutBranches(c, (b) => b.kind === "match" && b.field === field && allowed.includes(text(b) ?? "\0"), narrows);
      if (left) return { index: i, left };
    }
    return undefined;
  };
  /** What the query says, and which condition said it. */
  const said: Partial<Record<Key, { value: string; by: string }>> = {};
  const claim = (ls: Logsource, by: string): void => {
    for (const k of KEYS) {
      const v = ls[k];
      if (v === undefined) continue;
      const before = said[k];
      if (before && before.value !== v) {
        report({
          severity: "warning",
          code: "mapping/logsource-conflict",
          message: `${before.by} says log source ${k} \`${before.value}\`, but ${by} says \`${v}\`; the first is kept`,
          field: "logsource",
        });
        continue;
      }
      said[k] ??= { value: v, by };
    }
  };

  // 1. Fields only one log source has.
  const used = new Set(queryFields(query).map((u) => u.field));
  const sourceField = (mapping.sourceFields ?? []).find((f) => used.has(f.ecs));
  if (sourceField) {
    for (const [f, v] of Object.entries(sourceField.implies)) {
      const i = conjunctIn(f, typeof v === "string" ? [v] : v);
      if (i >= 0) consumed.add(i);
    }
    claim(sourceField.logsource, `field \`${sourceField.ecs}\``);
  }

  // 2. Source conditions: event.category/type rows (the first that fits).
  for (const row of mapping.logsources) {
    const hits = Object.entries(row.conditions).map(([f, v]) => conjunctIn(f, typeof v === "string" ? [v] : v));
    // Conjuncts that allow events of another kind too, which this row leaves out (`narrows`).
    const leaving = new Map<number, string[]>();
    Object.entries(row.conditions).forEach(([f, v], n) => {
      if (hits[n]! >= 0) return;
      const found = conjunctLeaving(f, typeof v === "string" ? [v] : v, row.narrows);
      if (found && !hits.includes(found.index)) {
        hits[n] = found.index;
        leaving.set(found.index, found.left);
      }
    });
    if (!hits.every((i) => i >= 0)) continue;
    const text = Object.entries(row.conditions).map(([f, v]) => `${f}:${typeof v === "string" ? v : `(${v.join(" or ")})`}`).join(" and ");
    if (sourceField && sourceField.logsource.category !== undefined && row.logsource.category !== sourceField.logsource.category) {
      report({
        severity: "error",
        code: "mapping/logsource-field-conflict",
        message: `field \`${sourceField.ecs}\` exists only in log source category \`${sourceField.logsource.category}\`, but \`${text}\` says category \`${row.logsource.category}\`: the query can match no event`,
        field: sourceField.ecs,
      });
      break;
    }
    const keep = new Set(row.keep ?? []);
    Object.keys(row.conditions).forEach((f, n) => {
      if (!keep.has(f)) consumed.add(hits[n]!);
    });
    if (row.partial) {
      report({
        severity: "warning",
        code: "mapping/logsource-narrowed",
        message: `\`${text}\` becomes log source category \`${row.logsource.category}\`, which covers only part of those events`,
        field: Object.keys(row.conditions)[0] ?? "",
      });
    }
    for (const [i, left] of leaving) leftOut.set(i, { text: conjunctText(conjuncts[i]!), lifted: describe(row.logsource), left, reason: row.narrows!.reason });
    claim(row.logsource, `\`${text}\``);
    break;
  }

  // 2b. One conjunct that ORs the condition sets several shippers write one log source with
  // (Defend's `event.category:library`, Sysmon-via-Winlogbeat's process + `Image loaded*`).
  if (!said.category && !sourceField) {
    for (const row of mapping.alternatives ?? []) {
      const i = conjuncts.findIndex((c, j) => !consumed.has(j) && isAlternation(c, row.any, row.someOf ?? false, row.narrows) !== undefined);
      if (i < 0) continue;
      consumed.add(i);
      const text = `\`${row.any.map((set) => Object.entries(set).map(([f, v]) => `${f}:${v.join(" or ")}`).join(" and ")).join("` or `")}\``;
      if (row.partial) {
        report({
          severity: "warning",
          code: "mapping/logsource-narrowed",
          message: `${row.someOf ? "one of " : ""}${text} becomes log source category \`${row.logsource.category}\`, which covers only part of those events`,
          field: Object.keys(row.any[0] ?? {})[0] ?? "",
        });
      }
      const left = isAlternation(conjuncts[i]!, row.any, row.someOf ?? false, row.narrows)!;
      if (left.length > 0) leftOut.set(i, { text: conjunctText(conjuncts[i]!), lifted: describe(row.logsource), left, reason: row.narrows!.reason });
      claim(row.logsource, text);
      break;
    }
  }

  const evidenceExempt: string[] = [];

  // Conditions the category already says are lifted with it.
  const category = said.category?.value;
  const implied = new Set<number>();
  // Here a listed value may be a pattern (`Process Create*`): the query's own pattern must be it.
  const conjunctLike = (field: string, allowed: readonly string[]): number =>
    conjuncts.findIndex((c, i) => !consumed.has(i) && patternValuesOf(c, field)?.every((v) => allowed.includes(v)) === true);
  for (const row of mapping.implied ?? []) {
    if (row.category !== category) continue;
    for (const [f, v] of Object.entries(row.conditions)) {
      const allowed = typeof v === "string" ? [v] : v;
      let i = conjunctLike(f, allowed);
      // One that also allows events the category leaves out (Defend's `fork` beside `exec`).
      const found = i < 0 ? conjunctLeaving(f, allowed, row.narrows, (b) => (b.kind === "match" ? patternText(b) : undefined)) : undefined;
      if (found) {
        i = found.index;
        leftOut.set(i, { text: conjunctText(conjuncts[i]!), lifted: `category: ${category}`, left: found.left, reason: row.narrows!.reason });
      }
      // One that allows only such events (Defend's `fork` alone) stays in the query: say why.
      const only = i < 0 && row.narrows ? conjuncts.find((c, j) => !consumed.has(j) && leftOutBranches(c, () => false, row.narrows!, true)?.length) : undefined;
      if (only) {
        report({
          severity: "warning",
          code: "mapping/logsource-kept",
          message: `\`${conjunctText(only)}\` is not lifted with log source {category: ${category}} and stays in the query: ${row.narrows!.reason}`,
          field: f,
        });
      }
      if (i >= 0) {
        consumed.add(i);
        implied.add(i);
      }
    }
  }
  // A query of nothing but source conditions keeps the implied ones: Sigma needs a detection.
  if (conjuncts.every((_, i) => consumed.has(i))) for (const i of implied) consumed.delete(i);

  // 3. Data set conditions (event.dataset / data_stream.dataset).
  let unknownDataset: { field: string; value: string; index: number } | undefined;
  for (const field of DATASET_FIELDS) {
    const i = conjuncts.findIndex((c, j) => !consumed.has(j) && valuesOf(c, field) !== undefined);
    if (i < 0) continue;
    const values = valuesOf(conjuncts[i]!, field)!;
    const known = values.map((v) => datasetLogsource(mapping, v));
    if (known.every((k) => k !== undefined)) {
      const merged = agree(known as Logsource[]);
      if (KEYS.some((k) => merged[k] !== undefined)) {
        consumed.add(i);
        claim(merged, `\`${field}:${values.join(" or ")}\``);
      }
    } else if (values.length === 1) unknownDataset = { field, value: values[0]!, index: i };
    break;
  }

  // 4. host.os.type and its kin.
  for (const [field, products] of Object.entries(mapping.products.conditions)) {
    const i = conjuncts.findIndex((c, j) => !consumed.has(j) && valuesOf(c, field)?.length === 1);
    const v = i >= 0 ? valuesOf(conjuncts[i]!, field)![0]!.toLowerCase() : undefined;
    if (v !== undefined && products[v]) {
      consumed.add(i);
      claim({ product: products[v] }, `\`${field}:${v}\``);
      break;
    }
  }

  // A data set Sigma has no name for: it is the log source only when nothing else names one;
  // otherwise the query's category or product stands for it and `definition` names the data set.
  if (unknownDataset) {
    consumed.add(unknownDataset.index);
    if (!said.category && !said.product) claim(datasetAsLogsource(unknownDataset.value), `\`${unknownDataset.field}:${unknownDataset.value}\``);
  }

  // The same once the data set and product conditions are taken too (`file where host.os.type ==
  // "linux" and event.action == "deletion"`, a sequence step).
  if (conjuncts.every((_, i) => consumed.has(i))) for (const i of implied) consumed.delete(i);

  // 5. Index patterns, then tags, fill in what the query does not say.
  const fromQuery = Object.fromEntries(KEYS.flatMap((k) => (said[k] ? [[k, said[k]!.value]] : []))) as Logsource;
  for (const k of KEYS) {
    const v = context.index[k];
    if (v === undefined) continue;
    // A category says which events; a service from the index would only narrow it to one channel.
    if (k === "service" && fromQuery.category !== undefined) continue;
    if (said[k] && said[k]!.value !== v) {
      report({
        severity: "warning",
        code: "mapping/logsource-conflict",
        message: `${said[k]!.by} says log source ${k} \`${said[k]!.value}\`, but index pattern \`${context.indexSaid[k]}\` says \`${v}\`; the query's is kept`,
        field: "logsource",
      });
      continue;
    }
    said[k] ??= { value: v, by: `index pattern \`${context.indexSaid[k]}\`` };
  }
  if (!said.product && context.tagProduct) {
    said.product = { value: context.tagProduct, by: "tags" };
    // A cross-platform rule (tags `OS: Windows`, `OS: Linux`, ...) whose query names no OS: one
    // log source has one product, so the others' events are left out, and that is said.
    const others = context.tagProducts.filter((p) => p !== context.tagProduct);
    if (others.length > 0) {
      report({
        severity: "warning",
        code: "mapping/logsource-narrowed",
        message: `the tags name products ${context.tagProducts.map((p) => `\`${p}\``).join(", ")} and the query names none; the log source has the first, \`${context.tagProduct}\`, which leaves out the events of ${others.map((p) => `\`${p}\``).join(", ")}`,
        field: "logsource",
      });
    }
  }

  // Conditions that name a log source without being lifted (`event.action:logged-in` is an event
  // of the Security channel, and stays in the query as its event ID): only where nothing else says
  // a category or service, and the product, if said, is the row's own.
  if (!said.category && !said.service && !sourceField) {
    for (const row of mapping.evidence ?? []) {
      if (said.product && row.logsource.product !== said.product.value) continue;
      const hits = Object.entries(row.when).map(([f, allowed]) => conjunctIn(f, allowed));
      if (!hits.every((i) => i >= 0)) continue;
      claim(row.logsource, `\`${Object.keys(row.when).join("`, `")}\` (values only ${describe(row.logsource)} has)`);
      evidenceExempt.push(...row.exempt);
      break;
    }
  }

  let logsource = Object.fromEntries(KEYS.flatMap((k) => (said[k] ? [[k, said[k]!.value]] : []))) as Logsource;
  if (unknownDataset) {
    const ds = `${unknownDataset.field}: ${unknownDataset.value}`;
    logsource = { ...logsource, definition: `Elastic data set ${unknownDataset.value} (${ds}); Sigma names no log source for it` };
    report({
      severity: "warning",
      code: "mapping/logsource-guessed",
      message: `no Sigma log source is known for data set \`${ds}\`; the log source is {${describe(logsource)}}, with the data set named in \`definition\`, so a Sigma backend that ignores \`definition\` searches more than that data set`,
      field: "logsource",
    });
  }
  if (!KEYS.some((k) => logsource[k] !== undefined)) {
    const d = context.declared;
    logsource = d && KEYS.some((k) => d[k] !== undefined) ? d : fallback(context, report);
  }

  // Conditions another conjunct already says (an event.action name the pipeline gives only to
  // events of one event.category), where the log source is the one the row is about.
  const byOther: number[] = [];
  for (const row of mapping.impliedBy ?? []) {
    if (!(["category", "product", "service"] as const).every((k) => row.logsource[k] === undefined || row.logsource[k] === logsource[k])) continue;
    if (!Object.entries(row.when).every(([f, allowed]) => conjunctIn(f, allowed) >= 0)) continue;
    for (const [f, v] of Object.entries(row.implies)) {
      const i = conjunctIn(f, typeof v === "string" ? [v] : v);
      if (i >= 0) byOther.push(i);
    }
  }
  // Lifted only while something else remains: Sigma needs a detection.
  if (conjuncts.some((_, i) => !consumed.has(i) && !byOther.includes(i))) {
    for (const i of byOther) {
      consumed.add(i);
      implied.add(i);
    }
  }

  // A field only one log source has pins the events whatever the read-back adds or drops.
  const readBack = sourceField ? undefined : context.readBack?.(logsource);
  if (readBack) {
    const exempt = new Set([...Object.keys(mapping.products.conditions), ...[...implied].flatMap((i) => impliedFields(conjuncts[i]!)), ...evidenceExempt]);
    const exact = liftExactness(conjuncts, consumed, readBack, exempt, valuesOf, mapping.exclusive, mapping.exclusiveAcross);
    const lifted = `log source {${describe(logsource)}}`;
    if (exact.contradiction) {
      report({
        severity: "error",
        code: "mapping/logsource-contradiction",
        message: `${lifted} is read back in ECS as conditions the rest of the query contradicts (${exact.contradiction}): the rule would match no event`,
        field: "logsource",
      });
    }
    for (const i of exact.keep) consumed.delete(i);
    // Dropped only while something else remains: Sigma needs a detection.
    if (conjuncts.some((_, i) => !consumed.has(i) && !exact.redundant.includes(i))) for (const i of exact.redundant) consumed.add(i);
    if (exact.narrowed.length > 0) {
      report({
        severity: "warning",
        code: "mapping/logsource-narrowed",
        message: `${lifted} is read back in ECS narrower than the query said: ${exact.narrowed.join("; ")}`,
        field: "logsource",
      });
    }
    if (exact.dropped.length > 0) {
      report({
        severity: "warning",
        code: "mapping/logsource-widened",
        message: `${lifted} is read back in ECS without ${exact.dropped.map((d) => `\`${d}\``).join(", ")}, which the query said: the match widens`,
        field: "logsource",
      });
    }
  }
  for (const [i, l] of leftOut) {
    if (!consumed.has(i)) continue;
    report({
      severity: "warning",
      code: "mapping/logsource-narrowed",
      message: `\`${l.text}\` is lifted to log source {${l.lifted}}, which leaves out ${l.left.map((t) => `\`${t}\``).join(", ")}: ${l.reason}`,
      field: "logsource",
    });
  }
  const rest = conjuncts.filter((_, i) => !consumed.has(i));
  const lifted: Query =
    rest.length === 0 ? { kind: "all" } : rest.length === 1 ? rest[0]! : { ...(query as Extract<Query, { kind: "and" }>), children: rest };
  return { query: consumed.size === 0 ? query : lifted, logsource };
}
