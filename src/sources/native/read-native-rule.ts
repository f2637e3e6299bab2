/**
 * Reads a rulecast rule file (YAML, one rule per file; schema/rule.schema.json) into the IR.
 * Every problem is a diagnostic with file, line and column; a rule with an error is not returned.
 */
import { isMap, isScalar, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { lineColAt, lineStarts } from "../../diagnostics/source-text.js";
import { readKibanaSideFilters } from "../elastic/kibana-filters.js";
import { readNewTerms } from "../elastic/kibana-new-terms.js";
import { thresholdCorrelation, type CountThreshold } from "../../ir/count-threshold.js";
import { checkLookback, readDuration } from "../../ir/duration.js";
import { idControlChar } from "../../ir/ids.js";
import type { Logsource } from "../../ir/query.js";
import type { HistoryEntry, QueryLanguage, Rule, RuleType, Samples, Severity, Threat } from "../../ir/rule.js";
import { parseQuery } from "../../query/parse-query.js";
import { nodeAt, offsetOf, scalarOffsetMapper, scalarPieces } from "../yaml/yaml-positions.js";
import { ruleValidator, schemaProblems } from "./rule-schema.js";
import { firstAliasAt, isYamlStackOverflow, moreYamlErrorsMessage, NESTING_MESSAGE, SHOWN_YAML_ERRORS, yamlTooDeepAt } from "../data-nesting.js";
import { unpairedSurrogateDiagnostic, yamlUnpairedSurrogateAt } from "../unpaired-surrogates.js";

export interface ReadResult {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
}

/** Limits that keep a hostile file from exhausting memory (alias bombs). */
const YAML_OPTIONS = { uniqueKeys: true, maxAliasCount: 100, prettyErrors: false } as const;

/** Languages each rule type accepts, as Kibana validates them. */
const LANGUAGES_FOR_TYPE: Readonly<Record<RuleType, readonly QueryLanguage[]>> = {
  query: ["kuery", "lucene"],
  saved_query: ["kuery", "lucene"],
  threshold: ["kuery", "lucene"],
  new_terms: ["kuery", "lucene"],
  threat_match: ["kuery", "lucene"],
  // No query; Kibana's reader says kuery for it, and so does the rule file when it says nothing.
  machine_learning: ["kuery"],
  eql: ["eql"],
  esql: ["esql"],
};

/**
 * Kibana keys a rule type cannot run without, which the rule file keeps under `custom:` (as
 * import writes them): a missing one would make a rule Kibana refuses.
 */
const CUSTOM_KEYS_FOR_TYPE: Readonly<Partial<Record<RuleType, readonly string[]>>> = {
  machine_learning: ["machine_learning_job_id", "anomaly_threshold"],
  threat_match: ["threat_index", "threat_query", "threat_mapping"],
};

type Raw = {
  rule_id: string;
  name: string;
  description: string;
  type: RuleType;
  language?: QueryLanguage;
  index?: string[];
  severity: Severity;
  risk_score: number;
  interval?: string;
  from?: string;
  to?: string;
  max_signals?: number;
  enabled?: boolean;
  tags?: string[];
  version?: number;
  author?: string[];
  license?: string;
  false_positives?: string[];
  references?: string[];
  note?: string;
  setup?: string;
  added?: string;
  last_modified?: string;
  status?: Rule["status"];
  date?: string;
  modified?: string;
  threat?: {
    framework?: string;
    tactic: { id: string; name: string; reference?: string };
    techniques?: { id: string; name: string; reference?: string; subtechniques?: { id: string; name: string; reference?: string }[] }[];
  }[];
  threshold?: { field: string[]; value: number; cardinality?: { field: string; value: number }[] };
  history?: { version: number; release?: string; changes?: string[]; previous_query?: string }[];
  query?: string;
  samples?: { match?: Record<string, unknown>[]; no_match?: Record<string, unknown>[] };
  custom?: Record<string, unknown>;
};

export function readNativeRuleFile(file: string, text: string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const starts = lineStarts(text);
  const at = (offset: number) => lineColAt(text, offset, starts);
  const doc = parseDocument(text, YAML_OPTIONS);

  let shown = 0;
  for (const e of doc.errors) {
    const deep = isYamlStackOverflow(e.message);
    if (!deep && shown === SHOWN_YAML_ERRORS) continue; // counted in one line below
    shown++;
    const { line, col } = at(e.pos[0]);
    diagnostics.push({
      severity: "error",
      code: e.code === "DUPLICATE_KEY" ? "rule/duplicate-key" : deep ? "rule/nesting-too-deep" : "rule/yaml-syntax",
      message: deep ? NESTING_MESSAGE : firstLine(e.message),
      file,
      line,
      col,
      hint: e.code === "DUPLICATE_KEY" ? "remove one of the two keys" : deep ? "flatten the data" : "fix the YAML syntax",
    });
    if (deep) break; // the library reports the overflow once per enclosing level
  }
  const more = doc.errors.some((e) => isYamlStackOverflow(e.message)) ? 0 : doc.errors.length - shown;
  if (more > 0) {
    const { line, col } = at(doc.errors[shown]!.pos[0]);
    diagnostics.push({ severity: "error", code: "rule/yaml-syntax", message: moreYamlErrorsMessage(more), file, line, col, hint: "fix the first errors: the later ones often follow from them" });
  }
  if (diagnostics.length > 0) return { rules: [], diagnostics };
  const tooDeep = yamlTooDeepAt(doc);
  if (tooDeep !== undefined) {
    return { rules: [], diagnostics: [{ severity: "error", code: "rule/nesting-too-deep", message: NESTING_MESSAGE, file, ...at(tooDeep), hint: "flatten the data" }] };
  }
  const unpaired = yamlUnpairedSurrogateAt(doc, text);
  if (unpaired !== undefined) return { rules: [], diagnostics: [unpairedSurrogateDiagnostic(file, at(unpaired))] };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch {
    // The yaml library refuses to expand aliases past maxAliasCount (a "billion laughs" file).
    const where = at(firstAliasAt(doc));
    return {
      rules: [],
      diagnostics: [{ severity: "error", code: "rule/too-many-aliases", message: "YAML aliases expand too far (more than 100 expansions): refusing an alias bomb", file, ...where, hint: "write the values out instead of repeating aliases" }],
    };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      rules: [],
      diagnostics: [{ severity: "error", code: "rule/not-a-map", message: "a rule file holds one YAML map", file, line: 1, col: 1 }],
    };
  }
  const ruleIdText = typeof (raw as { rule_id?: unknown }).rule_id === "string" ? (raw as { rule_id: string }).rule_id : undefined;
  const idBad = ruleIdText !== undefined ? idControlChar(ruleIdText) : undefined;
  const ruleId = idBad ? undefined : ruleIdText;
  const diag = (path: (string | number)[], atKey: boolean, d: Omit<Diagnostic, "file" | "line" | "col" | "ruleId">) => {
    const { line, col } = at(offsetOf(doc, path, atKey));
    diagnostics.push({ ...d, file, line, col, ...(ruleId ? { ruleId } : {}) });
  };

  const badNumber = inexactNumberPath(raw);
  if (badNumber) {
    diag(badNumber, false, {
      severity: "error",
      code: "rule/invalid-value",
      message: "a number here is infinite or too large to keep exactly (over 2^53)",
      hint: "write a smaller number, or quote it to keep it as text",
    });
    return { rules: [], diagnostics };
  }

  if (idBad) {
    diag(["rule_id"], false, {
      severity: "error",
      code: "rule/invalid-id",
      message: `\`rule_id\` holds the control character ${idBad.codePoint} (character ${idBad.index + 1})`,
      hint: "ids are one line of printable text",
    });
  }

  const validate = ruleValidator();
  if (!validate(raw)) {
    for (const p of schemaProblems(validate.errors ?? [])) {
      diag(p.path, p.atKey, { severity: "error", code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
    }
    return { rules: [], diagnostics };
  }
  const r = raw as Raw;
  // The schema requires both for every type but machine_learning, which runs an anomaly job.
  const language: QueryLanguage = r.language ?? "kuery";
  const queryText = r.query ?? "";

  const languages = LANGUAGES_FOR_TYPE[r.type] ?? [];
  if (!languages.includes(language)) {
    diag(["language"], false, {
      severity: "error",
      code: "rule/language-mismatch",
      message: `a \`${r.type}\` rule cannot use language \`${language}\``,
      hint: `use ${languages.map((l) => `\`${l}\``).join(" or ")}`,
    });
  }
  for (const key of CUSTOM_KEYS_FOR_TYPE[r.type] ?? []) {
    if (r.custom?.[key] === undefined) {
      diag(["type"], false, { severity: "error", code: "rule/missing-field", message: `a ${r.type} rule needs \`${key}\` under \`custom:\``, hint: `add \`custom: { ${key}: … }\` as Kibana names it` });
    }
  }
  if (r.type === "machine_learning" && queryText !== "") {
    diag(["query"], false, { severity: "error", code: "rule/invalid-value", message: "a machine_learning rule has no query: its anomaly job decides" });
  }
  if (r.type === "threshold" && !r.threshold) {
    diag(["type"], false, { severity: "error", code: "rule/missing-field", message: "a threshold rule needs `threshold`" });
  }
  const cardinality = r.threshold?.cardinality ?? [];
  if (cardinality.length > 1) {
    diag(["threshold", "cardinality"], false, {
      severity: "error",
      code: "rule/threshold-cardinality",
      message: `the threshold counts distinct values of ${cardinality.length} fields; Kibana counts the first only, and rulecast does not guess which was meant`,
      hint: "keep one `cardinality` entry",
    });
  }

  // No query: an anomaly job decides. Opaque, so that every target but Elastic refuses it by name.
  const parsed: ReturnType<typeof parseQuery> =
    r.type === "machine_learning" ? { ok: true, value: { kind: "opaque", language: "machine_learning", text: queryText } } : parseQuery(language, queryText);
  if (!parsed.ok) {
    const toFile = scalarOffsetMapper(text, nodeAt(doc, ["query"]).node);
    const { line, col } = at(toFile(parsed.error.offset));
    diagnostics.push({
      severity: "error",
      code: parsed.error.code,
      message: parsed.error.message,
      file,
      line,
      col,
      ...(ruleId ? { ruleId } : {}),
      ...(parsed.error.hint ? { hint: parsed.error.hint } : {}),
    });
  }
  if (diagnostics.some((d) => d.severity === "error") || !parsed.ok) return { rules: [], diagnostics };

  // The schema pattern checks the form; the size (20 digits, a decade) is checked here.
  const interval = readDuration(r.interval ?? "5m");
  if (!interval.ok) diag(["interval"], false, { severity: "error", code: "rule/invalid-value", message: `\`interval\`: ${interval.problem}`, hint: "a rule runs every few minutes to hours: 5m, 1h" });
  const lookbackProblem = checkLookback(r.from ?? "now-6m");
  if (lookbackProblem) diag(["from"], false, { severity: "error", code: "rule/invalid-value", message: `\`from\`: ${lookbackProblem}`, hint: "look back the interval plus a little: now-6m for 5m" });
  if (!interval.ok || lookbackProblem) return { rules: [], diagnostics };
  const rule: Rule = {
    id: r.rule_id,
    name: r.name,
    description: r.description,
    type: r.type,
    language,
    taxonomy: "ecs",
    index: r.index ?? [],
    severity: r.severity,
    riskScore: r.risk_score,
    schedule: { interval: interval.duration, from: r.from ?? "now-6m", to: r.to ?? "now" },
    maxSignals: r.max_signals ?? 100,
    enabled: r.enabled ?? true,
    ...(r.enabled !== undefined ? { enabledByRule: r.enabled } : {}),
    tags: r.tags ?? [],
    version: r.version ?? 1,
    authors: r.author ?? [],
    falsePositives: r.false_positives ?? [],
    references: r.references ?? [],
    queryText,
    // A threshold is a count correlation over the rule's events (ir/count-threshold.ts).
    query: r.threshold ? thresholdCorrelation(r.name, parsed.value, thresholdOf(r.threshold)) : parsed.value,
    threat: (r.threat ?? []).map(toThreat),
    history: (r.history ?? []).map(toHistory),
    ...customAndLogsource(r.custom ?? {}),
    // Kibana filters travel in custom (the writer puts them there); read them as Elastic's reader does.
    ...sideFiltersOf(r.custom ?? {}),
    ...newTermsOf(r.type, r.custom ?? {}),
    source: { file, format: "native", line: 1, ...queryPosition(text, doc, at), keys: keyPlaces(doc, at) },
    ...(r.license !== undefined ? { license: r.license } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
    ...(r.setup !== undefined ? { setup: r.setup } : {}),
    ...(r.added !== undefined ? { added: r.added } : {}),
    ...(r.last_modified !== undefined ? { lastModified: r.last_modified } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.date !== undefined ? { date: r.date } : {}),
    ...(r.modified !== undefined ? { modified: r.modified } : {}),
    ...(r.samples ? { samples: toSamples(r.samples) } : {}),
  };
  return { rules: [rule], diagnostics };
}

