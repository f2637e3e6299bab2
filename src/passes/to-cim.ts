/**
 * toCim: a rule (Sigma taxonomy or ECS, as read) → the CIM data set that holds each of its
 * queries' events and the query in that data set's field names (a `CimPlan`, recorded on the rule
 * for a CIM renderer). ECS literals take their ECS types and the log source is lifted out of an
 * ECS query first. When the rule cannot be said in CIM (no data set for its log source, a field,
 * value or join key the data set lacks, a construct a CIM search has no form for), the plan is the
 * reason, naming it, so the target can search the raw events instead of matching something else.
 */
import type { CimPlan, CimQuery, CimStep } from "../ir/cim.js";
import type { CorrelationMeasure, Logsource, NodeOf, Query } from "../ir/query.js";
import type { Rule } from "../ir/rule.js";
import { sequenceConditionProblem } from "../ir/sequence-condition.js";
import { expandRuns } from "../ir/sequence-runs.js";
import type { CimMappings, CimRoute } from "../mapping/cim-mapping.js";
import { caselessToBase } from "./caseless-fields.js";
import { ecsFieldTypes } from "./ecs-field-types.js";
import { liftLogsource } from "./lift-logsource.js";
import type { MappingProblem } from "./map-fields.js";
import { mapToCim, simplify } from "./map-to-cim.js";
import { isComputedMeasure } from "../ir/correlation-measures.js";

export interface ToCimResult {
  readonly plan: CimPlan;
  /** Warnings of the mapping (a widened field or value); empty when the plan is `not-cim`. */
  readonly problems: readonly MappingProblem[];
  /** The log source's product, which no CIM condition says (a data set holds every system's events). */
  readonly product?: string;
}

class NotCim {
  constructor(readonly reason: string) {}
}

export function toCim(rule: Rule, cim: CimMappings): ToCimResult {
  const notCim = (reason: string): ToCimResult => ({ plan: { kind: "not-cim", reason }, problems: [] });
  const routes = rule.taxonomy === "ecs" ? cim.ecs : cim.sigma;
  let query: Query = rule.query;
  let logsource = rule.logsource;
  const problems: MappingProblem[] = [];
  if (rule.taxonomy === "ecs") {
    const typed = ecsFieldTypes(caselessToBase(query));
    const lifted = liftLogsource(typed.query, cim.ecsLogsources, { tags: rule.tags, index: rule.index });
    // Its other warnings are about the raw-event form's names; only an error keeps the rule out of CIM.
    const bad = [...typed.problems, ...lifted.problems].find((p) => p.severity === "error");
    const whole = bad ? notCim(bad.message) : undefined;
    // A query no one data set holds may be an OR of branches that each one does.
    const perBranch = () => (typed.problems.some((p) => p.severity === "error") ? undefined : unionOfBranches(typed.query, rule, cim, routes));
    if (whole) return perBranch() ?? whole;
    if (isBoolean(lifted.query)) {
      const one = toCimSearch(lifted.query, lifted.logsource ?? rule.logsource, routes, lifted.problems);
      return one.plan.kind === "not-cim" ? (perBranch() ?? one) : one;
    }
    // A lift that covers only part of the query's events narrows the CIM search as much as the raw one.
    problems.push(...lifted.problems.filter((p) => p.code === "mapping/logsource-narrowed"));
    query = lifted.query;
    logsource = lifted.logsource ?? rule.logsource;
  }
  const done = (plan: CimPlan): ToCimResult => ({ plan, problems: once(problems), ...(logsource?.product ? { product: logsource.product } : {}) });
  try {
    switch (query.kind) {
      case "sequence": {
        const q = expandRuns(query);
        if (q.steps.some((s) => s.missing)) throw new NotCim("absent-event steps (`![...]`) are not converted");
        const step = (s: { query: Query; logsource?: Logsource; by: readonly string[] }): CimStep => cimStep(s.query, s.logsource ?? logsource, [...q.by, ...s.by], routes, problems);
        const steps = q.steps.map(step);
        const until = q.until ? step(q.until) : undefined;
        return done({ kind: "sequence", steps, ...(until ? { until } : {}), ...(q.maxspan ? { maxspan: q.maxspan } : {}) });
      }
      case "sample": {
        const q = query;
        return done({ kind: "sample", steps: q.steps.map((s) => cimStep(s.query, s.logsource ?? logsource, [...q.by, ...s.by], routes, problems)) });
      }
      case "correlation": {
        const q = query;
        if (q.type.startsWith("value_") && !q.valueField) throw new NotCim(`a ${q.type} correlation needs the field it measures`);
        if ((q.minEvents ?? 0) > 1) throw new NotCim(`the correlation needs both ${q.minEvents} events and a distinct count per group; the search counts one measure`);
        const ordered = q.type === "temporal_ordered" ? sequenceConditionProblem(q) : undefined;
        if (ordered) throw new NotCim(ordered);
        const planned = q.rules.map((r) => planStep(r.query, r.logsource ?? logsource, q.groupBy.map((g) => r.aliases?.[g] ?? g), routes, problems));
        const valueField = q.valueField === undefined ? undefined : measuredField(q.valueField, planned.map((p) => p.route));
        const measure = (m: CorrelationMeasure): CorrelationMeasure => cimMeasure(m, planned, r0ls(q, logsource), routes, problems);
        const extraMeasures = (q.extraMeasures ?? []).map(measure);
        const anyOf = (q.anyOf ?? []).map((set) => set.map(measure));
        return done({
          kind: "correlation",
          type: q.type,
          rules: planned.map((p) => p.step),
          condition: q.condition,
          ...(q.timespan ? { timespan: q.timespan } : {}),
          ...(valueField ? { valueField } : {}),
          ...(extraMeasures.length ? { extraMeasures } : {}),
          ...(anyOf.length ? { anyOf } : {}),
        });
      }
      case "newTerms": {
        const { mapped, route } = cim1(query.query, logsource, routes, problems);
        const keys = query.fields.map((f) => newTermsKey(f, route, problems));
        return done({ kind: "newTerms", search: { ...mapped, keys }, history: query.history });
      }
      case "pipe":
      case "opaque":
        throw new NotCim(`a ${query.kind} query is not converted to a CIM search`);
      default:
        return done({ kind: "search", search: cim1(query, logsource, routes, problems).mapped });
    }
  } catch (e) {
    if (e instanceof NotCim) return notCim(e.reason);
    throw e;
  }
}

