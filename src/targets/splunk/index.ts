/**
 * The Splunk target: a rule in the Sigma taxonomy, its fields and log sources already in Splunk's
 * names (the sigma-splunk mapping, applied by the pipeline) → SPL (`<slug>.spl`) and a
 * savedsearches.conf stanza (bundled into one `savedsearches.conf`); `--splunk-app` also packages
 * the stanzas as an app. The query text comes from src/query/spl/.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { formatDuration } from "../../ir/duration.js";
import { slugify } from "../../ir/ids.js";
import type { Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { lookbackMessage, windowBeyondLookback } from "../../ir/match-window.js";
import { sequenceConditionProblem } from "../../ir/sequence-condition.js";
import { typedOptions, type OptionSpec } from "../../options/option-spec.js";
import { renderSplCondition, renderSplQuery } from "../../query/spl/spl-printer.js";
import { renderSplCorrelation, usesFixedWindows, type CorrelationPlan } from "../../query/spl/spl-correlation.js";
import { renderSplSample, renderSplSequence, type SplStep } from "../../query/spl/spl-sequence.js";
import { confSafe } from "../../render/escape.js";
import { templateView, type PackageResult, type RenderContext, type RenderedFile, type TargetResult, type TargetSpec } from "../target.js";
import { isValidAppName, splunkAppFiles } from "./splunk-app.js";
import { ALERT_SEVERITY, cronFor, splunkTime } from "./splunk-schedule.js";
import { tgz } from "./tar-writer.js";

const MAPPING = "sigma-splunk";

const SPLUNK_OPTIONS = [
  {
    key: "splunkApp",
    flag: "splunk-app",
    config: ["splunk", "app"],
    env: "RULECAST_SPLUNK_APP",
    help: "Splunk app: stanza prefix, and with --out an app folder and .tgz",
    commands: ["convert", "check"],
    check: (v: string) => (isValidAppName(v) ? undefined : `\`${v}\` is not a Splunk app name (letters, digits, _ - ., not starting with a digit or dot)`),
  },
  { key: "splunkIndex", flag: "splunk-index", config: ["splunk", "index"], env: "RULECAST_SPLUNK_INDEX", help: "Splunk index to search, index=...", commands: ["convert", "check"] },
  { key: "splunkAppVersion", config: ["splunk", "app_version"], default: "1.0.0", help: "version in the --splunk-app app's app.conf", commands: [] },
] as const satisfies readonly OptionSpec[];

/** Folder under `--out` that holds `--splunk-app` apps and their .tgz files. */
const APP_DIR = "splunk-app";

export const splunkTarget: TargetSpec<"splunk"> = {
  name: "splunk",
  title: "Splunk",
  summary: "SPL (<slug>.spl) and one savedsearches.conf; --splunk-app packages an app",
  taxonomy: "sigma",
  rewrites: [{ pass: "lowerPlatformRuleTypes" }, { pass: "toTaxonomy", taxonomy: "sigma" }, { pass: "mapFields", mapping: MAPPING }, { pass: "lowerLogsource", mapping: MAPPING }],
  options: SPLUNK_OPTIONS,
  mappings: [
    {
      name: MAPPING,
      file: "sigma-splunk.yaml",
      summary: "Sigma taxonomy → Splunk add-on field names and sources",
      to: "splunk",
      passThrough: "other names pass through: the Splunk add-ons extract Sigma's names",
    },
  ],
  examples: [
    ["rulecast convert sigma/rules --to splunk --skip-errors --out out", "convert a Sigma repository, skipping rules that fail"],
    ["rulecast convert rules --to splunk --splunk-app soc_detections --out out", "also write out/splunk-app/soc_detections/ and soc_detections.tgz"],
  ],
  renderRule: renderSplunkRule,
  renderBundle: (pieces, ctx) => [
    { path: "savedsearches.conf", content: ctx.templates.render("splunk/savedsearches.conf.hbs", templateView({ stanzas: pieces.map((p) => p.trimEnd()) }, undefined, "splunk", ctx)) },
  ],
  package: packageApp,
};

/** `--splunk-app NAME`: the app folder and its .tgz, holding the bundle's savedsearches.conf. */
function packageApp(files: readonly RenderedFile[], ctx: RenderContext): PackageResult | undefined {
  const { splunkApp, splunkAppVersion } = typedOptions(SPLUNK_OPTIONS, ctx.options);
  const conf = files.find((f) => f.path === "savedsearches.conf");
  if (!splunkApp || !conf) return undefined;
  const app = splunkAppFiles(splunkApp, splunkAppVersion, conf.content, ctx.templates);
  const packed = tgz(app);
  if ("error" in packed) return packed;
  return { files: app.map((f) => ({ path: `${APP_DIR}/${f.path}`, content: f.content })), archive: { path: `${APP_DIR}/${splunkApp}.tgz`, bytes: packed.bytes } };
}

