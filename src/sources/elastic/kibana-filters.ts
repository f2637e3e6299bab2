/**
 * Kibana rule `filters` (Query DSL pills applied beside the query) → one IR query, for targets that
 * have no filters of their own. Each enabled filter is ANDed, negated when `meta.negate`; disabled
 * ones apply to nothing. Only the forms whose meaning is exact here are read: `wildcard` (with
 * `case_insensitive`), `term`, `exists`; any other form is named so those targets can refuse.
 */
import type { Part, Query } from "../../ir/query.js";

export type FilterRead = { readonly query?: Query; readonly unsupported?: string; readonly elsewhere?: string };

/**
 * The filters, plus the rule's exception lists: exclusions that live in Kibana (by list id), which
 * no other target can see.
 */
export function readKibanaSideFilters(filters: unknown, exceptionsList: unknown): FilterRead | undefined {
  const read = readKibanaFilters(filters);
  const lists = Array.isArray(exceptionsList) ? exceptionsList.map((l) => (isObject(l) && typeof l["list_id"] === "string" ? l["list_id"] : "?")) : [];
  if (lists.length === 0) return read;
  return { ...read, elsewhere: `exception list${lists.length > 1 ? "s" : ""} ${lists.join(", ")}` };
}

export function readKibanaFilters(v: unknown): FilterRead | undefined {
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return undefined;
  if (!Array.isArray(v)) return { unsupported: "`filters` is not a list" };
  const parts: Query[] = [];
  for (const f of v) {
    if (!isObject(f)) return { unsupported: "a filter is not an object" };
    const meta = isObject(f["meta"]) ? f["meta"] : {};
    if (meta["disabled"] === true) continue;
    const q = readDsl(f["query"]);
    if ("unsupported" in q) return q;
    parts.push(meta["negate"] === true ? { kind: "not", child: q.query } : q.query);
  }
  if (parts.length === 0) return undefined;
  return { query: parts.length === 1 ? parts[0]! : { kind: "and", children: parts } };
}

function readDsl(q: unknown): { query: Query } | { unsupported: string } {
  if (!isObject(q)) return { unsupported: "a filter has no `query` object" };
  const keys = Object.keys(q);
  const [kind] = keys;
  const body = kind !== undefined ? q[kind] : undefined;
  if (keys.length !== 1 || !isObject(body)) return { unsupported: `a filter query of the form {${keys.join(", ")}}` };
  if (kind === "exists" && typeof body["field"] === "string" && Object.keys(body).length === 1) return { query: { kind: "exists", field: body["field"] } };
  if (kind !== "wildcard" && kind !== "term") return { unsupported: `a \`${kind}\` filter` };
  const fields = Object.keys(body);
  const field = fields[0];
  const spec = field !== undefined ? body[field] : undefined;
  const opts = isObject(spec) ? spec : { value: spec };
  const value = opts["value"];
  const known = Object.keys(opts).every((k) => k === "value" || k === "case_insensitive");
  if (fields.length !== 1 || field === undefined || typeof value !== "string" || !known) return { unsupported: `a \`${kind}\` filter with options rulecast does not read` };
  const caseSensitive = opts["case_insensitive"] !== true;
  const valueParts = kind === "wildcard" ? wildcardParts(value) : [{ kind: "text" as const, value }];
  return { query: { kind: "match", field, value: { kind: "string", parts: valueParts }, caseSensitive } };
}

/** An Elasticsearch wildcard pattern: `*` any run, `?` one character, `\` makes the next one literal. */
function wildcardParts(pattern: string): Part[] {
  const out: Part[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ kind: "text", value: text });
    text = "";
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) text += pattern[++i];
    else if (c === "*" || c === "?") {
      flush();
      out.push({ kind: c === "*" ? "any" : "one" });
    } else text += c;
  }
  flush();
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