function isBoolean(q: Query): boolean {
  return !["sequence", "sample", "correlation", "newTerms", "pipe", "opaque"].includes(q.kind);
}

/** A lifted ECS boolean query as one search over its data set (the lift's narrowing warnings kept). */
function toCimSearch(q: Query, ls: Logsource | undefined, routes: readonly CimRoute[], liftProblems: readonly MappingProblem[]): ToCimResult {
  const problems: MappingProblem[] = liftProblems.filter((p) => p.code === "mapping/logsource-narrowed");
  try {
    const { mapped } = cim1(q, ls, routes, problems);
    return { plan: { kind: "search", search: mapped }, problems: once(problems), ...(ls?.product ? { product: ls.product } : {}) };
  } catch (e) {
    if (e instanceof NotCim) return { plan: { kind: "not-cim", reason: e.reason }, problems: [] };
    throw e;
  }
}

/**
 * `R and (B1 or B2 ...)` (or a bare OR) as `(R and B1) or (R and B2) ...`, which is the same query:
 * each branch lifted and mapped on its own. One data set for every branch is one search (the ORed
 * queries); different data sets of one data model are a union. Any branch that is no CIM search,
 * or data sets of different models, and it is undefined (the caller keeps its own reason).
 */
function unionOfBranches(q: Query, rule: Rule, cim: CimMappings, routes: readonly CimRoute[]): ToCimResult | undefined {
  const conjuncts = q.kind === "and" ? q.children : [q];
  const at = conjuncts.findIndex((c) => c.kind === "or");
  if (at < 0 || conjuncts.slice(at + 1).some((c) => c.kind === "or")) return undefined;
  const rest = conjuncts.filter((_, i) => i !== at);
  const branches = (conjuncts[at] as NodeOf<"or">).children.map((b): Query => (rest.length === 0 ? b : { kind: "and", children: [...rest, b] }));
  const plans = branches.map((b) => {
    const lifted = liftLogsource(b, cim.ecsLogsources, { tags: rule.tags, index: rule.index });
    if (lifted.problems.some((p) => p.severity === "error")) return undefined;
    const r = toCimSearch(lifted.query, lifted.logsource ?? rule.logsource, routes, lifted.problems);
    return r.plan.kind === "search" ? { search: r.plan.search, problems: r.problems, product: r.product } : undefined;
  });
  if (!plans.every((p) => p !== undefined)) return undefined;
  const searches = plans.map((p) => p!.search);
  const first = searches[0]!.dataset;
  if (searches.some((s) => s.dataset.model !== first.model)) return undefined;
  const problems = once(plans.flatMap((p) => p!.problems));
  const products = [...new Set(plans.map((p) => p!.product))];
  const product = products.length === 1 && products[0] ? { product: products[0] } : {};
  if (searches.every((s) => s.dataset === first)) return { plan: { kind: "search", search: { dataset: first, query: simplify({ kind: "or", children: searches.map((s) => s.query) }) } }, problems, ...product };
  return { plan: { kind: "union", searches }, problems, ...product };
}

/** Once each: a step repeated (`with runs`) or several steps in one data set would repeat a warning. */
function once(ps: readonly MappingProblem[]): MappingProblem[] {
  return ps.filter((p, i) => ps.findIndex((o) => o.code === p.code && o.field === p.field && o.message === p.message) === i);
}

