/**
 * A Kibana rule object (the create-API body; the `[rule]` table of a detection-rules TOML file has
 * the same keys) → the rule IR. Shared by the TOML, ndjson and JSON readers, which differ only in
 * how they find the object, its positions and the extra data they carry (TOML `[metadata]`,
 * rulecast's own `meta`). Keys with no Rule field go to `custom` under their own names, in order.
 */
import { readKibanaSideFilters } from "./kibana-filters.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { thresholdCorrelation, type CountThreshold } from "../../ir/count-threshold.js";
import { checkLookback, readDuration } from "../../ir/duration.js";
import { idControlChar } from "../../ir/ids.js";
import { readNewTerms } from "./kibana-new-terms.js";
import type { AttackRef, QueryLanguage, Rule, RuleSource, RuleType, Severity, Threat } from "../../ir/rule.js";
import type { Query } from "../../ir/query.js";
import { parseQuery } from "../../query/parse-query.js";
import { assignOwn, setOwn } from "../own-property.js";

export interface LineCol {
  readonly line: number;
  readonly col: number;
}

/** Positions of the rule object's parts in its file, as the format can tell them. */
export interface RuleLocator {
  readonly file: string;
  readonly format: RuleSource["format"];
  /** 1-based line where the rule starts. */
  readonly line: number;
  /** Where a top-level key is (the rule's own line when unknown). */
  keyAt(key: string): LineCol;
  /** Where character `offset` of a string value is (the key when unknown). */
  valueAt(key: string, offset: number): LineCol;
}

/** What a reader adds besides the Kibana keys. */
export interface RuleExtras {
  /** Version when the object has none (TOML never does). */
  readonly defaultVersion: number;
  /** Rule fields the format carries elsewhere (TOML dates, rulecast `meta`). */
  readonly fields: Partial<Pick<Rule, "added" | "lastModified" | "history" | "status" | "date" | "modified" | "logsource" | "severity">>;
  /** Custom entries placed before the unknown Kibana keys. */
  readonly customBefore: Readonly<Record<string, unknown>>;
  /** Custom entries placed after them. */
  readonly customAfter: Readonly<Record<string, unknown>>;
}

export const NO_EXTRAS: RuleExtras = { defaultVersion: 1, fields: {}, customBefore: {}, customAfter: {} };

export interface MapResult {
  readonly rule?: Rule;
  readonly diagnostics: Diagnostic[];
}

const RULE_TYPES: readonly RuleType[] = ["query", "eql", "threshold", "esql", "new_terms", "threat_match", "machine_learning", "saved_query"];
const LANGUAGES: readonly QueryLanguage[] = ["kuery", "eql", "lucene", "esql"];
const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/** Kibana's language when a rule gives none: per type (machine_learning rules have no query). */
const DEFAULT_LANGUAGE: Readonly<Record<RuleType, QueryLanguage>> = {
  query: "kuery",
  saved_query: "kuery",
  threshold: "kuery",
  new_terms: "kuery",
  threat_match: "kuery",
  machine_learning: "kuery",
  eql: "eql",
  esql: "esql",
};

/** Keys that become Rule fields; every other key is kept in `custom`. */
const MAPPED_KEYS = new Set([
  "rule_id", "name", "description", "type", "language", "query", "index", "severity", "risk_score", "interval", "from", "to",
  "max_signals", "enabled", "tags", "version", "author", "license", "false_positives", "references", "note", "setup",
  "threshold", "threat",
]);

