/**
 * The Elastic target: a rule in ECS field names → a Kibana detection rule (`<slug>.json`, the
 * create-API body) and one line of `rules.ndjson`, which Kibana's rule import reads. The query is
 * printed again from the IR (KQL for query/threshold rules, EQL for eql rules and sequences, and
 * for Sigma rules the language the user picks: EQL, KQL, Lucene or ES|QL), never copied; only
 * text no parser reads (and an ES|QL rule's own query) is kept as written. A count correlation (a
 * threshold read from Kibana, or a Sigma event_count/value_count) is a threshold rule; a Sigma
 * correlation a threshold cannot hold, and a Sigma rule EQL and KQL cannot say exactly, is an
 * ES|QL rule, with an info line.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { attackTable, tacticReference, techniqueReference } from "../../attack/attack-table.js";
import { countedEvents, countThreshold, lowerBound } from "../../ir/count-threshold.js";
import { durationMs, formatDuration } from "../../ir/duration.js";
import { slugify } from "../../ir/ids.js";
import { queryFields, type FieldUse } from "../../ir/query-fields.js";
import type { NodeOf, Query } from "../../ir/query.js";
import type { Rule, RuleType } from "../../ir/rule.js";
import { lookbackMessage, windowBeyondLookback } from "../../ir/match-window.js";
import { flattenedRoot, isKeywordAddressText, isTextField } from "../../query/ecs-field-types.js";
import { typedOptions, type OptionSpec } from "../../options/option-spec.js";
import { printEql } from "../../query/eql/eql-printer.js";
import { printKql } from "../../query/kql/kql-printer.js";
import { printLucene } from "../../query/lucene/lucene-printer.js";
import { ecsEsqlFieldType } from "../../query/esql/esql-ecs-arrays.js";
import { printEsql } from "../../query/esql/esql-printer.js";
import type { PrintResult } from "../../query/print-result.js";
import { TemplateError } from "../../render/templates.js";
import { templateView, withLazyDocument, type BundlePiece, type BundleReader, type RenderContext, type TargetResult, type TargetSpec } from "../target.js";
import { kibanaRuleFields } from "./kibana-fields.js";

/**
 * The languages a rule written in Sigma may become (`--elastic-language`), by Kibana's name for
 * each: the rule type that holds it and its printer. EQL keeps Sigma's case-insensitivity. ES|QL
 * reads its indices from `FROM`, so its printer takes the rule's.
 */
const SIGMA_LANGUAGES = {
  eql: { type: "eql", print: () => printEql },
  kuery: { type: "query", print: () => printKql },
  lucene: { type: "query", print: () => printLucene },
  esql: { type: "esql", print: (rule: Rule) => (q: Query) => printEsql(q, { indices: rule.index, fieldType: ecsEsqlFieldType }) },
} as const satisfies Record<string, { type: RuleType; print: (rule: Rule) => (q: Query) => PrintResult }>;
type SigmaLanguage = keyof typeof SIGMA_LANGUAGES;

const ELASTIC_OPTIONS = [
  {
    key: "elasticLanguage",
    flag: "elastic-language",
    config: ["elastic_language"],
    env: "RULECAST_ELASTIC_LANGUAGE",
    choices: Object.keys(SIGMA_LANGUAGES) as SigmaLanguage[],
    default: "eql",
    help: "query language of Elastic rules made from Sigma",
    commands: ["convert", "check"],
  },
] as const satisfies readonly OptionSpec[];

export const elasticTarget: TargetSpec<"elastic"> = {
  name: "elastic",
  title: "Elastic",
  summary: "Kibana detection rules (<slug>.json) and a rules.ndjson import bundle",
  taxonomy: "ecs",
  // Kibana has thresholds, new-terms and indicator-match rules of its own: no lowerPlatformRuleTypes.
  rewrites: [{ pass: "toTaxonomy" }, { pass: "correlationToSequence" }, { pass: "typeEcsLiterals" }],
  options: ELASTIC_OPTIONS,
  mappings: [],
  examples: [["cat rule.yaml | rulecast convert - --to elastic", "convert one rule from stdin to stdout"]],
  renderRule: renderElasticRule,
  renderBundle: renderNdjson,
  streamBundle: (ctx) =>
    ctx.templates.isOverridden(BUNDLE_TEMPLATE) ? undefined : [{ path: "rules.ndjson", head: "", piece: (p) => `${p.text}\n` }],
  readBundle: readNdjson,
  pieceKey: (piece) => piece.key ?? ruleIdOf(piece.text),
};

