/**
 * The Sigma target: a rule in the Sigma taxonomy → a Sigma YAML file. Boolean queries become one
 * detection rule; sequences and samples become base rules plus a `temporal_ordered` / `temporal`
 * correlation rule in one multi-document file; Sigma correlations are written back as they were.
 */
import { parseAllDocuments } from "yaml";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { durationFromMs, formatDuration, lookbackMs } from "../../ir/duration.js";
import { derivedUuid, slugify } from "../../ir/ids.js";
import type { Duration, Logsource, NodeOf, Query, SequenceStep } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { typedOptions, type OptionSpec } from "../../options/option-spec.js";
import { renderSigmaDetection } from "../../query/sigma/sigma-detection-printer.js";
import { templateView, withLazyDocument, type RenderContext, type TargetResult, type TargetSpec } from "../target.js";
import { sigmaDocument, sigmaFields, type SigmaDetectionView, type SigmaDocumentKind, type SigmaField } from "./sigma-layout.js";
import { measureChain } from "./sigma-measure-chain.js";
import { sigmaCustomAttributes, sigmaTags } from "./sigma-metadata.js";

const SIGMA_OPTIONS = [
  {
    key: "sigmaTaxonomy",
    flag: "sigma-taxonomy",
    config: ["sigma_taxonomy"],
    env: "RULECAST_SIGMA_TAXONOMY",
    choices: ["sigma", "ecs", "auto"],
    default: "auto",
    help: "field names of Sigma output for ECS rules: sigma maps them (fails on fields the Sigma taxonomy lacks), ecs keeps them (taxonomy: ecs), auto maps when every field maps",
    commands: ["convert", "check"],
  },
  {
    key: "sigmaCase",
    flag: "sigma-case",
    config: ["sigma_case"],
    env: "RULECAST_SIGMA_CASE",
    choices: ["exact", "insensitive"],
    default: "insensitive",
    help: "Sigma `|cased` kept where a value has letters, or dropped with a warning that the match widened (pySigma's Splunk and Lucene backends refuse `|cased`)",
    commands: ["convert", "check"],
  },
  {
    key: "sigmaProfile",
    flag: "sigma-profile",
    config: ["sigma_profile"],
    env: "RULECAST_SIGMA_PROFILE",
    choices: ["sharing", "lossless"],
    default: "sharing",
    help: "Sigma files SigmaHQ review and pySigma accept (no custom attributes), or with every field Sigma has no key for, under the source platform's own key, for round trips",
    commands: ["convert", "check"],
  },
  {
    key: "sigmaMeasures",
    flag: "sigma-measures",
    config: ["sigma_measures"],
    env: "RULECAST_SIGMA_MEASURES",
    choices: ["chain", "refuse"],
    default: "chain",
    help: "a correlation bounding several measures (ES|QL `WHERE n >= 50 AND users >= 2`): a chain of Sigma correlations, one per bound, which matches more (warned), or refused",
    commands: ["convert", "check"],
  },
  {
    key: "sigmaCustom",
    flag: "sigma-custom",
    config: ["sigma_custom"],
    env: "RULECAST_SIGMA_CUSTOM",
    list: true,
    help: "custom attributes the sharing profile may still write, comma-separated (e.g. elastic)",
    commands: ["convert", "check"],
  },
] as const satisfies readonly OptionSpec[];

