/**
 * Reads Kibana rules as JSON: an export (`.ndjson`, one object a line) or one create-API body
 * (`.json`, also what rulecast writes under out/elastic/, whose `meta` carries releases, history
 * and custom data back).
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { lineColAt, lineStarts } from "../../diagnostics/source-text.js";
import type { HistoryEntry, Logsource, Rule, RuleSource, SigmaStatus } from "../../ir/rule.js";
import { jsonStringMapper, topLevelKeyPositions } from "./json-positions.js";
import { kibanaRuleToIr, type RuleExtras, type RuleLocator } from "./kibana-rule.js";
import type { ElasticReadResult } from "./read-result.js";
import { setOwn } from "../own-property.js";
import { jsonTooDeepAt, NESTING_MESSAGE } from "../data-nesting.js";
import { unpairedEscapeAt, unpairedSurrogateDiagnostic } from "../unpaired-surrogates.js";

/**
 * Keys Kibana adds in responses and exports; its import ignores them, and so does rulecast: they
 * describe one saved object in one space (`id`, `revision`, audit stamps, execution state,
 * prebuilt-rule bookkeeping), not the rule.
 */
const RESPONSE_ONLY_KEYS = new Set([
  "id",
  "created_at",
  "created_by",
  "updated_at",
  "updated_by",
  "revision",
  "immutable",
  "rule_source",
  "execution_summary",
]);

/** Kibana export (`rules_export.ndjson`): rules, exception lists, connectors and a summary line. */
export function readKibanaNdjson(file: string, text: string): ElasticReadResult {
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line.trim() === "") continue;
    const r = readObjectText(file, line, "elastic-ndjson", i + 1);
    rules.push(...r.rules);
    diagnostics.push(...r.diagnostics);
  }
  return { rules, diagnostics };
}

/** One rule as a JSON document (create-API body, or rulecast's own Elastic output). */
export function readElasticJson(file: string, text: string): ElasticReadResult {
  return readObjectText(file, text, "elastic-json", 1);
}

/** Reads one JSON text starting at `firstLine` of the file (ndjson: the line itself). */
function readObjectText(file: string, text: string, format: RuleSource["format"], firstLine: number): ElasticReadResult {
  const tooDeep = jsonTooDeepAt(text);
  if (tooDeep !== undefined) {
    const at = lineColAt(text, tooDeep);
    return {
      rules: [],
      diagnostics: [{ severity: "error", code: "elastic/nesting-too-deep", message: NESTING_MESSAGE, file, line: firstLine + at.line - 1, col: at.col, hint: "flatten the data" }],
    };
  }
  const unpaired = unpairedEscapeAt(text);
  if (unpaired !== undefined) {
    const at = lineColAt(text, unpaired);
    return { rules: [], diagnostics: [unpairedSurrogateDiagnostic(file, { line: firstLine + at.line - 1, col: at.col })] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const at = pos ? lineColAt(text, Number(pos[1])) : { line: 1, col: 1 };
    return {
      rules: [],
      diagnostics: [{ severity: "error", code: "elastic/json-syntax", message: `not JSON: ${message}`, file, line: firstLine + at.line - 1, col: at.col }],
    };
  }
  if (!isObject(value)) {
    return { rules: [], diagnostics: [{ severity: "error", code: "elastic/not-a-rule", message: "expected a JSON object (one rule)", file, line: firstLine, col: 1 }] };
  }
  // Classified as Kibana's import does, by keys, whatever their order.
  if ("exported_count" in value) return { rules: [], diagnostics: [] };
  const skipped = "list_id" in value || "item_id" in value || "entries" in value ? "exception list" : "attributes" in value ? "action connector" : undefined;
  if (skipped) {
    return { rules: [], diagnostics: [{ severity: "info", code: "elastic/skipped", message: `skipped: ${skipped}, not a rule`, file, line: firstLine, col: 1 }] };
  }
  if (!("rule_id" in value) && !("type" in value && "name" in value)) {
    return { rules: [], diagnostics: [{ severity: "error", code: "elastic/not-a-rule", message: "not a rule: no `rule_id`, `type` or `name`", file, line: firstLine, col: 1 }] };
  }

  const starts = lineStarts(text);
  const keys = topLevelKeyPositions(text);
  const toFile = (offset: number) => {
    const lc = lineColAt(text, offset, starts);
    return { line: firstLine + lc.line - 1, col: lc.col };
  };
  const loc: RuleLocator = {
    file,
    format,
    line: firstLine,
    keyAt: (key) => {
      const p = keys.get(key);
      return p ? toFile(p.keyOffset) : { line: firstLine, col: 1 };
    },
    valueAt: (key, offset) => {
      const p = keys.get(key);
      if (!p) return { line: firstLine, col: 1 };
      return toFile(text[p.valueOffset] === '"' ? jsonStringMapper(text, p.valueOffset)(offset) : p.valueOffset);
    },
  };

  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!RESPONSE_ONLY_KEYS.has(k) && k !== "meta") setOwn(raw, k, v);
  const mapped = kibanaRuleToIr(raw, loc, metaExtras(value["meta"]));
  return { rules: mapped.rule ? [mapped.rule] : [], diagnostics: mapped.diagnostics };
}