/** One boolean query in CIM names, or NotCim with the first error. */
function cim1(q: Query, ls: Logsource | undefined, routes: readonly CimRoute[], problems: MappingProblem[]): { mapped: CimQuery; route: CimRoute } {
  const m = mapToCim(q, ls, routes);
  const error = m.problems.find((p) => p.severity === "error");
  if (error || !m.query || !m.dataset || !m.route) throw new NotCim(error?.message ?? "no CIM data set");
  problems.push(...m.problems);
  return { mapped: { query: m.query, dataset: m.dataset }, route: m.route };
}

/** A sequence or sample step in the CIM names of its data set, its join keys too. */
function cimStep(q: Query, ls: Logsource | undefined, keys: readonly string[], routes: readonly CimRoute[], problems: MappingProblem[]): CimStep {
  return planStep(q, ls, keys, routes, problems).step;
}

/**
 * The field a correlation measures (counts distinct values of, adds up), in CIM names: a plain
 * rename in every correlated rule's data set, to one name. A widening rename would change the
 * measure itself (fewer distinct values), so it is no CIM home here.
 */
function measuredField(field: string, routes: readonly CimRoute[]): string {
  const names = routes.map((route) => {
    const row = route.fields.fields.get(field);
    if (!row || row.value !== "same") throw new NotCim(`the measured field \`${field}\` has no field in CIM ${route.dataset.key}`);
    const why = route.widening.get(field);
    if (why) throw new NotCim(`the measured field \`${field}\` → \`${row.to}\` in CIM ${route.dataset.key} would change what is measured: ${why}`);
    return row.to;
  });
  const first = names[0]!;
  if (names.some((n) => n !== first)) throw new NotCim(`the measured field \`${field}\` has different CIM names in the correlated rules' data sets (${[...new Set(names)].join(", ")})`);
  return first;
}

/** The log source of a correlation's first rule (its measures' filters are read in that rule's data set). */
function r0ls(q: NodeOf<"correlation">, logsource: Logsource | undefined): Logsource | undefined {
  return q.rules[0]?.logsource ?? logsource;
}

/**
 * A further measure of a correlation's groups in CIM names: its field a plain rename in every
 * correlated rule's data set (as the main measure's), its filter in the data set's names, which
 * must then be the one data set of every correlated rule.
 */
function cimMeasure(m: CorrelationMeasure, planned: readonly { route: CimRoute }[], ls: Logsource | undefined, routes: readonly CimRoute[], problems: MappingProblem[]): CorrelationMeasure {
  if (m.type !== "event_count" && m.valueField === undefined) throw new NotCim(`a further ${m.type} measure needs the field it measures`);
  if (isComputedMeasure(m)) throw new NotCim(`a further ${m.type} measure counts a computed value (fallback fields, lower-cased values), which the search does not say`);
  const valueField = m.valueField === undefined ? undefined : measuredField(m.valueField, planned.map((p) => p.route));
  let filter: Query | undefined;
  if (m.filter) {
    const { mapped } = cim1(m.filter, ls, routes, problems);
    const other = planned.find((p) => p.route.dataset !== mapped.dataset);
    if (other) throw new NotCim(`a measure's filter is read in CIM ${mapped.dataset.key}, but a correlated rule's events are in ${other.route.dataset.key}`);
    filter = mapped.query;
  }
  return { type: m.type, condition: m.condition, ...(valueField ? { valueField } : {}), ...(filter ? { filter } : {}) };
}

/**
 * A new-terms field's CIM name in the route's data set: a plain rename there. A widening one
 * (host.id → dest, the host by its name) merges the histories of the values it joins, so a term new
 * to one of them may not be new to the group: the rule converts with a warning saying so, as a join
 * key does (ESCU's searches group by dest too).
 */
function newTermsKey(field: string, route: CimRoute, problems: MappingProblem[]): string {
  const row = route.fields.fields.get(field);
  if (!row || row.value !== "same") throw new NotCim(`new-terms field \`${field}\` has no field in CIM ${route.dataset.key}`);
  const why = route.widening.get(field);
  if (why) problems.push({ severity: "warning", code: "mapping/widened", message: `new-terms field \`${field}\` → \`${row.to}\` in CIM ${route.dataset.key} merges values: ${why}; a value new to one of them is not new when another already had it, so the search may alert less`, field });
  return row.to;
}

function planStep(q: Query, ls: Logsource | undefined, keys: readonly string[], routes: readonly CimRoute[], problems: MappingProblem[]): { step: CimStep; route: CimRoute } {
  const { mapped, route } = cim1(q, ls, routes, problems);
  const cimKeys = keys.map((k) => {
    const row = route.fields.fields.get(k);
    if (!row || row.value !== "same") throw new NotCim(`join key \`${k}\` has no field in CIM ${mapped.dataset.key}`);
    const why = route.widening.get(k);
    if (why) problems.push({ severity: "warning", code: "mapping/widened", message: `join key \`${k}\` → \`${row.to}\`: ${why}`, field: k });
    return row.to;
  });
  return { step: { ...mapped, keys: cimKeys }, route };
}
