/**
 * IR constructors the ES|QL lowering uses, with the constant folding that keeps its output small:
 * `and`/`or` flatten and drop neutral `all`/`none`, `not` cancels, and a field's `exists` next to a
 * test that already implies it is dropped.
 */
import type { Query, Span, Value } from "../../ir/query.js";
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import type { EsqlLiteral } from "./esql-ast.js";

export const ALL: Query = { kind: "all" };
export const NONE: Query = { kind: "none" };

export function mkAnd(children: readonly Query[]): Query {
  const flat: Query[] = [];
  for (const c of children) {
    if (c.kind === "none") return NONE;
    if (c.kind === "all") continue;
    if (c.kind === "and") flat.push(...c.children);
    else flat.push(c);
  }
  const kept = flat.filter((c, i) => !(c.kind === "exists" && flat.some((o, j) => j !== i && impliesExists(o, c.field))));
  if (kept.length === 0) return ALL;
  return kept.length === 1 ? kept[0]! : { kind: "and", children: kept };
}

export function mkOr(children: readonly Query[]): Query {
  const flat: Query[] = [];
  for (const c of children) {
    if (c.kind === "all") return ALL;
    if (c.kind === "none") continue;
    if (c.kind === "or") flat.push(...c.children);
    else flat.push(c);
  }
  if (flat.length === 0) return NONE;
  return flat.length === 1 ? flat[0]! : { kind: "or", children: flat };
}

export function mkNot(q: Query): Query {
  if (q.kind === "all") return NONE;
  if (q.kind === "none") return ALL;
  if (q.kind === "not") return q.child;
  return { kind: "not", child: q };
}

/** A positive test that holds only where `field` has a value, so `exists(field)` beside it says nothing. */
function impliesExists(q: Query, field: string): boolean {
  switch (q.kind) {
    case "match":
      return q.field === field && q.value.kind !== "null";
    case "range":
    case "regex":
    case "cidr":
    case "exists":
      return q.field === field;
    case "fieldref":
      return q.field === field || q.other === field;
    case "and":
      return q.children.some((c) => impliesExists(c, field));
    case "or":
      return q.children.length > 0 && q.children.every((c) => impliesExists(c, field));
    default:
      return false;
  }
}

export function withSpan<Q extends Query>(q: Q, span: Span | undefined): Q {
  return span && q.kind !== "all" && q.kind !== "none" ? { ...q, span } : q;
}

/** An ES|QL constant as an IR value; a list constant has none. */
export function irValue(v: EsqlLiteral, at: Span): Value {
  switch (v.type) {
    case "string":
      return { kind: "string", parts: [{ kind: "text", value: v.value }] };
    case "integer":
    case "decimal":
      return { kind: "number", value: v.value, raw: v.raw };
    case "boolean":
      return { kind: "boolean", value: v.value };
    case "null":
      return { kind: "null" };
    case "list":
      return refuse("esql/list-value", "a list constant cannot be compared as one value", at);
  }
}

/** A named reason the IR cannot hold what the ES|QL says, at its position. */
export function refuse(code: string, message: string, at: Span, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset: at.start, end: at.end, ...(hint ? { hint } : {}) });
}
