/**
 * `--splunk-taxonomy cim`: a rule (Sigma taxonomy or ECS, as read) → a search over the CIM data
 * set that holds its events. A boolean query becomes an accelerated `tstats` search; what tstats
 * cannot say (a `| where` on a field it cannot group, free text) and sequences search the data
 * set's tagged events (`tag=process tag=report`) by CIM field names, exactly. When the rule cannot
 * be said in CIM at all (no data set for its log source, a field or value the data set lacks),
 * the reason comes back named and the caller searches by the add-ons' field names instead.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Logsource, Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import type { CimDataset, CimMappings, CimRoute } from "../../mapping/cim-mapping.js";
import { ecsFieldTypes } from "../../passes/ecs-field-types.js";
import { liftLogsource } from "../../passes/lift-logsource.js";
import type { FieldProblem as MappingProblem } from "../../diagnostics/mapping-diagnostics.js";
import { mapToCim } from "../../passes/map-to-cim.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { problemsToDiagnostics } from "../../diagnostics/mapping-diagnostics.js";
import { renderSplCondition, renderSplQuery } from "../../query/spl/spl-printer.js";
import { renderSplSample, renderSplSequence, type SplStep } from "../../query/spl/spl-sequence.js";
import { renderTstats } from "./spl-tstats.js";

export type CimSearch =
  | {
      readonly ok: true;
      readonly spl: string;
      readonly form: "tstats" | "tagged";
      /** CIM fields every result row carries (for risk objects). */
      readonly resultFields: readonly string[];
      readonly diagnostics: readonly Diagnostic[];
    }
  /** Why the rule is not a CIM search (one line, naming the field or construct). */
  | { readonly ok: false; readonly reason: string };

class NotCim {
  constructor(readonly reason: string) {}
}

export function cimSearch(rule: Rule, cim: CimMappings, opts: { readonly summariesOnly: boolean }): CimSearch {
  const routes = rule.taxonomy === "ecs" ? cim.ecs : cim.sigma;
  let query: Query = rule.query;
  let logsource = rule.logsource;
  if (rule.taxonomy === "ecs") {
    const typed = ecsFieldTypes(query);
    const lifted = liftLogsource(typed.query, cim.ecsLogsources, { tags: rule.tags, index: rule.index });
    const bad = [...typed.problems, ...lifted.problems].find((p) => p.severity === "error");
    if (bad) return { ok: false, reason: bad.message };
    query = lifted.query;
    logsource = lifted.logsource ?? rule.logsource;
  }
  const problems: MappingProblem[] = [];
  const diagnostics: Diagnostic[] = [];
  if (logsource?.product) {
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "info",
        code: "splunk/cim-product",
        message: `the log source's product (${logsource.product}) is not a CIM condition: a data set holds every operating system's events, as ESCU's detections search them`,
      }),
    );
  }
  try {
    const done = (spl: string, form: "tstats" | "tagged", resultFields: readonly string[]): CimSearch => ({
      ok: true,
      spl,
      form,
      resultFields,
      diagnostics: [...problemsToDiagnostics(rule, problems, "error"), ...diagnostics],
    });
    switch (query.kind) {
      case "sequence": {
        const q = query;
        if (q.steps.some((s) => s.missing || (s.runs ?? 1) > 1)) throw new NotCim("absent-event steps and `with runs` are not converted");
        const step = (s: SequenceStep) => cimStep(s.query, s.logsource ?? logsource, [...q.by, ...s.by], routes, problems);
        const planned = q.steps.map(step);
        const steps = planned.map((p) => p.step);
        const until = q.until ? step(q.until).step : undefined;
        if (!q.maxspan) {
          diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "splunk/sequence-window", message: "the sequence has no maxspan: it may complete anywhere inside the search window (dispatch.earliest_time), as in Elastic" }));
        }
        // The rows are the events that complete a sequence: the last step's fields.
        return done(renderSplSequence({ steps, ...(until ? { until } : {}), ...(q.maxspan ? { maxspan: q.maxspan } : {}) }), "tagged", planned[planned.length - 1]?.dataset.group ?? []);
      }
      case "sample": {
        const q = query;
        const steps = q.steps.map((s) => cimStep(s.query, s.logsource ?? logsource, [...q.by, ...s.by], routes, problems).step);
        // The rows are one per join key.
        return done(renderSplSample(steps), "tagged", steps[0]?.keys ?? []);
      }
      case "correlation":
      case "pipe":
      case "opaque":
        throw new NotCim(`a ${query.kind} query is not converted to a CIM search`);
      default: {
        const mapped = cim1(query, logsource, routes, problems);
        const t = renderTstats(mapped.query, mapped.dataset, opts);
        const refused = t.issues.find((i) => i.severity === "error");
        if (!refused) {
          diagnostics.push(...t.issues.map((i) => ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span)));
          return done(t.text, "tstats", t.groupBy);
        }
        if (refused.code !== "splunk/tstats-group" && refused.code !== "splunk/tstats-keyword") throw new NotCim(`${refused.reason} (${refused.code})`);
        const r = tagged(mapped.query, mapped.dataset);
        diagnostics.push(
          ruleDiagnostic(rule, {
            severity: "info",
            code: "splunk/cim-tagged-search",
            message: `not a tstats search: ${refused.reason}; the rule searches the tagged events of ${mapped.dataset.key} by CIM field names instead`,
          }),
        );
        return done([r.search, ...(r.where ? [`| where ${r.where}`] : [])].join("\n"), "tagged", mapped.dataset.group);
      }
    }
  } catch (e) {
    if (e instanceof NotCim) return { ok: false, reason: e.reason };
    throw e;
  }
}

