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
  const implied = new Set(flat.flatMap((c) => (c.kind === "exists" ? [] : [...presentIn(c)])));
  const kept = flat.filter((c) => !(c.kind === "exists" && implied.has(c.field)));
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

/** Fields a positive test needs a value in, so that `exists(field)` beside it says nothing. */
function presentIn(q: Query): Set<string> {
  switch (q.kind) {
    case "match":
      return new Set(q.value.kind === "null" ? [] : [q.field]);
    case "range":
    case "regex":
    case "cidr":
    case "exists":
      return new Set([q.field]);
    case "fieldref":
      return new Set([q.field, q.other]);
    case "and":
      return new Set(q.children.flatMap((c) => [...presentIn(c)]));
    case "or": {
      const [first, ...rest] = q.children.map(presentIn);
      return new Set([...(first ?? [])].filter((f) => rest.every((r) => r.has(f))));
    }
    default:
      return new Set();
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
