/**
 * The Splunk target: a rule in the Sigma taxonomy, its fields and log sources already in Splunk's
 * names (the sigma-splunk mapping, applied by the pipeline) → SPL (`<slug>.spl`) and a
 * savedsearches.conf stanza (bundled into one `savedsearches.conf`); `--splunk-app` also packages
 * the stanzas as an app. The query text comes from src/query/spl/.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { slugify } from "../../ir/ids.js";
import type { Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { sequenceConditionProblem } from "../../ir/sequence-condition.js";
import { typedOptions, type OptionSpec } from "../../options/option-spec.js";
import { renderSplCondition, renderSplQuery } from "../../query/spl/spl-printer.js";
import { renderSplCorrelation, usesFixedWindows, type CorrelationPlan } from "../../query/spl/spl-correlation.js";
import { renderSplSample, renderSplSequence, type SplStep } from "../../query/spl/spl-sequence.js";
import type { PackageResult, RenderContext, RenderedFile, TargetResult, TargetSpec } from "../target.js";
import { isValidAppName, splunkAppFiles } from "./splunk-app.js";
import { appVersionProblem, splunkIndexProblem } from "./splunk-names.js";
import { renderSavedSearches, renderStanza } from "./splunk-stanza.js";
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
  // Pasted into every search as `index=<name>`: only a Splunk index name (or pattern) may be.
  { key: "splunkIndex", flag: "splunk-index", config: ["splunk", "index"], env: "RULECAST_SPLUNK_INDEX", help: "Splunk index to search, index=...", commands: ["convert", "check"], check: splunkIndexProblem },
  { key: "splunkAppVersion", config: ["splunk", "app_version"], default: "1.0.0", help: "version in the --splunk-app app's app.conf", commands: [], check: appVersionProblem },
] as const satisfies readonly OptionSpec[];

/** Folder under `--out` that holds `--splunk-app` apps and their .tgz files. */
const APP_DIR = "splunk-app";

export const splunkTarget: TargetSpec<"splunk"> = {
  name: "splunk",
  title: "Splunk",
  summary: "SPL (<slug>.spl) and one savedsearches.conf; --splunk-app packages an app",
  taxonomy: "sigma",
  rewrites: [{ pass: "lowerPlatformRuleTypes" }, { pass: "toTaxonomy" }, { pass: "mapFields", mapping: MAPPING }, { pass: "lowerLogsource", mapping: MAPPING }],
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
  renderBundle: renderSavedSearches,
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
  const indexProblem = splunkIndex !== undefined ? splunkIndexProblem(splunkIndex) : undefined;
  if (indexProblem) error("splunk/index-name", indexProblem);
  const search = splunkIndex ? `index=${splunkIndex} ${spl}` : spl;

  const piece = renderStanza(rule, search, ctx, splunkApp, { error, warn });
  if (!piece || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  return { files: [{ path: `${slugify(rule.name)}.spl`, content: `${search}\n` }], bundle: [piece], diagnostics };
}
