/**
 * The Splunk target: a rule in the Sigma taxonomy, its fields and log sources already in Splunk's
 * names (the sigma-splunk mapping, applied by the pipeline) → SPL (`<slug>.spl`) and a
 * savedsearches.conf stanza (bundled into one `savedsearches.conf`, with a macros.conf of filter
 * macros); `--splunk-app` also packages them as an app. With `--splunk-taxonomy cim` a rule whose
 * events a CIM data set holds is a tstats search over the data model instead (splunk-cim.ts). The
 * query text comes from src/query/spl/.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { durationMs, formatDuration, parseDuration } from "../../ir/duration.js";
import { slugify } from "../../ir/ids.js";
import { matchWindow } from "../../ir/match-window.js";
import type { CorrelationMeasure, Logsource, Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { sequenceConditionProblem } from "../../ir/sequence-condition.js";
import { packagedCim, parseCimFieldOverride } from "../../mapping/cim-mapping.js";
import { CORE_OPTIONS } from "../../options/core-options.js";
import { typedOptions, type OptionSpec } from "../../options/option-spec.js";
import { renderSplCondition, renderSplQuery } from "../../query/spl/spl-printer.js";
import { furtherMeasure, renderSplCorrelation, statsFieldProblem, usesFixedWindows, type CorrelationPlan, type SplMeasure } from "../../query/spl/spl-correlation.js";
import { renderSplFirstSeen } from "../../query/spl/spl-new-terms.js";
import { renderSplSample, renderSplSequence, type SplStep } from "../../query/spl/spl-sequence.js";
import { templateView, type BundleFileStream, type PackageResult, type RenderContext, type RenderedFile, type TargetResult, type TargetSpec } from "../target.js";
import { appNameProblem, splunkAppFiles } from "./splunk-app.js";
import { cimSearch } from "./splunk-cim.js";
import { expandRuns } from "../../ir/sequence-runs.js";
import { dataSourceProblem, fieldsOutsideTaggedData, listDataSources, parseDataSource, selectEvents, sayLogsource, type DataSource, type DataSourceEntry, type SelectProblem } from "./splunk-data-sources.js";
import { appVersionProblem, splunkIndexProblem } from "./splunk-names.js";
import { riskAction } from "./splunk-risk.js";
import { splunkSchedule, windowJoins } from "./splunk-schedule.js";
import { detached } from "../../ir/detached.js";
import { readSavedSearches, renderSavedSearches, renderStanza, savedSearchesStream } from "./splunk-stanza.js";
import { confStanza } from "../../render/escape.js";
import { tgz } from "./tar-writer.js";

const MAPPING = "sigma-splunk";

/** `10m`, `1h`: a search window ends this long before its run; cron runs on whole minutes. */
function lagProblem(v: string): string | undefined {
  const d = parseDuration(v);
  return d && durationMs(d) % 60000 === 0 ? undefined : `must be whole minutes such as 10m or 1h (got \`${v}\`)`;
}

