// Small IR builders for the evaluator tests: the tests read as the queries they check.
import type { Expr, Part, Query, SequenceStep, Value } from "../../src/ir/query.js";

/** `pat("a*b?")`: `*` and `?` are wildcards; `\*` is a literal star. */
export function pat(s: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) text += s[++i];
    else if (c === "*" || c === "?") {
      if (text) parts.push({ kind: "text", value: text });
      text = "";
      parts.push(c === "*" ? { kind: "any" } : { kind: "one" });
    } else text += c;
  }
  if (text) parts.push({ kind: "text", value: text });
  return parts;
}

export const str = (s: string): Value => ({ kind: "string", parts: pat(s) });
export const lit = (s: string): Value => ({ kind: "string", parts: [{ kind: "text", value: s }] });
export const num = (n: number, raw = String(n)): Value => ({ kind: "number", value: n, raw });

export const match = (field: string, value: Value, caseSensitive = true): Query => ({ kind: "match", field, value, caseSensitive });
export const eq = (field: string, s: string, caseSensitive = true): Query => match(field, lit(s), caseSensitive);
export const and = (...children: Query[]): Query => ({ kind: "and", children });
export const or = (...children: Query[]): Query => ({ kind: "or", children });
export const not = (child: Query): Query => ({ kind: "not", child });

export const field = (f: string): Expr => ({ kind: "field", field: f, optional: false });
export const sLit = (s: string): Expr => ({ kind: "literal", value: lit(s) });
export const nLit = (n: number): Expr => ({ kind: "literal", value: num(n) });
export const call = (name: string, args: Expr[], caseInsensitive = false): Expr => ({ kind: "call", name, caseInsensitive, args });

export const step = (query: Query, extra: Partial<SequenceStep> = {}): SequenceStep => ({ query, by: [], ...extra });