const BUNDLE_TEMPLATE = "elastic/rules.ndjson.hbs";

/**
 * Kibana's import file: one rule's JSON per line, each already read back. The built-in template
 * writes exactly that; a user's must read back as one JSON object per line, each the rule's, in order.
 */
function renderNdjson(pieces: readonly BundlePiece[], ctx: RenderContext) {
  const content = renderNdjsonText(pieces, ctx);
  if (ctx.templates.isOverridden(BUNDLE_TEMPLATE)) {
    const fail = (reason: string) => new TemplateError(ctx.templates.source(BUNDLE_TEMPLATE), undefined, reason);
    const lines = content.split("\n").map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== "");
    if (lines.length !== pieces.length) throw fail(`the output has ${lines.length} lines, not one per rule (${pieces.length})`);
    lines.forEach(({ text, line }, i) => {
      const read = jsonObject(text);
      if (typeof read === "string") throw fail(`line ${line} of the output does not read back as a rule: ${read}`);
      if (JSON.stringify(read) !== pieces[i]!.text) throw fail(`line ${line} of the output does not read back as the rule it was made from`);
    });
  }
  return [{ path: "rules.ndjson", content }];
}

function renderNdjsonText(pieces: readonly BundlePiece[], ctx: RenderContext): string {
  return ctx.templates.render(BUNDLE_TEMPLATE, templateView({ lines: pieces.map((p) => p.text) }, undefined, "elastic", ctx));
}

/**
 * The lines of the rules.ndjson written earlier, for a run that converts some of the rules
 * (TargetSpec.readBundle): only the built-in layout, each line one JSON object written exactly as
 * rulecast writes it (so it is one line and one rule), with a rule_id no other line has.
 */
function readNdjson(read: BundleReader, ctx: RenderContext): BundlePiece[] | { error: string } {
  const text = read("rules.ndjson");
  if (text === undefined || text === "") return [];
  if (ctx.templates.isOverridden(BUNDLE_TEMPLATE)) return { error: `written with your own ${BUNDLE_TEMPLATE}, whose layout rulecast cannot read back` };
  if (!text.endsWith("\n")) return { error: "the last line does not end in a newline" };
  const pieces: BundlePiece[] = [];
  const ids = new Set<string>();
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    const read = jsonObject(line);
    if (typeof read === "string") return { error: `line ${i + 1} is not a rule: ${read}` };
    if (JSON.stringify(read) !== line) return { error: `line ${i + 1} is not written as rulecast writes a rule` };
    const id = ruleIdOf(line);
    if (id === undefined) return { error: `line ${i + 1} has no rule_id` };
    if (ids.has(id)) return { error: `line ${i + 1} repeats rule_id ${id}` };
    ids.add(id);
    pieces.push({ text: line });
  }
  return pieces;
}