const SPLUNK_OPTIONS = [
  {
    key: "splunkApp",
    flag: "splunk-app",
    config: ["splunk", "app"],
    env: "RULECAST_SPLUNK_APP",
    help: "Splunk app: stanza prefix, and with --out an app folder and .tgz",
    commands: ["convert", "check"],
    check: (v: string) => {
      const problem = appNameProblem(v);
      return problem === undefined ? undefined : `\`${v}\` is not a Splunk app name (${problem})`;
    },
  },
  // Pasted into every search as `index=<name>`: only a Splunk index name (or pattern) may be.
  { key: "splunkIndex", flag: "splunk-index", config: ["splunk", "index"], env: "RULECAST_SPLUNK_INDEX", help: "Splunk index to search, index=...", commands: ["convert", "check"], check: splunkIndexProblem },
  { key: "splunkAppVersion", config: ["splunk", "app_version"], default: "1.0.0", help: "version in the --splunk-app app's app.conf", commands: [], check: appVersionProblem },
  {
    key: "splunkTaxonomy",
    flag: "splunk-taxonomy",
    config: ["splunk", "taxonomy"],
    env: "RULECAST_SPLUNK_TAXONOMY",
    choices: ["sigma", "cim"],
    default: "sigma",
    help: "Splunk searches raw events by add-on field names, or CIM data models with tstats where a data set holds the rule's events",
    commands: ["convert", "check"],
  },
  {
    key: "splunkAlert",
    flag: "splunk-alert",
    config: ["splunk", "alert"],
    env: "RULECAST_SPLUNK_ALERT",
    choices: ["risk", "notable", "both"],
    default: "both",
    help: "Splunk ES risk events (risk-based alerting), notable events, or both",
    commands: ["convert", "check"],
  },
  {
    key: "splunkDataSources",
    flag: "splunk-data-source",
    config: ["splunk", "data_sources"],
    env: "RULECAST_SPLUNK_DATA_SOURCES",
    list: true,
    help: "what selects a log source's events: `NAME -> SELECTOR` (NAME from `list data-sources`: sysmon, wineventlog_security, powershell, ...) or `category=proxy -> SELECTOR`; SELECTOR is a macro (`sysmon`) or index=/source=/sourcetype=/eventtype=/tag= terms",
    commands: ["convert", "check", "list"],
    check: dataSourceProblem,
  },
  {
    key: "splunkCimFields",
    flag: "splunk-cim-field",
    config: ["splunk", "cim_fields"],
    env: "RULECAST_SPLUNK_CIM_FIELDS",
    list: true,
    help: "a field's CIM home for --splunk-taxonomy cim, over the packaged one: `FIELD -> DataModel.DataSet.cim_field` (Sigma or ECS name)",
    commands: ["convert", "check", "list"],
    check: (v: string) => {
      const r = parseCimFieldOverride(v, packagedCim());
      return "problem" in r ? r.problem : undefined;
    },
  },
  { key: "splunkLag", config: ["splunk", "lag"], default: "10m", help: "ingestion lag: each Splunk search window ends this long before its run", commands: [], check: lagProblem },
] as const satisfies readonly OptionSpec[];

/** Folder under `--out` that holds `--splunk-app` apps and their .tgz files. */
const APP_DIR = "splunk-app";

export const splunkTarget: TargetSpec<"splunk"> = {
  name: "splunk",
  title: "Splunk",
  summary: "SPL (<slug>.spl), one savedsearches.conf and macros.conf; --splunk-app packages an app",
  taxonomy: "sigma",
  // The log source becomes its data source in the renderer (splunk-data-sources.ts): a user's
  // data source may be a macro, which no query node can hold.
  // Splunk searches first-seen values (`stats min(_time) as firstTime … | where firstTime >= …`), as ESCU does.
  rewrites: [{ pass: "lowerPlatformRuleTypes", newTerms: true }, { pass: "toTaxonomy" }, { pass: "mapFields", mapping: MAPPING }],
  // The CIM search reads the rule as written (Sigma or ECS names); rules no data set holds fall back.
  forms: [{ option: "splunkTaxonomy", value: "cim", rewrites: [{ pass: "lowerPlatformRuleTypes", newTerms: true }, { pass: "toCim", fieldHomes: "splunkCimFields" }], renderRule: renderCimRule }],
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
  lists: [
    {
      name: "data-sources",
      summary: "what selects each log source's events in Splunk: raw conditions, and the CIM data set",
      print: (_mappings, out, options) => listDataSources(packagedCim(), dataSourceEntries(options.splunkDataSources as readonly string[] | undefined), out),
    },
  ],
  examples: [
    ["rulecast convert sigma/rules --to splunk --skip-errors --out out", "convert a Sigma repository, skipping rules that fail"],
    ["rulecast convert rules --to splunk --splunk-app soc_detections --out out", "also write out/splunk-app/soc_detections/ and soc_detections.tgz"],
    ["rulecast convert rules --to splunk --splunk-taxonomy cim --out out", "search CIM data models with tstats where a data set holds a rule's events"],
  ],
  renderRule: renderSplunkRule,
  renderBundle: (pieces, ctx) => [...renderSavedSearches(pieces, ctx), macrosFile(filterMacros(pieces.map((p) => p.text)), ctx)],
  streamBundle: (ctx) => {
    const conf = savedSearchesStream(ctx);
    const macros = macrosStream(ctx);
    return conf && macros ? [conf, macros] : undefined;
  },
  readBundle: readSavedSearches,
  pieceKey: (piece) => piece.name,
  package: packageApp,
};

const MACROS_TEMPLATE = "splunk/macros.conf.hbs";