function thresholdOf(t: NonNullable<Raw["threshold"]>): CountThreshold {
  const card = t.cardinality?.[0];
  return { groupBy: t.field, events: t.value, ...(card ? { distinct: { field: card.field, count: card.value } } : {}) };
}

function toThreat(t: NonNullable<Raw["threat"]>[number]): Threat {
  return {
    framework: t.framework ?? "MITRE ATT&CK",
    tactic: { ...t.tactic },
    techniques: (t.techniques ?? []).map((tech) => ({
      id: tech.id,
      name: tech.name,
      ...(tech.reference ? { reference: tech.reference } : {}),
      subtechniques: (tech.subtechniques ?? []).map((s) => ({ ...s })),
    })),
  };
}

/**
 * The writer keeps a rule's Sigma log source in `custom.logsource` (the schema has no key for it):
 * its category/product/service/definition strings are the log source again; other keys stay in custom.
 */
function customAndLogsource(custom: Record<string, unknown>): { custom: Record<string, unknown>; logsource?: Logsource } {
  const ls = custom["logsource"];
  if (ls === null || typeof ls !== "object" || Array.isArray(ls)) return { custom };
  const logsource: { -readonly [K in keyof Logsource]?: string } = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ls as Record<string, unknown>)) {
    if ((k === "category" || k === "product" || k === "service" || k === "definition") && typeof v === "string") logsource[k] = v;
    else rest[k] = v;
  }
  if (Object.keys(logsource).length === 0) return { custom };
  const { logsource: _taken, ...others } = custom;
  return { custom: Object.keys(rest).length > 0 ? { ...others, logsource: rest } : others, logsource };
}