export const sigmaTarget: TargetSpec<"sigma"> = {
  name: "sigma",
  title: "Sigma",
  summary: "Sigma rules and correlation rules (<slug>.yml)",
  taxonomy: "sigma",
  rewrites: [{ pass: "lowerPlatformRuleTypes" }, { pass: "toTaxonomy", keepOwnNames: "sigmaTaxonomy", exactLift: true }],
  options: SIGMA_OPTIONS,
  mappings: [],
  renderRule: renderSigmaRule,
  renderBundle: () => [],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Doc {
  readonly kind: SigmaDocumentKind;
  /** Values by key (sigma-layout.ts says which are written, and where). */
  readonly values: Record<string, unknown>;
}

function renderSigmaRule(rule: Rule, ctx: RenderContext): TargetResult {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, hint?: string) =>
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }));
  const { sigmaCase, sigmaProfile, sigmaCustom, sigmaMeasures } = typedOptions(SIGMA_OPTIONS, ctx.options);
  const sharing = sigmaProfile === "sharing";
  const common = commonView(rule, sharing, sigmaCustom ?? []);
  // Sigma ids are UUIDs; an Elastic rule_id may be any text. Sharing derives a stable UUID from it.
  if (sharing && !UUID.test(rule.id)) {
    common.id = derivedUuid(rule.id, "sigma-id");
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "warning",
        code: "sigma/derived-id",
        message: `the rule id is not a UUID, which a Sigma id must be; the Sigma rule gets ${String(common.id)}, derived from it`,
      }),
    );
  }
  // The correlation schema has no tags or license (the base rules carry them): sharing leaves them out.
  const correlationCommon = sharing ? { ...common, tags: [], license: null } : common;
  const logsourceExtras = sigmaLogsourceExtras(rule);
  const docs: Doc[] = [];
  const widened: string[] = [];

  const baseDoc = (q: Query, ls: Logsource | undefined, extra: Record<string, unknown>): Doc | undefined => {
    const d = renderSigmaDetection(q, { sigmaCase, sharing });
    for (const i of d.issues) {
      if (i.severity === "error") error(i.code, i.reason);
      else diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code: i.code, message: i.reason }));
    }
    for (const f of d.widened) if (!widened.includes(f)) widened.push(f);
    if (d.issues.some((i) => i.severity === "error")) return undefined;
    const { condition, ...searches } = d.detection;
    const detection: SigmaDetectionView = { searches, condition };
    return { kind: "rule", values: { ...common, ...extra, logsource: withExtras(ls ?? {}, logsourceExtras), detection } };
  };

  /** Several bounded measures: a chain of correlations (sigma-measure-chain.ts), or a named refusal. */
  const chainDocs = (c: NodeOf<"correlation">): void => {
    const which = (c.extraMeasures ?? []).length + (c.anyOf ?? []).flat().length;
    if (sigmaMeasures === "refuse") {
      error("sigma/several-measures", `a Sigma correlation bounds one measure; this one bounds ${which} more`, "--sigma-measures chain writes them as a chain of correlations, which matches more");
      return;
    }
    const plan = measureChain(c, rule.name, rule.id, c.timespan ? formatDuration(c.timespan) : undefined);
    if (!plan.ok) {
      error("sigma/several-measures", `a Sigma correlation bounds one measure, and this one's ${which + 1} bounds cannot be chained: ${plan.reason}`);
      return;
    }
    for (const d of plan.docs) {
      if (d.kind === "rule") {
        const doc = baseDoc(d.query, d.logsource, { title: d.title, id: d.id, name: d.name, status: null, level: null, falsepositives: [], custom: {} });
        if (doc) docs.push(doc);
        continue;
      }
      // Only the outermost correlation carries the rule's metadata (the correlation specification).
      const inner = { title: d.title, id: d.id, status: null, description: `One part of the chain of correlations of "${rule.name}"; not a rule on its own.`, references: [], author: null, date: null, modified: null, license: null, tags: [], falsepositives: [], level: null, custom: {} };
      docs.push({ kind: "correlation", values: { ...correlationCommon, ...(d.outer ? {} : inner), correlation: d.correlation } });
    }
    if (diagnostics.some((d) => d.severity === "error")) return;
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "warning",
        code: "sigma/chained-measures",
        message: `a Sigma correlation bounds one measure, so the ${plan.bounds} bounds are ${plan.bounds} correlations joined by temporal correlations (the specification's chaining); each bound holds in its own ${formatDuration(c.timespan!)} window, within ${formatDuration(c.timespan!)} of the others, where the source measures all of them over one window: the Sigma rule can match groups the source does not`,
        hint: "pySigma's backends do not convert correlations of correlations; rulecast reads them back. --sigma-measures refuse refuses such rules",
      }),
    );
  };

  const q = rule.query;
  switch (q.kind) {
    case "sequence":
    case "sample": {
      if (q.kind === "sequence" && q.until) error("sigma/until", "Sigma correlations have no `until` condition; the sequence cannot be said exactly");
      const steps = q.steps;
      if (steps.some((s) => s.missing)) error("sigma/missing-event", "Sigma correlations cannot require that an event is absent (`![...]`)");
      if (steps.some((s) => (s.runs ?? 1) > 1)) error("sigma/runs", "Sigma temporal correlations count each rule once; `with runs=N` cannot be said");
      const timespan = spanFor(rule, q.kind === "sequence" ? q.maxspan : undefined, diagnostics);
      const names = steps.map((_, i) => `${slugify(rule.name, 60)}_step_${i + 1}`);
      const keys = joinKeys(q.by, steps);
      const stepDocs = steps.map((s, i) =>
        baseDoc(s.query, s.logsource, {
          title: `${rule.name} (step ${i + 1} of ${steps.length})`,
          id: derivedUuid(rule.id, "step", String(i + 1)),
          name: names[i],
          status: null,
          level: null,
          falsepositives: [],
          custom: {},
        }),
      );
      if (diagnostics.some((d) => d.severity === "error") || !timespan) break;
      const correlation: Record<string, unknown> = {
        type: q.kind === "sequence" ? "temporal_ordered" : "temporal",
        rules: names,
        "group-by": keys.groupBy,
        timespan: formatDuration(timespan),
      };
      if (keys.aliases) correlation.aliases = aliasView(keys.aliases, names);
      docs.push(...(stepDocs as Doc[]));
      docs.push({ kind: "correlation", values: { ...correlationCommon, correlation } });
      break;
    }
    case "correlation": {
      const names = q.rules.map((r) => r.name);
      // A rule named twice (an ordered pair of the same rule) is one base document.
      const distinct = q.rules.filter((r, i) => names.indexOf(r.name) === i);
      const stepDocs = distinct.map((r, i) =>
        baseDoc(r.query, r.logsource, {
          title: `${rule.name} (${r.name})`,
          id: derivedUuid(rule.id, "rule", String(i + 1)),
          name: r.name,
          status: null,
          level: null,
          falsepositives: [],
          custom: {},
        }),
      );
      if (q.extraMeasures?.length || q.anyOf?.length) {
        chainDocs(q);
        break;
      }
      if (diagnostics.some((d) => d.severity === "error")) break;
      const correlation: Record<string, unknown> = { type: q.type, rules: names, "group-by": [...q.groupBy] };
      if (q.timespan) correlation.timespan = formatDuration(q.timespan);
      const aliases: Record<string, Record<string, string>> = {};
      for (const r of q.rules) for (const [alias, field] of Object.entries(r.aliases ?? {})) (aliases[alias] ??= {})[r.name] = field;
      if (Object.keys(aliases).length > 0) correlation.aliases = aliases;
      if (q.condition.length > 0 || q.valueField) {
        const cond: Record<string, unknown> = {};
        for (const c of q.condition) cond[c.op] = c.value;
        if (q.valueField) cond.field = q.valueField;
        correlation.condition = cond;
      }
      docs.push(...(stepDocs as Doc[]));
      docs.push({ kind: "correlation", values: { ...correlationCommon, correlation } });
      break;
    }
    default: {
      const doc = baseDoc(q, rule.logsource, {});
      if (doc) docs.push(doc);
    }
  }

  if (diagnostics.some((d) => d.severity === "error")) return { files: [], bundle: [], diagnostics };
  if (widened.length > 0) {
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "warning",
        code: "sigma/case-widened",
        message: `the case-sensitive match on ${widened.map((f) => `\`${f}\``).join(", ")} is written case-insensitive (sigma_case: insensitive), so the Sigma rule matches more: every spelling of the value`,
        hint: "--sigma-case exact keeps `|cased`, which pySigma's Splunk and Lucene backends refuse",
      }),
    );
  }
  const fields = docs.map((d) => sigmaFields(d.kind, d.values, (d.values["custom"] ?? {}) as Record<string, unknown>));
  const documents = docs.map((d, i) => ctx.templates.render(TEMPLATE[d.kind], templateView(viewOf(d, fields[i]!), rule, "sigma", ctx)).trimEnd());
  const content = ctx.templates.render("sigma/file.yaml.hbs", templateView({ documents }, rule, "sigma", ctx));
  // The built-in templates are held to reading back by the goldens and property tests; parsing
  // every file again at runtime cost as much as a fifth of a three-target run (test/bench/README.md).
  const userTemplate = docs.some((d) => ctx.templates.isOverridden(TEMPLATE[d.kind])) || ctx.templates.isOverridden("sigma/file.yaml.hbs");
  const problem = userTemplate ? yamlReadBackProblem(content, fields.length) : undefined;
  if (problem) {
    error("sigma/invalid-output", `the Sigma YAML from ${ctx.templates.source(docs[0] ? TEMPLATE[docs[0].kind] : "sigma/file.yaml.hbs")} does not read back: ${problem}`);
    return { files: [], bundle: [], diagnostics };
  }
  return {
    files: [withLazyDocument({ path: `${slugify(rule.name)}.yml`, content }, () => fields.map(sigmaDocument))],
    bundle: [],
    diagnostics,
  };
}

/**
 * Why the file is not `count` YAML documents that parse cleanly (repeated keys included), or
 * undefined: a template or a value the emitter mishandles must fail the rule, never be written.
 */
function yamlReadBackProblem(content: string, count: number): string | undefined {
  const docs = parseAllDocuments(content, { uniqueKeys: true });
  if (!Array.isArray(docs)) return "it holds no document";
  for (const d of docs) {
    const e = d.errors[0] ?? d.warnings[0];
    if (e) return e.message.split("\n")[0];
  }
  return docs.length === count ? undefined : `it holds ${docs.length} documents, not ${count}`;
}

/** Each document's template: both write the fields they are given, in order. */
const TEMPLATE: Readonly<Record<SigmaDocumentKind, string>> = { rule: "sigma/rule.yaml.hbs", correlation: "sigma/correlation.yaml.hbs" };

/**
 * What a Sigma template sees: the ordered `fields` the built-in templates write, and each value by
 * its key (`title`, `logsource`, `searches` and `condition`, `correlation`, `custom`, …) for a
 * user's template that lays a document out itself.
 */
function viewOf(d: Doc, fields: readonly SigmaField[]): Record<string, unknown> {
  const { detection, ...values } = d.values;
  const det = detection as SigmaDetectionView | undefined;
  return { ...values, ...(det ? { searches: det.searches, condition: det.condition } : {}), fields };
}

/**
 * The metadata every document of the rule shares. Sharing: tags exactly as a Sigma source has them,
 * and no custom attribute but those `allowed` names; lossless: every field Sigma has no key for.
 */
function commonView(rule: Rule, sharing: boolean, allowed: readonly string[]): Record<string, unknown> {
  const custom = sigmaCustomAttributes(rule);
  return {
    title: rule.name,
    id: rule.id,
    name: null,
    taxonomy: rule.taxonomy === "sigma" ? null : rule.taxonomy,
    status: rule.status ?? "experimental",
    description: rule.description,
    references: rule.references,
    author: rule.authors.join(", "),
    date: rule.date ?? null,
    modified: rule.modified ?? null,
    license: rule.license ?? null,
    tags: sharing && rule.language === "sigma" ? [...rule.tags] : sigmaTags(rule),
    falsepositives: rule.falsePositives,
    level: rule.severity,
    custom: sharing ? Object.fromEntries(Object.entries(custom).filter(([k]) => allowed.includes(k))) : custom,
  };
}

/** The log source, then the rule's own extra logsource keys it does not set. */
function withExtras(ls: Logsource, extras: Record<string, unknown>): Record<string, unknown> {
  return { ...ls, ...Object.fromEntries(Object.entries(extras).filter(([k]) => !Object.hasOwn(ls, k))) };
}

/** Logsource keys of a Sigma rule beyond category/product/service/definition, kept by the reader. */
function sigmaLogsourceExtras(rule: Rule): Record<string, unknown> {
  const extra = rule.language === "sigma" ? rule.custom["logsource"] : undefined;
  return extra !== null && typeof extra === "object" && !Array.isArray(extra) ? (extra as Record<string, unknown>) : {};
}

/**
 * The correlation timespan: the sequence's maxspan, or else the rule's look-back, since an EQL
 * sequence without maxspan can only complete inside one search window.
 */
function spanFor(rule: Rule, maxspan: Duration | undefined, diagnostics: Diagnostic[]): Duration | undefined {
  if (maxspan) return maxspan;
  const ms = lookbackMs(rule.schedule.from, rule.schedule.to);
  if (ms === undefined) {
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "error",
        code: "sigma/no-timespan",
        message: `the sequence has no maxspan and the look-back \`${rule.schedule.from}\` is not a plain duration`,
        hint: "add `with maxspan=...` to the sequence",
      }),
    );
    return undefined;
  }
  const span = durationFromMs(ms);
  diagnostics.push(
    ruleDiagnostic(rule, {
      severity: "info",
      code: "sigma/timespan-from-lookback",
      message: `the sequence has no maxspan; the correlation timespan is the rule's look-back (${formatDuration(span)})`,
    }),
  );
  return span;
}

/** Join keys: one group-by name per key; aliases where steps use different fields for a key. */
function joinKeys(
  by: readonly string[],
  steps: readonly SequenceStep[],
): { groupBy: string[]; aliases?: string[][] } {
  const perStep = steps.map((s) => [...by, ...s.by]);
  const width = perStep[0]?.length ?? 0;
  const same = perStep.every((k) => k.length === width && k.every((f, i) => f === perStep[0]![i]));
  // `sequence by host.id [...] by host.id`: one key named twice is one group-by field.
  if (same) return { groupBy: [...new Set(perStep[0] ?? [])] };
  return { groupBy: Array.from({ length: width }, (_, i) => `key_${i + 1}`), aliases: perStep };
}

function aliasView(perStep: readonly string[][], names: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  perStep.forEach((keys, s) =>
    keys.forEach((field, i) => {
      (out[`key_${i + 1}`] ??= {})[names[s]!] = field;
    }),
  );
  return out;
}