/** One boolean query in CIM names, or NotCim with the first error. */
function cim1(q: Query, ls: Logsource | undefined, routes: readonly CimRoute[], problems: MappingProblem[]): { query: Query; dataset: CimDataset; route: CimRoute } {
  const m = mapToCim(q, ls, routes);
  const error = m.problems.find((p) => p.severity === "error");
  if (error || !m.query || !m.dataset || !m.route) throw new NotCim(error?.message ?? "no CIM data set");
  problems.push(...m.problems);
  return { query: m.query, dataset: m.dataset, route: m.route };
}

/** The data set's tags ANDed in front: the events a data-model search would read, as raw events. */
function withTags(q: Query, ds: CimDataset): Query {
  const tags = ds.tags.map((t): Query => ({ kind: "match", field: "tag", value: { kind: "string", parts: [{ kind: "text", value: t }] }, caseSensitive: false }));
  return { kind: "and", children: [...tags, ...(q.kind === "and" ? q.children : q.kind === "all" ? [] : [q])] };
}

function tagged(q: Query, ds: CimDataset): { search: string; where?: string } {
  const r = renderSplQuery(withTags(q, ds));
  const bad = r.issues.find((i) => i.severity === "error");
  if (bad) throw new NotCim(`${bad.reason} (${bad.code})`);
  return r;
}

/** A sequence or sample step over the tagged events of its data set, its join keys in CIM names. */
function cimStep(q: Query, ls: Logsource | undefined, keys: readonly string[], routes: readonly CimRoute[], problems: MappingProblem[]): { step: SplStep; dataset: CimDataset } {
  const m = cim1(q, ls, routes, problems);
  const whole = withTags(m.query, m.dataset);
  const r = tagged(m.query, m.dataset);
  const condition = renderSplCondition(whole);
  const bad = condition.issues.find((i) => i.severity === "error");
  if (bad) throw new NotCim(`${bad.reason} (${bad.code})`);
  const cimKeys = keys.map((k) => {
    const row = m.route.fields.fields.get(k);
    if (!row || row.value !== "same") throw new NotCim(`join key \`${k}\` has no field in CIM ${m.dataset.key}`);
    const why = m.route.widening.get(k);
    if (why) problems.push({ severity: "warning", code: "mapping/widened", message: `join key \`${k}\` → \`${row.to}\`: ${why}`, field: k });
    return row.to;
  });
  return { step: { search: r.search, condition: condition.text, keys: cimKeys }, dataset: m.dataset };
}