/**
 * rulecast's Elastic target keeps what Kibana has no field for in `meta` (`source: "rulecast"`);
 * read it back. Any other `meta`, or one that does not have that shape, is kept as `custom.meta`.
 */
function metaExtras(meta: unknown): RuleExtras {
  const base: RuleExtras = { defaultVersion: 1, fields: {}, customBefore: {}, customAfter: {} };
  if (meta === undefined) return base;
  const keepAll: RuleExtras = { ...base, customAfter: { meta } };
  if (!isObject(meta) || meta["source"] !== "rulecast") return keepAll;
  const fields: { -readonly [K in keyof RuleExtras["fields"]]: RuleExtras["fields"][K] } = {};
  const rest: Record<string, unknown> = {};
  let custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    switch (k) {
      case "source":
        break;
      case "added":
      case "last_modified":
      case "date":
      case "modified":
        if (typeof v !== "string") return keepAll;
        fields[k === "last_modified" ? "lastModified" : k] = v;
        break;
      case "status":
        if (!STATUSES.includes(v as SigmaStatus)) return keepAll;
        fields.status = v as SigmaStatus;
        break;
      case "severity":
        if (v !== "informational") return keepAll;
        fields.severity = "informational";
        break;
      case "logsource":
        if (!isObject(v) || !Object.values(v).every((x) => typeof x === "string")) return keepAll;
        fields.logsource = v as Logsource;
        break;
      case "history": {
        const history = readHistory(v);
        if (!history) return keepAll;
        fields.history = history;
        break;
      }
      case "custom":
        if (!isObject(v)) return keepAll;
        custom = v;
        break;
      default:
        setOwn(rest, k, v);
    }
  }
  return { ...base, fields, customBefore: custom, customAfter: Object.keys(rest).length > 0 ? { meta: { source: "rulecast", ...rest } } : {} };
}

const STATUSES: readonly SigmaStatus[] = ["stable", "test", "experimental", "deprecated", "unsupported"];

function readHistory(v: unknown): HistoryEntry[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: HistoryEntry[] = [];
  for (const h of v) {
    if (!isObject(h) || typeof h["version"] !== "number") return undefined;
    const changes = h["changes"] ?? [];
    if (!Array.isArray(changes) || !changes.every((c) => typeof c === "string")) return undefined;
    if (h["release"] !== undefined && typeof h["release"] !== "string") return undefined;
    if (h["previous_query"] !== undefined && typeof h["previous_query"] !== "string") return undefined;
    out.push({
      version: h["version"],
      changes: changes as string[],
      ...(typeof h["release"] === "string" ? { release: h["release"] } : {}),
      ...(typeof h["previous_query"] === "string" ? { previousQuery: h["previous_query"] } : {}),
    });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