/** macros.conf: one `search *` macro per detection; `document` is what it must read back as. */
function macrosFile(macros: readonly string[], ctx: RenderContext): RenderedFile {
  const content = ctx.templates.render(MACROS_TEMPLATE, templateView({ macros }, undefined, "splunk", ctx));
  return { path: "macros.conf", content, document: macros.map((name) => ({ name, keys: { definition: "search *" } })) };
}

/** macros.conf a macro at a time, each once (TargetSpec.streamBundle). */
function macrosStream(ctx: RenderContext): BundleFileStream | undefined {
  if (ctx.templates.isOverridden(MACROS_TEMPLATE)) return undefined;
  const seen = new Set<string>();
  return {
    path: "macros.conf",
    head: ctx.templates.render(MACROS_TEMPLATE, templateView({ macros: [] }, undefined, "splunk", ctx)),
    piece: (p) => {
      const name = stanzaMacro(p.text);
      if (name === undefined || seen.has(name)) return "";
      seen.add(detached(name));
      return `\n[${confStanza(name)}]\ndefinition = search *\n`;
    },
  };
}

/**
 * The filter macros the stanzas' searches end in, once each in stanza order. renderRule writes each
 * search's last line as `` | `<slug>_filter` ``, so the names are read back from there.
 */
function filterMacros(stanzas: readonly string[]): string[] {
  const names = stanzas.map(stanzaMacro).filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

function stanzaMacro(stanza: string): string | undefined {
  return /\| `([a-z0-9_]+_filter)`$/m.exec(stanza)?.[1];
}

/** `--splunk-app NAME`: the app folder and its .tgz, holding the bundle's savedsearches.conf and macros.conf. */
function packageApp(files: readonly RenderedFile[], ctx: RenderContext): PackageResult | undefined {
  const { splunkApp, splunkAppVersion } = typedOptions(SPLUNK_OPTIONS, ctx.options);
  const conf = files.find((f) => f.path === "savedsearches.conf");
  const macros = files.find((f) => f.path === "macros.conf");
  if (!splunkApp || !conf || !macros) return undefined;
  const app = splunkAppFiles(splunkApp, splunkAppVersion, conf.content, macros.content, ctx.templates);
  const packed = tgz(app);
  if ("error" in packed) return packed;
  return { files: app.map((f) => ({ path: `${APP_DIR}/${f.path}`, content: f.content })), archive: { path: `${APP_DIR}/${splunkApp}.tgz`, bytes: packed.bytes } };
}

/** A data-model search where a CIM data set holds the rule's events; otherwise the raw-event form, with a warning. */
function renderCimRule(rule: Rule, ctx: RenderContext): TargetResult | { readonly fallback: readonly Diagnostic[] } {
  const c = cimSearch(rule, { summariesOnly: false });
  if (!c.ok) {
    return {
      fallback: [
        ruleDiagnostic(rule, {
          severity: "warning",
          code: "splunk/cim-fallback",
          message: `not a CIM data-model search: ${c.reason}; the rule searches raw events by its log source's field names instead`,
        }),
      ],
    };
  }
  // A data-model search reads the model's summaries, not an index.
  return finishRule(rule, ctx, c.spl, c.resultFields, [...c.diagnostics], false);
}

function renderSplunkRule(rule: Rule, ctx: RenderContext): TargetResult {
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
    const keys = [...by, ...s.by];
    // A key is written as is in `streamstats … by` / `stats … by`: one that could end it is refused.
    for (const k of keys) {
      const problem = statsFieldProblem(k, "key");
      if (problem && !diagnostics.some((d) => d.code === "splunk/field-name" && d.message.endsWith(problem))) error("splunk/field-name", problem);
    }
    return { search: r.search, condition, keys };
  };

  const splMeasure = (m: CorrelationMeasure): SplMeasure => {
    const r = furtherMeasure(m);
    for (const i of r.issues) diagnostics.push(ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span));
    return r.measure;
  };

  const { splunkDataSources, splunkTaxonomy } = typedOptions(SPLUNK_OPTIONS, ctx.options);
  const selected = selectEvents(rule.query, rule.logsource, dataSourceEntries(splunkDataSources), (q, ds, ls) => taggedFieldProblems(q, ds, ls, splunkTaxonomy));
  // A finding about the log source is placed at `logsource:`, where the user would change it.
  for (const p of selected.problems) diagnostics.push(ruleDiagnostic(rule, p, p.code.startsWith("mapping/logsource-") ? "logsource" : undefined));
  if (diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };

  let spl: string | undefined;
  // Fields every result row carries, for risk objects: raw events always have Splunk's `host`.
  let resultFields: readonly string[] = ["host"];
  const q = selected.query;
  switch (q.kind) {
    case "sequence": {
      if (q.steps.some((s) => s.missing)) error("splunk/missing-event", "absent-event steps (`![...]`) are not converted to SPL");
      // `with runs=N`: the step N times in a row (the printer copies a repeated step's flag).
      const steps = expandRuns(q).steps.map((s) => step(s, q.by));
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
      const rules = q.rules.map((r) => step({ query: r.query, by: q.groupBy.map((g) => r.aliases?.[g] ?? g) }, []));
      const measured = q.valueField === undefined ? undefined : statsFieldProblem(q.valueField, "measured");
      if (measured) error("splunk/field-name", measured);
      const extraMeasures = (q.extraMeasures ?? []).map(splMeasure);
      const anyOf = (q.anyOf ?? []).map((set) => set.map(splMeasure));
      if (rules.every((s): s is SplStep => s !== undefined) && !diagnostics.some((d) => d.severity === "error")) {
        const plan: CorrelationPlan = {
          type: q.type,
          rules,
          condition: q.condition,
          ...(q.timespan ? { timespan: q.timespan } : {}),
          ...(q.valueField ? { valueField: q.valueField } : {}),
          ...(extraMeasures.length ? { extraMeasures } : {}),
          ...(anyOf.length ? { anyOf } : {}),
        };
        if (usesFixedWindows(plan)) {
          warn("splunk/fixed-windows", "a count compared with lt/lte/eq/neq is taken over fixed `bin` windows: a burst that crosses a window boundary is counted in two parts");
        }
        spl = renderSplCorrelation(plan);
        resultFields = rules[0]?.keys ?? [];
      }
      break;
    }
    case "newTerms": {
      const r = boolean(q.query);
      if (!r) break;
      const seen = renderSplFirstSeen({ fields: q.fields, window: rule.schedule.interval, rows: "events" });
      if ("error" in seen) {
        error("splunk/new-terms", seen.error);
        break;
      }
      spl = [r.search || (selected.prefix ? "" : "*"), ...(r.where ? [`| where ${r.where}`] : []), seen.text].join("\n");
      resultFields = q.fields;
      break;
    }
    case "pipe":
      error("splunk/pipe", "EQL pipes (`| head`, `| tail`) limit the alerts of one run; SPL has no equivalent in a scheduled search");
      break;
    default: {
      const r = boolean(q);
      if (r) spl = [r.search || (selected.prefix ? "" : "*"), ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
    }
  }
  if (spl === undefined || diagnostics.some((d) => d.severity === "error")) {
    if (!diagnostics.some((d) => d.severity === "error")) error("splunk/not-converted", "the query could not be converted to SPL");
    return { files: [], bundle: [], diagnostics };
  }
  return finishRule(rule, ctx, spl, resultFields, diagnostics, true, selected.prefix);
}