/** Maps one Kibana rule object; a rule with any error is not returned. */
export function kibanaRuleToIr(raw: Readonly<Record<string, unknown>>, loc: RuleLocator, extras: RuleExtras = NO_EXTRAS): MapResult {
  const diagnostics: Diagnostic[] = [];
  const ruleIdText = typeof raw["rule_id"] === "string" && raw["rule_id"] !== "" ? raw["rule_id"] : undefined;
  const idBad = ruleIdText !== undefined ? idControlChar(ruleIdText) : undefined;
  const ruleId = idBad ? undefined : ruleIdText;
  const fail = (key: string, code: string, message: string, hint?: string) => {
    diagnostics.push({ severity: "error", code, message, file: loc.file, ...loc.keyAt(key), ...(ruleId ? { ruleId } : {}), ...(hint ? { hint } : {}) });
  };
  const missing = (key: string) =>
    diagnostics.push({ severity: "error", code: "elastic/missing-field", message: `required field \`${key}\` is missing`, file: loc.file, line: loc.line, col: 1, ...(ruleId ? { ruleId } : {}) });
  const invalid = (key: string, what: string) => fail(key, "elastic/invalid-value", `\`${key}\` must be ${what}`);

  const str = (key: string, required: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined) {
      if (required) missing(key);
      return undefined;
    }
    if (typeof v !== "string" || (required && v === "")) return void invalid(key, required ? "a non-empty string" : "a string");
    return v;
  };
  const strList = (key: string): string[] => {
    const v = raw[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return invalid(key, "a list of strings"), [];
    return v as string[];
  };
  const int = (key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) return void invalid(key, `an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}`);
    return v;
  };

  if (idBad) fail("rule_id", "elastic/invalid-id", `\`rule_id\` holds the control character ${idBad.codePoint} (character ${idBad.index + 1})`, "ids are one line of printable text");
  else if (!ruleId) (raw["rule_id"] === undefined ? missing("rule_id") : invalid("rule_id", "a non-empty string"));
  const name = str("name", true);
  const description = str("description", true);
  const typeText = str("type", true);
  const type = RULE_TYPES.find((t) => t === typeText);
  if (typeText !== undefined && !type) {
    fail("type", "elastic/unknown-rule-type", `rule type \`${typeText}\` is not known`, `known types: ${RULE_TYPES.join(", ")}`);
  }
  const languageText = str("language", false);
  const language = languageText === undefined ? (type ? DEFAULT_LANGUAGE[type] : undefined) : LANGUAGES.find((l) => l === languageText);
  if (languageText !== undefined && !language) invalid("language", `one of ${LANGUAGES.join(", ")}`);

  const severityText = str("severity", true);
  const severity = extras.fields.severity ?? SEVERITIES.find((s) => s === severityText);
  if (severityText !== undefined && !SEVERITIES.some((s) => s === severityText)) invalid("severity", `one of ${SEVERITIES.join(", ")}`);
  const riskScore = int("risk_score", 0, 100);
  if (raw["risk_score"] === undefined) missing("risk_score");

  const intervalText = str("interval", false);
  const intervalRead = readDuration(intervalText ?? "5m");
  const interval = intervalRead.ok ? intervalRead.duration : undefined;
  if (intervalText !== undefined && !intervalRead.ok) fail("interval", "elastic/invalid-value", `\`interval\` must be a duration such as \`5m\`: ${intervalRead.problem}`);
  const from = str("from", false) ?? "now-6m";
  const lookbackProblem = checkLookback(from);
  if (lookbackProblem) fail("from", "elastic/invalid-value", `\`from\` must look back a duration such as \`now-6m\`: ${lookbackProblem}`);
  const to = str("to", false) ?? "now";
  const maxSignals = int("max_signals", 1) ?? 100;
  const enabledRaw = raw["enabled"];
  if (enabledRaw !== undefined && typeof enabledRaw !== "boolean") invalid("enabled", "true or false");
  const version = int("version", 1) ?? extras.defaultVersion;
  const license = str("license", false);
  const note = str("note", false);
  const setup = str("setup", false);
  const index = strList("index");
  const tags = strList("tags");
  const authors = strList("author");
  const falsePositives = strList("false_positives");
  const references = strList("references");
  const threat = readThreat(raw["threat"], () => invalid("threat", "a list of {framework, tactic, technique} entries"));
  const threshold =
    raw["threshold"] === undefined
      ? undefined
      : readThreshold(
          raw["threshold"],
          () => invalid("threshold", "{field, value, cardinality}"),
          (n) => fail("threshold", "elastic/threshold-cardinality", `the threshold counts distinct values of ${n} fields; Kibana counts the first only, and rulecast does not guess which was meant`, "keep one `cardinality` entry"),
        );
  if (type === "threshold" && raw["threshold"] === undefined) missing("threshold");

  const queryRaw = raw["query"];
  if (queryRaw !== undefined && typeof queryRaw !== "string") invalid("query", "a string");
  const queryText = typeof queryRaw === "string" ? queryRaw : "";
  let query: Query | undefined;
  if (type === "machine_learning") {
    // No query: an anomaly job decides. Opaque, so that every target refuses it by name.
    query = { kind: "opaque", language: "machine_learning", text: queryText };
  } else if (language) {
    const parsed = parseQuery(language, queryText);
    if (parsed.ok) query = parsed.value;
    else {
      diagnostics.push({
        severity: "error",
        code: parsed.error.code,
        message: parsed.error.message,
        file: loc.file,
        ...loc.valueAt("query", parsed.error.offset),
        ...(ruleId ? { ruleId } : {}),
        ...(parsed.error.hint ? { hint: parsed.error.hint } : {}),
      });
    }
  }

  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  if (!ruleId || name === undefined || description === undefined || !type || !language || !severity || riskScore === undefined || !interval || !query || !threat) {
    return { diagnostics }; // every missing piece was reported above
  }

  const custom: Record<string, unknown> = { ...extras.customBefore };
  for (const [k, v] of Object.entries(raw)) if (!MAPPED_KEYS.has(k)) setOwn(custom, k, v);
  assignOwn(custom, extras.customAfter);

  const queryAt = loc.valueAt("query", 0);
  const f = extras.fields;
  // Kept verbatim in `custom` for Kibana; read as a query for the targets that have no filters.
  const sideFilters = readKibanaSideFilters(raw["filters"], raw["exceptions_list"]);
  const newTerms = readNewTerms(type, raw["new_terms_fields"], raw["history_window_start"]);
  const rule: Rule = {
    id: ruleId,
    name,
    description,
    type,
    language,
    taxonomy: "ecs",
    index,
    severity,
    riskScore,
    schedule: { interval, from, to },
    maxSignals,
    // Kibana's server default: a rule imported without `enabled` is installed disabled.
    enabled: enabledRaw === true,
    // Kibana always decides: a rule without `enabled` is installed disabled, and says so.
    enabledByRule: enabledRaw === true,
    tags,
    version,
    authors,
    falsePositives,
    references,
    queryText,
    // A threshold is a count correlation over the rule's events (ir/count-threshold.ts).
    query: threshold ? thresholdCorrelation(name, query, threshold) : query,
    threat,
    history: f.history ?? [],
    custom,
    source: { file: loc.file, format: loc.format, line: loc.line, queryLine: queryAt.line, queryCol: queryAt.col, ...esqlQueryLines(language, queryText, loc) },
    ...(license !== undefined ? { license } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(setup !== undefined ? { setup } : {}),
    ...(sideFilters ? { sideFilters } : {}),
    ...(newTerms ? { newTerms } : {}),
    ...(f.added !== undefined ? { added: f.added } : {}),
    ...(f.lastModified !== undefined ? { lastModified: f.lastModified } : {}),
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.date !== undefined ? { date: f.date } : {}),
    ...(f.modified !== undefined ? { modified: f.modified } : {}),
    ...(f.logsource !== undefined ? { logsource: f.logsource } : {}),
  };
  return { rule, diagnostics };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function readRef(v: unknown): AttackRef | undefined {
  if (!isObject(v) || typeof v["id"] !== "string" || typeof v["name"] !== "string") return undefined;
  if (v["reference"] !== undefined && typeof v["reference"] !== "string") return undefined;
  return { id: v["id"], name: v["name"], ...(typeof v["reference"] === "string" && v["reference"] !== "" ? { reference: v["reference"] } : {}) };
}