function ruleIdOf(line: string): string | undefined {
  const read = jsonObject(line);
  const id = typeof read === "object" ? (read as { rule_id?: unknown }).rule_id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** `text` read as one JSON object, or why it is not one. */
function jsonObject(text: string): object | string {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : "it is not a JSON object";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Kibana has no `informational` severity; it is the lowest band. */
const KIBANA_SEVERITY: Readonly<Record<string, string>> = {
  informational: "low",
  low: "low",
  medium: "medium",
  high: "high",
  critical: "critical",
};

function renderElasticRule(input: Rule, ctx: RenderContext): TargetResult {
  const diagnostics: Diagnostic[] = [];
  const chosen = typedOptions(ELASTIC_OPTIONS, ctx.options).elasticLanguage;
  const lowered = lowerForElastic(input, chosen);
  if ("error" in lowered) {
    diagnostics.push(ruleDiagnostic(input, { severity: "error", code: "elastic/correlation", message: lowered.error }));
    return { files: [], bundle: [], diagnostics };
  }
  const rule = lowered.rule;
  for (const note of lowered.notes) diagnostics.push(ruleDiagnostic(input, note));
  const window = windowBeyondLookback(rule.schedule, rule.query);
  if (window) diagnostics.push(ruleDiagnostic(input, { severity: "warning", code: "elastic/lookback-shorter-than-window", message: lookbackMessage(rule.schedule, window) }));
  const first = lowered.printing ?? queryPlan(rule, ctx);
  if ("error" in first) {
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code: "elastic/rule-type", message: first.error }));
    return { files: [], bundle: [], diagnostics };
  }
  // Values written in Sigma mean characters: the target picked the language, and may pick again.
  // A Sigma rule EQL cannot say exactly (a keyword search, an analysed text field) may still be a
  // KQL query rule, or else an ES|QL rule: the first that says it exactly is used, and the user told.
  const sigmaValues = input.language === "sigma";
  // Every attempt asks about the same fields: the query is walked for them once.
  const uses = queryFields(rule.query);
  const tried = [attempt(first, rule, sigmaValues, uses)];
  if (sigmaValues && first.language === "eql" && tried[0]!.problem && rule.query.kind !== "sequence") {
    for (const language of ["kuery", "esql"] as const) {
      const next = attempt(sigmaPlan(language, rule), rule, sigmaValues, uses);
      tried.push(next);
      if (!next.problem) break;
    }
  }
  const used = tried.find((t) => !t.problem) ?? tried[0]!;
  const plan = used.plan;
  const printed = used.printed;
  if (used !== tried[0]) {
    const why = tried.slice(0, -1).map((t, i) => `${i === 0 ? "EQL cannot say this query" : `nor can ${RULE_FORM[t.plan.language]}`} (${t.problem})`).join(", ");
    const code = plan.language === "kuery" ? "elastic/kql-instead" : "elastic/esql-instead";
    diagnostics.push(ruleDiagnostic(rule, { severity: "info", code, message: `${why}; it is ${RULE_FORM[plan.language]} instead` }));
    if (plan.language === "kuery" && hasKeyword(rule.query)) {
      diagnostics.push(ruleDiagnostic(rule, {
        severity: "warning",
        code: "elastic/keyword-text-fields",
        message: "a bare KQL value searches every field: keyword fields by their whole value, as Sigma means, but analysed text fields (such as `message`) word by word, where a value with spaces or punctuation inside a word may not be found",
      }));
    }
  }
  for (const i of printed.issues) diagnostics.push(ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span));
  if (used.problem) {
    for (const f of used.fieldProblems) diagnostics.push(ruleDiagnostic(rule, { severity: "error", code: f.code, message: f.message }));
    for (const t of tried.slice(1)) {
      const error = t.printed.issues.find((i) => i.severity === "error");
      const code = error?.code ?? "elastic/text-field";
      diagnostics.push(ruleDiagnostic(rule, { severity: "error", code, message: `nor can ${RULE_FORM[t.plan.language]}: ${t.problem}` }, error?.node.span));
    }
    return { files: [], bundle: [], diagnostics };
  }
  if (rule.severity === "informational") {
    diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "elastic/severity", message: "Kibana has no informational severity; the rule is `low` (the original level is kept in meta)" }));
  }

  if (rule.description.trim() === "") {
    diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "elastic/empty-description", message: "Kibana requires a description; the rule name is used" }));
  }
  // Key order is the template's (templates/elastic/rule.json.hbs); here each key only gets its value.
  const own = {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description.trim() === "" ? rule.name : rule.description,
    type: plan.type,
    language: plan.language !== "none" ? plan.language : undefined,
    query: plan.language !== "none" ? printed.text : undefined,
    // An ES|QL rule names its indices in FROM; Kibana's esql rules have no index of their own.
    index: rule.index.length > 0 && plan.type !== "esql" ? rule.index : undefined,
    threshold: lowered.threshold,
    severity: KIBANA_SEVERITY[rule.severity] ?? "low",
    risk_score: rule.riskScore,
    interval: formatDuration(rule.schedule.interval),
    from: rule.schedule.from,
    to: rule.schedule.to,
    max_signals: rule.maxSignals,
    enabled: rule.enabled,
    tags: rule.tags,
    version: rule.version,
    author: rule.authors.length > 0 ? rule.authors : ["Unknown"],
    license: rule.license || undefined,
    false_positives: rule.falsePositives,
    references: rule.references,
    threat: threatView(rule),
    note: rule.note || undefined,
    setup: rule.setup || undefined,
  };
  // Keys the view sets itself (and `meta`): a copy in `custom` never overrides them.
  const extra = kibanaKeysFromCustom(rule, plan.type, new Set([...Object.keys(own), "meta"]));
  const meta = metaView(rule, extra);
  const view = withoutUndefined({ ...own, ...(Object.keys(extra).length > 0 ? { extra } : {}), meta });
  const json = ctx.templates.render("elastic/rule.json.hbs", templateView(view, rule, "elastic", ctx));
  const read = jsonObject(json);
  if (typeof read === "string") {
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code: "elastic/invalid-output", message: `the rule JSON from ${ctx.templates.source("elastic/rule.json.hbs")} does not read back: ${read}` }));
    return { files: [], bundle: [], diagnostics };
  }
  const line = JSON.stringify(read);
  const id = (read as { rule_id?: unknown }).rule_id;
  // The template writes the carried Kibana keys (`extra`) at the top level.
  const file = withLazyDocument({ path: `${slugify(rule.name)}.json`, content: json }, () => withoutUndefined({ ...own, ...extra, meta }));
  return { files: [file], bundle: [{ text: line, ...(typeof id === "string" && id !== "" ? { key: id } : {}) }], diagnostics };
}

