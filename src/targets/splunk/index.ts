/**
 * The Splunk target: a rule in the Sigma taxonomy → SPL (`<slug>.spl`) and a savedsearches.conf
 * stanza (bundled into one `savedsearches.conf`). Field names and log sources go through the
 * sigma-splunk mapping; the query through spl-query / spl-sequence; the stanza through splunk-stanza.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { slugify } from "../../ir/ids.js";
import type { Logsource, Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { sequenceConditionProblem } from "../../passes/correlation-to-sequence.js";
import { lowerLogsource } from "../../passes/lower-logsource.js";
import { mapFields } from "../../passes/map-fields.js";
import { problemsToDiagnostics } from "../../pipeline/to-taxonomy.js";
import { ruleDiagnostic } from "../../pipeline/rule-diagnostic.js";
import type { Target, TargetContext, TargetResult } from "../target.js";
import { renderSplCondition, renderSplQuery } from "./spl-query.js";
import { renderSplCorrelation, usesFixedWindows, type CorrelationPlan } from "./spl-correlation.js";
import { renderSplSample, renderSplSequence, type SplStep } from "./spl-sequence.js";
import { splunkIndexProblem } from "./splunk-names.js";
import { renderSavedSearches, renderStanza } from "./splunk-stanza.js";

export const splunkTarget: Target = {
  name: "splunk",
  renderRule: renderSplunkRule,
  renderBundle: renderSavedSearches,
};

function renderSplunkRule(rule: Rule, ctx: TargetContext): TargetResult {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, hint?: string) =>
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }));
  const warn = (code: string, message: string) => diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code, message }));
  const table = ctx.mappings.sigmaToSplunk;

  /** A join or group-by key in Splunk's names (the sigma-splunk table answers every name). */
  const splunkName = (field: string): string => table.fields.fields.get(field)?.to ?? field;
  /** Splunk names for one boolean query from one log source. */
  const prepare = (q: Query, ls: Logsource | undefined): Query => {
    const mapped = mapFields(q, table.fields);
    const lowered = lowerLogsource(mapped.query, ls, table);
    diagnostics.push(...problemsToDiagnostics(rule, [...mapped.problems, ...lowered.problems], ctx.options.unmapped));
    return lowered.query;
  };
  const boolean = (q: Query): { search: string; where?: string } | undefined => {
    const r = renderSplQuery(q);
    for (const i of r.issues) diagnostics.push(ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span));
    return r.issues.some((i) => i.severity === "error") ? undefined : r;
  };
  const step = (s: SequenceStep, by: readonly string[]): SplStep | undefined => {
    const q = prepare(s.query, s.logsource);
    const r = boolean(q);
    if (!r) return undefined;
    const condition = renderSplCondition(q).text;
    return { search: r.search, condition, keys: [...by, ...s.by].map(splunkName) };
  };

  let spl: string | undefined;
  const q = rule.query;
  switch (q.kind) {
    case "sequence": {
      if (q.steps.some((s) => s.missing)) error("splunk/missing-event", "absent-event steps (`![...]`) are not converted to SPL");
      if (q.steps.some((s) => (s.runs ?? 1) > 1)) error("splunk/runs", "`with runs=N` is not converted to SPL");
      const steps = q.steps.map((s) => step(s, q.by));
      const until = q.until ? step(q.until, q.by) : undefined;
      if (steps.every((s): s is SplStep => s !== undefined) && (!q.until || until) && !diagnostics.some((d) => d.severity === "error")) {
        spl = renderSplSequence({ steps, ...(until ? { until } : {}), ...(q.maxspan ? { maxspan: q.maxspan } : {}) });
        if (!q.maxspan) {
          diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "splunk/sequence-window", message: "the sequence has no maxspan: it may complete anywhere inside the search window (dispatch.earliest_time), as in Elastic" }));
        }
      }
      break;
    }
    case "sample": {
      const steps = q.steps.map((s) => step(s, q.by));
      if (steps.every((s): s is SplStep => s !== undefined)) spl = renderSplSample(steps);
      break;
    }
    case "correlation": {
      if (q.type.startsWith("value_") && !q.valueField) error("splunk/value-count-field", `a ${q.type} correlation needs the field it measures`);
      const sequenceProblem = q.type === "temporal_ordered" ? sequenceConditionProblem(q) : undefined;
      if (sequenceProblem) error("splunk/correlation", sequenceProblem);
      const rules = q.rules.map((r) => step({ query: r.query, by: q.groupBy.map((g) => r.aliases?.[g] ?? g), ...(r.logsource ? { logsource: r.logsource } : {}) }, []));
      if (rules.every((s): s is SplStep => s !== undefined) && !diagnostics.some((d) => d.severity === "error")) {
        const plan: CorrelationPlan = {
          type: q.type,
          rules,
          condition: q.condition,
          ...(q.timespan ? { timespan: q.timespan } : {}),
          ...(q.valueField ? { valueField: splunkName(q.valueField) } : {}),
        };
        if (usesFixedWindows(plan)) {
          warn("splunk/fixed-windows", "a count compared with lt/lte/eq/neq is taken over fixed `bin` windows: a burst that crosses a window boundary is counted in two parts");
        }
        spl = renderSplCorrelation(plan);
      }
      break;
    }
    case "pipe":
      error("splunk/pipe", "EQL pipes (`| head`, `| tail`) limit the alerts of one run; SPL has no equivalent in a scheduled search");
      break;
    default: {
      const r = boolean(prepare(q, rule.logsource));
      if (r) spl = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
    }
  }
  if (spl === undefined || diagnostics.some((d) => d.severity === "error")) {
    if (!diagnostics.some((d) => d.severity === "error")) error("splunk/not-converted", "the query could not be converted to SPL");
    return { files: [], bundle: [], diagnostics };
  }
  const indexProblem = ctx.options.splunkIndex !== undefined ? splunkIndexProblem(ctx.options.splunkIndex) : undefined;
  if (indexProblem) error("splunk/index-name", indexProblem);
  const search = ctx.options.splunkIndex ? `index=${ctx.options.splunkIndex} ${spl}` : spl;

  const piece = renderStanza(rule, search, ctx, { error, warn });
  if (!piece || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  return { files: [{ path: `${slugify(rule.name)}.spl`, content: `${search}\n` }], bundle: [piece], diagnostics };
}