/** A new-terms rule's settings travel in custom too (as import writes them). */
function newTermsOf(type: RuleType, custom: Record<string, unknown>): { newTerms?: NonNullable<Rule["newTerms"]> } {
  const nt = readNewTerms(type, custom["new_terms_fields"], custom["history_window_start"]);
  return nt ? { newTerms: nt } : {};
}

function sideFiltersOf(custom: Record<string, unknown>): { sideFilters?: NonNullable<Rule["sideFilters"]> } {
  const f = readKibanaSideFilters(custom["filters"], custom["exceptions_list"]);
  return f ? { sideFilters: f } : {};
}

function toHistory(h: NonNullable<Raw["history"]>[number]): HistoryEntry {
  return {
    version: h.version,
    changes: h.changes ?? [],
    ...(h.release !== undefined ? { release: h.release } : {}),
    ...(h.previous_query !== undefined ? { previousQuery: h.previous_query } : {}),
  };
}

function toSamples(s: NonNullable<Raw["samples"]>): Samples {
  return { match: s.match ?? [], noMatch: s.no_match ?? [] };
}

/**
 * Where the query starts in the file, and where each of its pieces on another file line starts
 * (`queryLines`), so that a problem found later at a query offset (a field) points into the file.
 */
function queryPosition(text: string, doc: ReturnType<typeof parseDocument>, at: (o: number) => { line: number; col: number }) {
  const node = nodeAt(doc, ["query"]).node;
  const { line, col } = at(scalarOffsetMapper(text, node)(0));
  const queryLines = scalarPieces(text, node).map((p) => ({ offset: p.valueOffset, ...at(p.fileOffset) }));
  return { queryLine: line, queryCol: col, queryLines };
}

/** Where `name:` and the log source (`custom:` → `logsource:`) are, for findings about them. */
function keyPlaces(doc: ReturnType<typeof parseDocument>, at: (o: number) => { line: number; col: number }): NonNullable<Rule["source"]["keys"]> {
  const keyAt = (path: readonly string[]) => {
    let node: unknown = doc.contents;
    let key: Node | null = null;
    for (const seg of path) {
      const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg) : undefined;
      if (!pair) return undefined;
      key = pair.key as Node;
      node = pair.value;
    }
    return key?.range ? at(key.range[0]) : undefined;
  };
  const name = keyAt(["name"]);
  const logsource = keyAt(["custom", "logsource"]);
  return { ...(name ? { name } : {}), ...(logsource ? { logsource } : {}) };
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/**
 * Path of the first number JSON cannot carry exactly (`.inf`, `1e400`, integers past 2^53): the
 * schema's `integer` accepts Infinity, and outputs would print `null` or a different number.
 */
function inexactNumberPath(root: unknown): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "number" && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}