function hasKeyword(q: Query): boolean {
  switch (q.kind) {
    case "keyword":
      return true;
    case "and":
    case "or":
      return q.children.some(hasKeyword);
    case "not":
      return hasKeyword(q.child);
    default:
      return false;
  }
}

/**
 * Analysed text fields hold words, not characters: EQL refuses to search them (the rule would fail
 * on every run), and a KQL or Lucene value on one matches words, which is not what a Sigma value
 * (characters) means. A KQL rule read from Kibana means words already and stays as it is.
 */
function textFieldProblem(fields: readonly FieldUse[], language: string, sigmaValues: boolean): string | undefined {
  // ES|QL compares a text field's whole value as a string (LIKE, RLIKE, ==): characters, as Sigma means.
  if (language === "esql") return undefined;
  const uses = fields.filter((u) => isTextField(u.field));
  const eql = language === "eql" ? uses[0] : undefined;
  if (eql) return `\`${eql.field}\` is an analysed text field, which EQL cannot search: Elasticsearch would refuse the rule on every run`;
  const valued = sigmaValues ? uses.find((u) => u.kind !== "exists") : undefined;
  if (valued) return `\`${valued.field}\` is an analysed text field: KQL and Lucene match its words, not the characters the Sigma value names`;
  return undefined;
}

interface Printing {
  readonly type: RuleType;
  readonly language: SigmaLanguage | "none";
  readonly print: (q: Query) => PrintResult;
}
type Plan = Printing | { error: string };

/** How the messages name the rule a language makes. */
const RULE_FORM: Readonly<Record<Printing["language"], string>> = {
  eql: "an EQL rule",
  kuery: "a KQL query rule",
  lucene: "a Lucene query rule",
  esql: "an ES|QL rule",
  none: "a rule without a query",
};

function sigmaPlan(language: SigmaLanguage, rule: Rule): Printing {
  const { type, print } = SIGMA_LANGUAGES[language];
  return { type, language, print: print(rule) };
}

interface Attempt {
  readonly plan: Printing;
  readonly printed: PrintResult;
  /** Fields this language cannot search as the rule means (analysed text, flattened, CIDR on keyword text), in that order. */
  readonly fieldProblems: readonly { readonly code: string; readonly message: string }[];
  /** Why this language cannot say the rule exactly (its first print error, else its first field problem). */
  readonly problem?: string;
}

/** `uses`: the fields `rule.query` reads (queryFields). */
function attempt(plan: Printing, rule: Rule, sigmaValues: boolean, uses: readonly FieldUse[]): Attempt {
  const printed = plan.print(rule.query);
  const fieldProblems = (
    [
      ["elastic/text-field", textFieldProblem(uses, plan.language, sigmaValues)],
      ["elastic/flattened-field", flattenedFieldProblem(uses, plan.language)],
      ["elastic/cidr-on-text", cidrOnTextProblem(uses, plan.language)],
    ] as const
  ).flatMap(([code, message]) => (message ? [{ code, message }] : []));
  const problem = printed.issues.find((i) => i.severity === "error")?.reason ?? fieldProblems[0]?.message;
  return { plan, printed, fieldProblems, ...(problem ? { problem } : {}) };
}

