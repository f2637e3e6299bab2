import type { Diagnostic, Severity } from "./diagnostic.js";
import type { Span } from "../ir/query.js";
import type { Rule, RuleKey } from "../ir/rule.js";

/**
 * A diagnostic about a rule as a whole or its query, placed at the query in the rule's file, at
 * `at` (a span in the query) where the query text is the file's own text (`source.queryVerbatim`),
 * or at the key (`title:`, `logsource:`) a finding about the rule's name or log source is about.
 */
export function ruleDiagnostic(
  rule: Rule,
  d: { severity: Severity; code: string; message: string; hint?: string },
  at?: Span | RuleKey,
): Diagnostic {
  const placed = typeof at === "string" ? rule.source.keys?.[at] : at && spanPosition(rule, at);
  const pos = placed ?? { line: rule.source.queryLine ?? rule.source.line, col: rule.source.queryCol ?? 1 };
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: rule.source.file,
    line: pos.line,
    col: pos.col,
    ruleId: rule.id,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

function spanPosition(rule: Rule, span: Span): { line: number; col: number } | undefined {
  const { queryLine, queryCol, queryVerbatim, queryLines } = rule.source;
  if (!queryVerbatim && queryLines && span.start >= 0 && span.start <= rule.queryText.length) {
    // The last piece of the query that starts at or before the span, on its own file line.
    let piece = queryLines[0];
    for (const l of queryLines) if (l.offset <= span.start) piece = l;
    return piece ? { line: piece.line, col: piece.col + (span.start - piece.offset) } : undefined;
  }
  if (!queryVerbatim || queryLine === undefined || queryCol === undefined) return undefined;
  if (span.start < 0 || span.start > rule.queryText.length) return undefined;
  const before = rule.queryText.slice(0, span.start);
  const nl = before.lastIndexOf("\n");
  if (nl < 0) return { line: queryLine, col: queryCol + span.start };
  let lines = 0;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) lines++;
  return { line: queryLine + lines, col: span.start - nl };
}

/**
 * The span of the first node in a query that names `field`, searching every nested part. An `or`
 * or `and` whose every leaf names only that field (Sigma's `Field|contains: [a, b]`, KQL's
 * `f:(a or b)`) is taken whole: its span starts at the field, where a leaf's starts at its value.
 */
export function fieldSpan(query: unknown, field: string): Span | undefined {
  if (Array.isArray(query)) {
    for (const q of query) {
      const s = fieldSpan(q, field);
      if (s) return s;
    }
    return undefined;
  }
  if (query === null || typeof query !== "object") return undefined;
  const node = query as Record<string, unknown>;
  if ((node.field === field || node.other === field) && node.span) return node.span as Span;
  if ((node.kind === "or" || node.kind === "and") && node.span && namesOnly(node, field)) return node.span as Span;
  for (const [k, v] of Object.entries(node)) {
    if (k === "span" || typeof v !== "object") continue;
    const s = fieldSpan(v, field);
    if (s) return s;
  }
  return undefined;
}

/** Whether `field` is the one field the node's leaves name (and some leaf names it). */
function namesOnly(query: unknown, field: string): boolean {
  let seen = false;
  const walk = (q: unknown): boolean => {
    if (Array.isArray(q)) return q.every(walk);
    if (q === null || typeof q !== "object") return true;
    const node = q as Record<string, unknown>;
    for (const name of [node.field, node.other]) {
      if (typeof name !== "string") continue;
      if (name !== field) return false;
      seen = true;
    }
    return Object.entries(node).every(([k, v]) => k === "span" || typeof v !== "object" || walk(v));
  };
  return walk(query) && seen;
}