/** The search with its index and filter macro, its schedule and alerting, as a .spl file and a stanza. */
function finishRule(rule: Rule, ctx: RenderContext, spl: string, resultFields: readonly string[], diagnostics: Diagnostic[], withIndex: boolean, dataSource?: string): TargetResult {
  const { splunkApp, splunkIndex, splunkLag, splunkAlert } = typedOptions(SPLUNK_OPTIONS, ctx.options);
  const { enable } = typedOptions(CORE_OPTIONS, ctx.options);
  const error = (code: string, message: string, hint?: string) =>
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }));
  const warn = (code: string, message: string) => diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code, message }));
  const indexProblem = splunkIndex !== undefined ? splunkIndexProblem(splunkIndex) : undefined;
  if (indexProblem) error("splunk/index-name", indexProblem);
  // A user's data source says where its events are: its own index, or a macro that names one, replaces --splunk-index.
  const ownIndex = dataSource !== undefined && (dataSource.startsWith("`") || /(^| )index=/.test(dataSource));
  const front = [...(splunkIndex && withIndex && !ownIndex ? [`index=${splunkIndex}`] : []), ...(dataSource ? [dataSource] : [])].join(" ");
  const body = front ? (spl.startsWith("\n") || spl === "" ? `${front}${spl}` : `${front} ${spl}`) : spl;
  // Every search ends in its own filter macro (`search *` in macros.conf), so tuning never edits the detection.
  const search = `${body}\n| \`${filterMacro(rule)}\``;

  // A first-seen search reads its whole history; the run's own window is the last interval of it.
  const history = rule.query.kind === "newTerms" ? rule.query.history : undefined;
  const schedule = splunkSchedule(rule.id, rule.schedule.interval, parseDuration(splunkLag)!, matchWindow(rule.query), history);
  if (!schedule) {
    if (history && durationMs(history) % 60000 !== 0) error("splunk/new-terms-history", `the new-terms history ${formatDuration(history)} is not whole minutes, which the snapped search window takes`);
    else error("splunk/schedule", `interval ${formatDuration(rule.schedule.interval)} has no cron equivalent`, "use whole minutes");
  } else if (history && durationMs(history) <= durationMs(rule.schedule.interval)) {
    error("splunk/new-terms-history", `the new-terms history ${formatDuration(history)} is no longer than the run's window (${formatDuration(rule.schedule.interval)}): no value could have been seen before it`);
  }
  else {
    // Each run searches one interval (a sequence's own window on top overlaps by design).
    const joins = windowJoins(schedule.cron, Math.round(durationMs(rule.schedule.interval) / 60000));
    const every = formatDuration(rule.schedule.interval);
    if (joins.gap > 0) {
      warn("splunk/schedule-gap", `interval ${every} does not divide the hour/day: cron \`${schedule.cron}\` leaves up to ${joins.gap}m between one run's window and the next, and events there are never searched`);
    }
    if (joins.overlap > 0) {
      warn("splunk/schedule-overlap", `interval ${every} does not divide the hour/day: cron \`${schedule.cron}\` runs up to ${joins.overlap}m closer together than its window, so consecutive windows overlap there and events in the overlap alert twice`);
    }
  }
  const risk = splunkAlert === "notable" ? undefined : riskAction(rule, resultFields);
  if (splunkAlert !== "notable" && !risk) {
    diagnostics.push(ruleDiagnostic(rule, { severity: splunkAlert === "risk" ? "warning" : "info", code: "splunk/no-risk-object", message: NO_RISK_OBJECT }));
  }
  if (!schedule || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  const enabled = rule.enabledByRule ?? enable === "true";
  const piece = renderStanza(rule, search, ctx, splunkApp, { error, warn }, { schedule, ...(risk ? { risk } : {}), notable: splunkAlert !== "risk", enabled });
  if (!piece || diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  return { files: [{ path: `${slugify(rule.name)}.spl`, content: `${search}\n` }], bundle: [piece], diagnostics };
}

/** The `splunk.data_sources` entries (each was checked when the settings were read). */
function dataSourceEntries(raw: readonly string[] | undefined): DataSourceEntry[] {
  return (raw ?? []).flatMap((e) => {
    const r = parseDataSource(e);
    return "problem" in r ? [] : [r];
  });
}

/**
 * Proxy, web and firewall events selected by their CIM tag carry CIM names: a field the data set
 * lacks matches nothing there. Under `--splunk-taxonomy cim` that rule is refused (the field named);
 * under `sigma` it is written, with a warning.
 */
function taggedFieldProblems(q: Query, ds: DataSource, ls: Logsource, taxonomy: string): SelectProblem[] {
  const out = fieldsOutsideTaggedData(q, ds, packagedCim);
  if (!out) return [];
  const names = out.fields.map((f) => `\`${f}\``).join(", ");
  return [
    {
      severity: taxonomy === "cim" ? "error" : "warning",
      code: "splunk/raw-field-not-cim",
      message: `log source ${sayLogsource(ls)} is selected by tag=${out.tag}, whose events carry ${out.dataset}'s CIM field names; ${names} ${out.fields.length === 1 ? "is not one" : "are not"}, so the search matches only events that also have ${out.fields.length === 1 ? "that field" : "those fields"} (map ${out.fields.length === 1 ? "it" : "them"} in the config's mappings, or give the log source its own data source in splunk.data_sources)`,
    },
  ];
}

const NO_RISK_OBJECT = "the search's results carry no field naming a risk object (dest, src, host, user, src_user, or a Windows account field), so no risk event is written";

/** `<rule slug>_filter`: the macro a rule's search ends in (ESCU's convention). */
export function filterMacro(rule: Rule): string {
  return `${slugify(rule.name)}_filter`;
}