/**
 * A CIDR block on a field that holds addresses as keyword text (`winlog.event_data.IpAddress`):
 * ES|QL reads the text as an address (`CIDR_MATCH(TO_IP(f), …)`); EQL's cidrMatch takes only ip
 * fields (Elasticsearch would refuse the rule on every run), and a KQL or Lucene term `a.b.c.d/n`
 * on a keyword matches that literal text.
 */
function cidrOnTextProblem(uses: readonly FieldUse[], language: string): string | undefined {
  if (language === "esql") return undefined;
  const use = uses.find((u) => u.kind === "cidr" && isKeywordAddressText(u.field));
  if (!use) return undefined;
  return language === "eql"
    ? `\`${use.field}\` holds the address as keyword text, and EQL's cidrMatch takes only ip fields: Elasticsearch would refuse the rule on every run`
    : `\`${use.field}\` holds the address as keyword text, so a CIDR block there would match only its own text`;
}

/**
 * A subfield of a `flattened` integration field (CloudTrail's request parameters) is a keyword to
 * KQL and Lucene, but EQL and ES|QL refuse the type: such a rule would fail on every run.
 */
function flattenedFieldProblem(uses: readonly FieldUse[], language: string): string | undefined {
  if (language !== "eql" && language !== "esql") return undefined;
  const use = uses.find((u) => flattenedRoot(u.field) !== undefined);
  if (!use) return undefined;
  return `\`${use.field}\` is inside the flattened field \`${flattenedRoot(use.field)}\`, which ${language === "eql" ? "EQL" : "ES|QL"} cannot search: Elasticsearch would refuse the rule on every run`;
}

/** Kibana rule types whose query may be Lucene. */
const LUCENE_TYPES: ReadonlySet<RuleType> = new Set(["query", "saved_query", "threshold", "new_terms", "threat_match"]);

/** The Kibana rule type and query language for a rule's query. */
function queryPlan(rule: Rule, ctx: RenderContext): Plan {
  const kql = (type: RuleType): Plan => ({ ...sigmaPlan("kuery", rule), type });
  const q = rule.query;
  // An ES|QL rule read into the IR keeps its text: Elastic runs the query as its author wrote it.
  if (rule.language === "esql" && rule.type === "esql" && q.kind !== "opaque") return { type: "esql", language: "esql", print: () => ({ text: rule.queryText, issues: [] }) };
  if (q.kind === "opaque") {
    // Text no parser reads travels verbatim, but only to a rule of its own language.
    if (q.language === "machine_learning" && rule.type === "machine_learning") return { type: "machine_learning", language: "none", print: () => ({ text: "", issues: [] }) };
    if ((q.language === "esql" && rule.type === "esql") || (q.language === "lucene" && LUCENE_TYPES.has(rule.type))) {
      return { type: rule.type, language: q.language, print: () => ({ text: q.text, issues: [] }) };
    }
    return { error: `a ${q.language} query cannot be a ${rule.type} rule` };
  }
  if (q.kind === "sequence" || q.kind === "sample" || q.kind === "pipe") return sigmaPlan("eql", rule);
  if (q.kind === "correlation") return { error: "this correlation has no Elastic rule form" };
  if (rule.type === "threshold") return kql("threshold");
  switch (rule.language) {
    case "eql":
      return sigmaPlan("eql", rule);
    case "kuery":
      // Every KQL rule type keeps its type (threat_match, new_terms, saved_query, ...).
      return kql(rule.type === "eql" || rule.type === "esql" || rule.type === "machine_learning" ? "query" : rule.type);
    case "sigma":
      return sigmaPlan(typedOptions(ELASTIC_OPTIONS, ctx.options).elasticLanguage, rule);
    case "lucene":
    case "esql":
      return { error: `a ${rule.language} rule needs its query kept as text` };
  }
}

