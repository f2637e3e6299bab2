/**
 * How one match or value is spelled in EQL, and which list operators (`in`, `:`, `like`, `in~`,
 * `cidrMatch`) could carry it, so the printer can merge neighbours into one list.
 */
import type { NodeOf, Part, Query, Value } from "../../ir/query.js";
import { partsText } from "../../ir/parts-text.js";
import type { PrintIssue } from "../print-result.js";
import { luceneRegexOfParts } from "../lucene/lucene-escape.js";
import { quoteEqlField, quoteEqlString } from "./eql-escape.js";
import { looksLikeIpv6 } from "../ip-shape.js";

export type ListOp = "in" | ":" | "like" | "in~" | "cidr";

export interface ListOptions {
  readonly field: string;
  /** Operator → the item as written inside that operator's list. */
  readonly ops: ReadonlyMap<ListOp, string>;
}

export interface Pattern {
  readonly wild: boolean; // has `any`/`one` parts
  readonly wildChars: boolean; // a text part holds `*` or `?`, which `:`/`like` would read as wildcards
  readonly text: string; // the parts with wildcards as `*` and `?`
}

export function patternOf(v: Value): Pattern | undefined {
  if (v.kind !== "string") return undefined;
  return {
    wild: v.parts.some((p) => p.kind !== "text"),
    wildChars: v.parts.some((p) => p.kind === "text" && /[*?]/.test(p.value)),
    text: partsText(v.parts),
  };
}

function numberText(v: Extract<Value, { kind: "number" }>): string {
  return Number(v.raw) === v.value && /^-?[0-9.]/.test(v.raw) ? v.raw : String(v.value);
}

/** A value where EQL wants a plain literal; wildcard parts have no spelling there. */
export function valueText(v: Value, node: Query, issues: PrintIssue[]): string {
  switch (v.kind) {
    case "number":
      return numberText(v);
    case "boolean":
      return String(v.value);
    case "null":
      return "null";
    case "string": {
      const p = patternOf(v);
      if (p?.wild) issues.push({ severity: "error", code: "eql/wildcard-value", reason: "EQL has no wildcards here", node });
      return quoteEqlString(p?.text ?? "");
    }
  }
}

/**
 * EQL has no escape for a literal `*`/`?` in a wildcard pattern (eql-syntax.md, "Wildcards"), but
 * the three affix shapes can still be said with functions, which take their argument literally,
 * and any other shape as a regex.
 */
const AFFIX_FUNCTIONS: readonly { readonly name: string; readonly shape: readonly Part["kind"][] }[] = [
  { name: "startsWith", shape: ["text", "any"] },
  { name: "endsWith", shape: ["any", "text"] },
  { name: "stringContains", shape: ["any", "text", "any"] },
];

/** A node's field as EQL writes it: quoted when needed, `?` when the field is optional. */
export function eqlFieldRef(q: { readonly field: string; readonly optional?: boolean }): string {
  return `${q.optional ? "?" : ""}${quoteEqlField(q.field)}`;
}

export function matchText(m: NodeOf<"match">, issues: PrintIssue[]): string {
  const f = eqlFieldRef(m);
  const p = patternOf(m.value);
  if (p === undefined) return `${f} == ${valueText(m.value, m, issues)}`;
  if (!p.wild) {
    if (m.caseSensitive) return `${f} == ${quoteEqlString(p.text)}`;
    // `in~` compares literally, where `:` would read `*` and `?` as wildcards.
    return p.wildChars ? `${f} in~ (${quoteEqlString(p.text)})` : `${f} : ${quoteEqlString(p.text)}`;
  }
  if (!p.wildChars) return `${f} ${m.caseSensitive ? "like" : ":"} ${quoteEqlString(p.text)}`;
  const parts = m.value.kind === "string" ? m.value.parts : [];
  const affix = AFFIX_FUNCTIONS.find((a) => a.shape.length === parts.length && a.shape.every((k, i) => parts[i]?.kind === k));
  const text = parts.find((x) => x.kind === "text");
  if (affix && text?.kind === "text") {
    return `${affix.name}${m.caseSensitive ? "" : "~"}(${f}, ${quoteEqlString(text.value)})`;
  }
  // Other shapes become a regex, where a literal `*` or `?` can be escaped; EQL's wildcards take any
  // character, newlines included, as Lucene's `.` does.
  return `${f} ${m.caseSensitive ? "regex" : "regex~"} ${quoteEqlString(luceneRegexOfParts(parts))}`;
}

/**
 * A cidr node's block as `cidrMatch` takes it: a bare address is its one-address block, which
 * Elastic's EQL validator (detection-rules' Python library) requires to be written `/32` or `/128`.
 */
export function cidrBlock(cidr: string): string {
  if (/^(?:\d{1,3}\.){3}\d{1,3}$/.test(cidr)) return `${cidr}/32`;
  if (looksLikeIpv6(cidr)) return `${cidr}/128`;
  return cidr;
}

export function listOptions(q: Query, issues: PrintIssue[]): ListOptions | undefined {
  if (q.kind === "cidr") return { field: eqlFieldRef(q), ops: new Map([["cidr", quoteEqlString(cidrBlock(q.cidr))]]) };
  if (q.kind !== "match" || q.value.kind === "null") return undefined;
  const ops = new Map<ListOp, string>();
  const p = patternOf(q.value);
  if (p === undefined) {
    if (q.caseSensitive) ops.set("in", valueText(q.value, q, issues));
  } else {
    const s = quoteEqlString(p.text);
    if (q.caseSensitive) {
      if (!p.wild) ops.set("in", s);
      if (!p.wildChars) ops.set("like", s);
    } else {
      if (!p.wild) ops.set("in~", s);
      if (!p.wildChars) ops.set(":", s);
    }
  }
  return ops.size ? { field: eqlFieldRef(q), ops } : undefined;
}
