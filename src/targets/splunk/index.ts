/**
 * The Splunk target: a rule in the Sigma taxonomy → SPL (`<slug>.spl`) and a savedsearches.conf
 * stanza (bundled into one `savedsearches.conf`). Field names and log sources go through the
 * sigma-splunk mapping; the query through spl-query / spl-sequence; the stanza through splunk-stanza.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { formatDuration } from "../../ir/duration.js";
import { slugify } from "../../ir/ids.js";
import type { Logsource, Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { matchWindow } from "../../ir/match-window.js";
import { sequenceConditionProblem } from "../../passes/correlation-to-sequence.js";
import { lowerLogsource } from "../../passes/lower-logsource.js";
import { mapFields } from "../../passes/map-fields.js";
import { problemsToDiagnostics, toTaxonomy } from "../../pipeline/to-taxonomy.js";
import { ruleDiagnostic } from "../../pipeline/rule-diagnostic.js";
import { templateView, type RenderedFile, type Target, type TargetContext, type TargetResult } from "../target.js";
import { renderSplCondition, renderSplQuery } from "./spl-query.js";
import { renderSplCorrelation, usesFixedWindows, type CorrelationPlan } from "./spl-correlation.js";
import { renderSplSample, renderSplSequence, type SplStep } from "./spl-sequence.js";
import { splunkIndexProblem } from "./splunk-names.js";
import { renderSavedSearches, renderStanza } from "./splunk-stanza.js";
import { cimSearch } from "./splunk-cim.js";
import { riskAction } from "./splunk-risk.js";
import { DEFAULT_LAG, splunkSchedule } from "./splunk-schedule.js";

export const splunkTarget: Target = {
  name: "splunk",
  renderRule: renderSplunkRule,
  renderBundle: (pieces, ctx) => [
    ...renderSavedSearches(pieces, ctx),
    macrosFile(filterMacros(pieces.map((p) => p.text)), ctx),
  ],
};

/** macros.conf: one `search *` macro per detection; `document` is what it must read back as. */
function macrosFile(macros: readonly string[], ctx: TargetContext): RenderedFile {
  const content = ctx.templates.render("splunk/macros.conf.hbs", templateView({ macros }, undefined, "splunk", ctx));
  return { path: "macros.conf", content, document: macros.map((name) => ({ name, keys: { definition: "search *" } })) };
}

/**
 * The filter macros the stanzas' searches end in, once each in stanza order. renderRule writes each
 * search's last line as `` | `<slug>_filter` ``, so the names are read back from there.
 */
function filterMacros(stanzas: readonly string[]): string[] {
  const names = stanzas.map((s) => /\| `([a-z0-9_]+_filter)`$/m.exec(s)?.[1]).filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

function renderSplunkRule(input: Rule, ctx: TargetContext): TargetResult {
  const diagnostics: Diagnostic[] = [];
  let rule = input;
  const error = (code: string, message: string, hint?: string) =>
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }));
  const warn = (code: string, message: string) => diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code, message }));
  const table = ctx.mappings.sigmaToSplunk;

  // CIM: a data-model search where a data set holds the rule's events; raw events otherwise.
  let cimSpl: string | undefined;
  // Fields every result row carries, for risk objects: raw events always have Splunk's `host`.
  let resultFields: readonly string[] = ["host"];
  if (ctx.options.splunkTaxonomy === "cim") {
    const c = cimSearch(input, ctx.mappings.cim, { summariesOnly: ctx.options.splunkSummariesOnly ?? false });
    if (c.ok) {
      cimSpl = c.spl;
      resultFields = c.resultFields;
      diagnostics.push(...c.diagnostics);
    } else {
      warn("splunk/cim-fallback", `not a CIM data-model search: ${c.reason}; the rule searches raw events by its log source's field names instead`);
      const sigma = toTaxonomy(input, "sigma", ctx.mappings, ctx.options.unmapped);
      diagnostics.push(...sigma.diagnostics);
      if (!sigma.rule) return { files: [], bundle: [], diagnostics };
      rule = sigma.rule;
    }
  }

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

  let spl: string | undefined = cimSpl;
  const q = rule.query;
  if (cimSpl === undefined) switch (q.kind) {
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
      // One row per join key: only the keys remain.
      resultFields = steps[0]?.keys ?? [];
      break;
    }
    case "correlation": {
      if (q.type.startsWith("value_") && !q.valueField) error("splunk/value-count-field", `a ${q.type} correlation needs the field it measures`);
      const sequenceProblem = q.type === "temporal_ordered" ? sequenceConditionProblem(q) : undefined;
      if (sequenceProblem) error("splunk/correlation", sequenceProblem);
      if (q.extraMeasures?.length) error("splunk/several-measures", `the correlation search bounds one measure; this one also bounds ${q.extraMeasures.map((m) => m.type).join(", ")}`);
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
        resultFields = rules[0]?.keys ?? [];
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
  // A data-model search reads the model's summaries, not an index.
  const body = ctx.options.splunkIndex && cimSpl === undefined ? `index=${ctx.options.splunkIndex} ${spl}` : spl;
  // Every search ends in its own filter macro (`search *` in macros.conf), so tuning never edits the detection.
  const search = `${body}\n| \`${filterMacro(rule)}\``;

  const lag = ctx.options.splunkLag ?? DEFAULT_LAG;
  const schedule = splunkSchedule(rule.id, rule.schedule.interval, lag, matchWindow(rule.query));
  if (!schedule) error("splunk/schedule", `interval ${formatDuration(rule.schedule.interval)} has no cron equivalent`, "use whole minutes");
  else if (!schedule.exact) {
    warn("splunk/schedule-inexact", `interval ${formatDuration(rule.schedule.interval)} does not divide the hour/day: cron \`${schedule.cron}\` runs closer together at each boundary, so consecutive search windows overlap there`);
  }
  const alert = ctx.options.splunkAlert ?? "both";
  const risk = alert === "notable" ? undefined : riskAction(rule, resultFields);
  if (alert !== "notable" && !risk) {
    diagnostics.push(ruleDiagnostic(rule, { severity: alert === "risk" ? "warning" : "info", code: "splunk/no-risk-object", message: NO_RISK_OBJECT }));
  }
  if (!schedule || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  const piece = renderStanza(rule, search, ctx, { error, warn }, { schedule, ...(risk ? { risk } : {}), notable: alert !== "risk", enabled: rule.enabledByRule ?? ctx.options.splunkEnable ?? false });
  if (!piece || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  return { files: [{ path: `${slugify(rule.name)}.spl`, content: `${search}\n` }], bundle: [piece], diagnostics };
}

const NO_RISK_OBJECT = "the search's results carry no field naming a risk object (dest, src, host, user, src_user, or a Windows account field), so no risk event is written";

/** `<rule slug>_filter`: the macro a rule's search ends in (ESCU's convention). */
export function filterMacro(rule: Rule): string {
  return `${slugify(rule.name)}_filter`;
}