/** Kibana's `threat`: reference URLs with the trailing slash its schema requires, filled when absent. */
function threatView(rule: Rule): unknown[] {
  const table = attackTable();
  const slash = (u: string) => (u.endsWith("/") ? u : `${u}/`);
  return rule.threat.map((t) => ({
    framework: t.framework,
    tactic: { id: t.tactic.id, name: t.tactic.name, reference: slash(t.tactic.reference ?? tacticReference(table.tacticById(t.tactic.id)?.id ?? t.tactic.id)) },
    technique: t.techniques.map((x) => ({
      id: x.id,
      name: x.name,
      reference: slash(x.reference ?? techniqueReference(x.id)),
      ...(x.subtechniques.length > 0
        ? { subtechnique: x.subtechniques.map((s) => ({ id: s.id, name: s.name, reference: slash(s.reference ?? techniqueReference(s.id)) })) }
        : {}),
    })),
  }));
}

/** Kibana's free `meta` object keeps what it has no field for: releases, version history, extras. */
function metaView(rule: Rule, carried: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const meta: Record<string, unknown> = { source: "rulecast" };
  if (rule.added) meta.added = rule.added;
  if (rule.lastModified) meta.last_modified = rule.lastModified;
  if (rule.history.length > 0) {
    meta.history = rule.history.map((h) => ({
      version: h.version,
      ...(h.release ? { release: h.release } : {}),
      changes: h.changes,
      ...(h.previousQuery ? { previous_query: h.previousQuery } : {}),
    }));
  }
  if (rule.severity === "informational") meta.severity = "informational";
  if (rule.status) meta.status = rule.status;
  if (rule.date) meta.date = rule.date;
  if (rule.modified) meta.modified = rule.modified;
  if (rule.logsource) meta.logsource = rule.logsource;
  const custom = Object.fromEntries(Object.entries(rule.custom).filter(([k]) => !(k in carried)));
  if (Object.keys(custom).length > 0) meta.custom = custom;
  return meta;
}

/**
 * Kibana keys a rule holds in `custom` (read from an Elastic rule: building_block_type,
 * related_integrations, new_terms_fields, ...) go back to the top level, where Kibana reads
 * them, for every key the rule's type accepts (data/kibana-rule-fields.json).
 */
function kibanaKeysFromCustom(rule: Rule, type: RuleType, own: ReadonlySet<string>): Record<string, unknown> {
  const allowed = kibanaRuleFields(type);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule.custom)) {
    if (allowed.has(k) && !own.has(k) && v !== undefined) out[k] = v;
  }
  return out;
}

/** The object without its unset keys: what the JSON holds (the template leaves them out). */
function withoutUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

interface KibanaThreshold {
  readonly field: readonly string[];
  readonly value: number;
  readonly cardinality?: readonly { readonly field: string; readonly value: number }[];
}

type Note = { severity: "info" | "warning"; code: string; message: string };
type Lowered = { rule: Rule; notes: Note[]; threshold?: KibanaThreshold; printing?: Printing } | { error: string };

/**
 * A Sigma correlation: a threshold rule where Kibana's threshold says it (and `--elastic-language`
 * is not esql), else an ES|QL rule (`STATS … BY` over the look-back) where ES|QL says it, with an
 * info line. A threshold read from Kibana stays one; an ES|QL rule read into the IR keeps its text.
 */
function lowerForElastic(rule: Rule, language: SigmaLanguage): Lowered {
  if (rule.query.kind !== "correlation" || rule.language === "esql") return { rule, notes: [] };
  if (rule.language !== "sigma") return lowerCorrelation(rule);
  if (language === "esql") return esqlCorrelation(rule, rule.query);
  const threshold = lowerCorrelation(rule);
  if (!("error" in threshold)) return threshold;
  const esql = esqlCorrelation(rule, rule.query);
  if ("error" in esql) return { error: `${threshold.error}; nor can an ES|QL rule: ${esql.error}` };
  return { ...esql, notes: [{ severity: "info", code: "elastic/esql-instead", message: `a Kibana threshold cannot say this correlation (${threshold.error}); it is an ES|QL rule instead` }, ...esql.notes] };
}