/** Kibana `threat` (singular `technique` / `subtechnique`) → IR threats; undefined when malformed. */
function readThreat(v: unknown, bad: () => void): Threat[] | undefined {
  if (v === undefined) return [];
  const out: Threat[] = [];
  if (!Array.isArray(v)) return bad(), undefined;
  for (const t of v) {
    const tactic = isObject(t) ? readRef(t["tactic"]) : undefined;
    const techs = isObject(t) ? (t["technique"] ?? []) : undefined;
    if (!isObject(t) || !tactic || !Array.isArray(techs) || (t["framework"] !== undefined && typeof t["framework"] !== "string")) return bad(), undefined;
    const techniques = [];
    for (const x of techs) {
      const ref = readRef(x);
      const subs = isObject(x) ? (x["subtechnique"] ?? []) : undefined;
      if (!ref || !Array.isArray(subs)) return bad(), undefined;
      const subtechniques = subs.map(readRef);
      if (subtechniques.some((s) => !s)) return bad(), undefined;
      techniques.push({ ...ref, subtechniques: subtechniques as AttackRef[] });
    }
    out.push({ framework: typeof t["framework"] === "string" ? t["framework"] : "MITRE ATT&CK", tactic, techniques });
  }
  return out;
}

/**
 * `field` may be one string or a list (Kibana stores a list); `cardinality` is optional, and Kibana
 * reads its first entry only (the threshold executor's `cardinality[0]`).
 */
function readThreshold(v: unknown, bad: () => void, tooMany: (n: number) => void): CountThreshold | undefined {
  if (!isObject(v)) return bad(), undefined;
  const field = typeof v["field"] === "string" ? (v["field"] === "" ? [] : [v["field"]]) : v["field"];
  const value = v["value"];
  const card = v["cardinality"] ?? [];
  if (!Array.isArray(field) || !field.every((f) => typeof f === "string") || typeof value !== "number" || !Number.isInteger(value) || !Array.isArray(card)) {
    return bad(), undefined;
  }
  for (const c of card) if (!isObject(c) || typeof c["field"] !== "string" || typeof c["value"] !== "number") return bad(), undefined;
  if (card.length > 1) return tooMany(card.length), undefined;
  const first = card[0] as { field: string; value: number } | undefined;
  return { groupBy: field as string[], events: value, ...(first ? { distinct: { field: first.field, count: first.value } } : {}) };
}

/**
 * Where each line of an ES|QL query starts in the file, so that a refusal found when a target reads
 * the query (GROK at query offset 1238) points at its own line. Only ES|QL is read after loading.
 */
function esqlQueryLines(language: string | undefined, queryText: string, loc: RuleLocator): { queryLines?: { offset: number; line: number; col: number }[] } {
  if (language !== "esql") return {};
  const queryLines: { offset: number; line: number; col: number }[] = [];
  for (let offset = 0; offset !== -1 && offset <= queryText.length; ) {
    queryLines.push({ offset, ...loc.valueAt("query", offset) });
    const nl = queryText.indexOf("\n", offset);
    offset = nl === -1 ? -1 : nl + 1;
  }
  return { queryLines };
}