function renderSplunkRule(rule: Rule, ctx: RenderContext): TargetResult {
  const { splunkApp, splunkIndex } = typedOptions(SPLUNK_OPTIONS, ctx.options);
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, hint?: string) =>
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }));
  const warn = (code: string, message: string) => diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code, message }));

  const boolean = (q: Query): { search: string; where?: string } | undefined => {
    const r = renderSplQuery(q);
    for (const i of r.issues) diagnostics.push(ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span));
    return r.issues.some((i) => i.severity === "error") ? undefined : r;
  };
  /** One step's search; its join keys are the sequence's, then its own (already Splunk's names). */
  const step = (s: SequenceStep, by: readonly string[]): SplStep | undefined => {
    const r = boolean(s.query);
    if (!r) return undefined;
    const condition = renderSplCondition(s.query).text;
    return { search: r.search, condition, keys: [...by, ...s.by] };
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
      const rules = q.rules.map((r) => step({ query: r.query, by: q.groupBy.map((g) => r.aliases?.[g] ?? g) }, []));
      if (rules.every((s): s is SplStep => s !== undefined) && !diagnostics.some((d) => d.severity === "error")) {
        const plan: CorrelationPlan = {
          type: q.type,
          rules,
          condition: q.condition,
          ...(q.timespan ? { timespan: q.timespan } : {}),
          ...(q.valueField ? { valueField: q.valueField } : {}),
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
      const r = boolean(q);
      if (r) spl = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
    }
  }
  if (spl === undefined || diagnostics.some((d) => d.severity === "error")) {
    if (!diagnostics.some((d) => d.severity === "error")) error("splunk/not-converted", "the query could not be converted to SPL");
    return { files: [], bundle: [], diagnostics };
  }
  const search = splunkIndex ? `index=${splunkIndex} ${spl}` : spl;
  const cron = cronFor(rule.schedule.interval);
  const earliest = splunkTime(rule.schedule.from);
  const latest = splunkTime(rule.schedule.to);
  if (!cron) error("splunk/schedule", `interval ${formatDuration(rule.schedule.interval)} has no cron equivalent`, "use whole minutes");
  else if (!cron.exact) warn("splunk/schedule-inexact", `interval ${formatDuration(rule.schedule.interval)} does not divide the hour/day: cron \`${cron.cron}\` also runs at each boundary`);
  if (!earliest || !latest) error("splunk/time-range", `the search window ${rule.schedule.from} .. ${rule.schedule.to} has no Splunk equivalent`);
  const window = windowBeyondLookback(rule.schedule, rule.query);
  if (window) warn("splunk/lookback-shorter-than-window", lookbackMessage(rule.schedule, window));
  if (!confSafe(search)) error("splunk/conf-backslash", "the search has a line ending in a backslash, which savedsearches.conf would read as a continuation");
  // Prose may lose a trailing backslash (with a warning); a query may not.
  let description = rule.description;
  if (!confSafe(description)) {
    description = description.replace(/\\+(\s*)$/gm, "$1");
    warn("splunk/description-backslash", "a line of the description ends in a backslash, which savedsearches.conf cannot hold; it was dropped from the description");
  }
  if (diagnostics.some((d) => d.severity === "error") || !cron || !earliest || !latest) return { files: [], bundle: [], diagnostics };

  const title = splunkApp ? `${splunkApp} - ${rule.name} - Rule` : rule.name;
  if (title.length > 99) warn("splunk/long-name", "Splunk ES cannot edit saved searches whose name is longer than 99 characters");
  const stanza = ctx.templates.render("splunk/stanza.conf.hbs", templateView({
    comments: comments(rule),
    stanza: title.replace(/[[\]\r\n]/g, " "),
    title,
    description,
    search,
    disabled: rule.enabled ? "0" : "1",
    cron: cron.cron,
    earliest,
    latest,
    maxCount: String(rule.maxSignals),
    alertSeverity: String(ALERT_SEVERITY[rule.severity] ?? 3),
    severity: rule.severity,
    annotations: JSON.stringify(annotations(rule)),
    metadata: JSON.stringify({ detection_id: rule.id, detection_version: String(rule.version), deprecated: rule.status === "deprecated" ? "1" : "0" }),
  }, rule, "splunk", ctx));
  return { files: [{ path: `${slugify(rule.name)}.spl`, content: `${search}\n` }], bundle: [stanza], diagnostics };
}

/** ES annotations: ATT&CK technique ids (Splunk ES takes no tactic ids), plus rulecast's own keys. */
function annotations(rule: Rule): Record<string, unknown> {
  const ids: string[] = [];
  for (const t of rule.threat) {
    for (const tech of t.techniques) {
      if (!ids.includes(tech.id)) ids.push(tech.id);
      for (const s of tech.subtechniques) if (!ids.includes(s.id)) ids.push(s.id);
    }
  }
  return { mitre_attack: ids };
}

/** What savedsearches.conf has no key for, as comment lines above the stanza (one line each). */
function comments(rule: Rule): string[] {
  const one = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ");
  const out = [`rule_id: ${rule.id}`, `version: ${rule.version}`, `risk_score: ${rule.riskScore}`];
  if (rule.authors.length) out.push(`author: ${one(rule.authors.join(", "))}`);
  if (rule.license) out.push(`license: ${one(rule.license)}`);
  if (rule.tags.length) out.push(`tags: ${one(rule.tags.join(", "))}`);
  if (rule.index.length) out.push(`elastic index: ${one(rule.index.join(", "))}`);
  for (const r of rule.references) out.push(`reference: ${one(r)}`);
  for (const fp of rule.falsePositives) out.push(`false positive: ${one(fp)}`);
  for (const t of rule.threat) {
    const techniques = t.techniques.map((x) => `${x.id} ${one(x.name)}`).join(", ");
    out.push(`mitre: ${t.tactic.id} ${one(t.tactic.name)}${techniques ? `: ${techniques}` : ""}`);
  }
  if (rule.added) out.push(`added: ${rule.added}`);
  if (rule.lastModified) out.push(`last modified: ${rule.lastModified}`);
  for (const h of rule.history) {
    out.push(`history: v${h.version}${h.release ? ` (${h.release})` : ""}: ${one(h.changes.join("; "))}${h.previousQuery ? ` (was: ${one(h.previousQuery)})` : ""}`);
  }
  return out;
}
