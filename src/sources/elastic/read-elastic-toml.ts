/**
 * Reads an elastic/detection-rules TOML file: `[metadata]` (repository data, never sent to
 * Kibana), `[rule]` (Kibana API keys) and `[transform]` (investigation-guide plugin data).
 */
import { parse, TomlDate, TomlError } from "smol-toml";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { lineColAt, lineStarts } from "../../diagnostics/source-text.js";
import { kibanaRuleToIr, type RuleLocator } from "./kibana-rule.js";
import type { ElasticReadResult } from "./read-result.js";
import { tableKeyPositions } from "./toml-positions.js";
import { setOwn } from "../own-property.js";
import { MAX_DATA_NESTING, NESTING_MESSAGE } from "../data-nesting.js";

/** `[metadata]` keys that have a Rule field; the rest stay under `custom.metadata`. */
const DATE_KEYS = { creation_date: "date", updated_date: "modified" } as const;

/**
 * `readElasticToml("rules/x.toml", text)` → the rule, or diagnostics (TOML syntax errors with
 * line and column, query errors inside the file).
 */
export function readElasticToml(file: string, text: string): ElasticReadResult {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { maxDepth: MAX_DATA_NESTING }) as Record<string, unknown>;
  } catch (e) {
    const err = e instanceof TomlError ? e : undefined;
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "invalid TOML";
    const deep = /excessively nested/.test(message);
    return {
      rules: [],
      diagnostics: [{
        severity: "error",
        code: deep ? "elastic/nesting-too-deep" : "elastic/toml-syntax",
        message: deep ? NESTING_MESSAGE : message.replace(/^Invalid TOML document: /, ""),
        file,
        line: err?.line ?? 1,
        col: err?.column ?? 1,
        hint: deep ? "flatten the data" : "fix the TOML syntax",
      }],
    };
  }
  const plain = toPlain(doc) as Record<string, unknown>;
  const ruleTable = plain["rule"];
  if (!isObject(ruleTable)) {
    return { rules: [], diagnostics: [{ severity: "error", code: "elastic/not-a-rule", message: "no `[rule]` table: not a detection-rules file", file, line: 1, col: 1 }] };
  }

  const diagnostics: Diagnostic[] = [];
  const starts = lineStarts(text);
  const keys = tableKeyPositions(text, "rule");
  const ruleLine = lineColAt(text, tableOffset(text, "rule"), starts).line;
  const loc: RuleLocator = {
    file,
    format: "elastic-toml",
    line: ruleLine,
    keyAt: (key) => {
      const p = keys.get(key);
      return p ? lineColAt(text, p.keyOffset, starts) : { line: ruleLine, col: 1 };
    },
    // Literal strings (`'''`, as detection-rules writes queries) hold the text verbatim, so a
    // value offset is a file offset from the value start; basic strings are close (escapes).
    valueAt: (key, offset) => {
      const p = keys.get(key);
      return p ? lineColAt(text, p.valueOffset + offset, starts) : { line: ruleLine, col: 1 };
    },
  };

  const metadata = isObject(plain["metadata"]) ? plain["metadata"] : {};
  const fields: { date?: string; modified?: string } = {};
  const restMeta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    const target = DATE_KEYS[k as keyof typeof DATE_KEYS];
    const iso = typeof v === "string" ? /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(v) : null;
    if (target && iso) fields[target] = `${iso[1]}-${iso[2]}-${iso[3]}`;
    else setOwn(restMeta, k, v);
  }
  if (plain["metadata"] !== undefined && !isObject(plain["metadata"])) restMeta["metadata"] = plain["metadata"];

  // Everything outside `[metadata]` and `[rule]` (`[transform]`, unknown tables) is kept as is.
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) if (k !== "metadata" && k !== "rule") setOwn(after, k, v);

  const mapped = kibanaRuleToIr(flattenNewTerms(ruleTable), loc, {
    // detection-rules keeps versions in etc/version.lock.json, not in the rule file.
    defaultVersion: 1,
    fields,
    customBefore: Object.keys(restMeta).length > 0 ? { metadata: restMeta } : {},
    customAfter: after,
  });
  diagnostics.push(...mapped.diagnostics);
  return { rules: mapped.rule ? [mapped.rule] : [], diagnostics };
}

/**
 * The TOML-only `[rule.new_terms]` wrapper (`field = "new_terms_fields"`, `value = [...]`, and a
 * `history_window_start` list of the same shape) becomes the two Kibana keys it stands for, as
 * detection-rules does on export. Any other shape is kept untouched.
 */
function flattenNewTerms(rule: Record<string, unknown>): Record<string, unknown> {
  const nt = rule["new_terms"];
  if (!isObject(nt) || nt["field"] !== "new_terms_fields" || !Array.isArray(nt["value"])) return rule;
  const hws = nt["history_window_start"];
  const entry: unknown = Array.isArray(hws) && hws.length === 1 ? hws[0] : undefined;
  const known = new Set(["field", "value", "history_window_start"]);
  if (!isObject(entry) || entry["field"] !== "history_window_start" || Object.keys(entry).length !== 2) return rule;
  if (Object.keys(nt).some((k) => !known.has(k))) return rule;
  const hw = entry["value"];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule)) {
    if (k === "new_terms") {
      out["new_terms_fields"] = nt["value"];
      out["history_window_start"] = hw;
    } else setOwn(out, k, v);
  }
  return out;
}

/** TOML dates become their TOML text (`1979-05-27T07:32:00Z`), so that custom data stays JSON. */
function toPlain(v: unknown): unknown {
  if (v instanceof TomlDate) return v.toISOString();
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toPlain);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Offset of a `[table]` header line (0 when absent). Blanks are spaces and tabs only: `\s` also
 * takes newlines, and a run of blank lines made every line start rescan the run (quadratic).
 */
function tableOffset(text: string, table: string): number {
  const m = new RegExp(`^[ \\t]*\\[[ \\t]*${table}[ \\t]*\\]`, "m").exec(text);
  return m ? m.index + (m[0].length - m[0].trimStart().length) : 0;
}