/** A correlation as an ES|QL rule: the printer's `STATS … BY`, counted over each run's look-back, which is the timespan. */
function esqlCorrelation(rule: Rule, q: NodeOf<"correlation">): Lowered {
  // A threshold's events beside its distinct count (minEvents) has no measure in the printer.
  if (q.minEvents !== undefined && q.minEvents > 1) return { error: `the correlation needs both ${q.minEvents} events and a distinct count per group, which one ES|QL measure does not say` };
  const printing = sigmaPlan("esql", rule);
  const error = printing.print(q).issues.find((i) => i.severity === "error");
  if (error) return { error: error.reason };
  const notes: Note[] = [];
  let schedule = rule.schedule;
  if (q.timespan) {
    schedule = { ...schedule, from: `now-${formatDuration(q.timespan)}`, to: "now" };
    notes.push({
      severity: "info",
      code: "elastic/esql-window",
      message: `the ES|QL rule counts over each run's look-back (${schedule.from}), which is the correlation's timespan; runs every ${formatDuration(schedule.interval)}`,
    });
    if (durationMs(schedule.interval) > durationMs(q.timespan)) {
      notes.push({ severity: "warning", code: "elastic/esql-gaps", message: "the rule runs less often than its timespan: events between windows are never counted" });
    }
  }
  return { rule: { ...rule, type: "esql", schedule }, notes, printing };
}

/**
 * Count correlations as Elastic rules: `event_count` / `value_count` with a `gt`/`gte` condition →
 * a threshold rule (Kibana counts `>=` only) whose look-back is the timespan (a correlation without
 * one, read from a threshold rule, counts over the rule's own look-back). A `temporal_ordered` one
 * arrives as a sequence (the correlationToSequence rewrite); every other type is refused with its reason.
 */
function lowerCorrelation(rule: Rule): Lowered {
  const q = rule.query;
  if (q.kind !== "correlation") return { rule, notes: [] };
  if (q.extraMeasures?.length) return { error: `the correlation also bounds ${q.extraMeasures.map((m) => m.type).join(", ")}; Elastic's threshold and EQL forms bound one measure` };
  if (q.anyOf?.length) return { error: "the correlation also bounds one of several sets of measures (an OR); Elastic's threshold and EQL forms bound one measure" };
  switch (q.type) {
    case "temporal_ordered":
      return { error: "an ordered temporal correlation is an EQL sequence, which the correlationToSequence rewrite makes" };
    case "temporal":
      return { error: "an unordered temporal correlation is no EQL rule: EQL `sample` has no time bound" };
    case "value_sum":
    case "value_avg":
      return { error: `a ${q.type} correlation is no threshold rule: Kibana thresholds count events and distinct values, and EQL and KQL cannot add up a field` };
    case "event_count":
    case "value_count": {
      if (lowerBound(q.condition) === undefined) {
        return { error: `Kibana thresholds count \`>=\` only; the condition ${q.condition.map((c) => `${c.op} ${c.value}`).join(", ")} cannot be said` };
      }
      if (q.type === "value_count" && !q.valueField) return { error: "a value_count correlation needs the field whose values it counts" };
      const notes: { severity: "info" | "warning"; code: string; message: string }[] = [];
      let schedule = rule.schedule;
      if (q.timespan) {
        schedule = { ...schedule, from: `now-${formatDuration(q.timespan)}`, to: "now" };
        notes.push({
          severity: "info",
          code: "elastic/threshold-window",
          message: `the threshold counts over each run's look-back (${schedule.from}), which is the correlation's timespan; runs every ${formatDuration(schedule.interval)}`,
        });
        if (durationMs(schedule.interval) > durationMs(q.timespan)) {
          notes.push({ severity: "warning", code: "elastic/threshold-gaps", message: "the rule runs less often than its timespan: events between windows are never counted" });
        }
      }
      // A threshold groups every event by the same fields: an alias must name one field for all rules.
      const t = countThreshold(q);
      if (!t) {
        const perRule = q.groupBy.map((g) => q.rules.map((r) => r.aliases?.[g] ?? g));
        const split = perRule.findIndex((fields) => fields.some((f) => f !== fields[0]));
        return { error: `Kibana thresholds group every event by the same field, but \`${q.groupBy[split]}\` is ${[...new Set(perRule[split])].map((f) => `\`${f}\``).join(" or ")} depending on the rule` };
      }
      const threshold: KibanaThreshold = {
        field: t.groupBy,
        value: t.events,
        ...(t.distinct ? { cardinality: [{ field: t.distinct.field, value: t.distinct.count }] } : {}),
      };
      // Threshold rules take KQL or Lucene only, whatever --elastic-language says (Lucene only as kept text).
      const language = rule.language === "lucene" ? "lucene" : "kuery";
      return { rule: { ...rule, type: "threshold", language, query: countedEvents(q), schedule }, notes, threshold };
    }
  }
}
