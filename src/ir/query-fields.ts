/**
 * Every field a query reads, with the kind of node that reads it (match, regex, exists, …), at
 * any depth: inside sequences, samples, correlations, pipes, nested queries and expressions; and
 * whether every event a query matches has a value in a field.
 */
import { assertNever, type Expr, type Query } from "./query.js";

export interface FieldUse {
  readonly field: string;
  readonly kind: Query["kind"];
}

export function queryFields(q: Query): FieldUse[] {
  const out: FieldUse[] = [];
  const expr = (e: Expr, kind: Query["kind"]): void => {
    switch (e.kind) {
      case "field":
        out.push({ field: e.field, kind });
        return;
      case "literal":
        return;
      case "call":
        e.args.forEach((a) => expr(a, kind));
        return;
      case "arith":
        expr(e.left, kind);
        expr(e.right, kind);
        return;
      default:
        assertNever(e);
    }
  };
  const walk = (n: Query): void => {
    switch (n.kind) {
      case "and":
      case "or":
        n.children.forEach(walk);
        return;
      case "not":
        walk(n.child);
        return;
      case "match":
      case "exists":
      case "range":
      case "regex":
      case "cidr":
        out.push({ field: n.field, kind: n.kind });
        return;
      case "fieldref":
        out.push({ field: n.field, kind: n.kind }, { field: n.other, kind: n.kind });
        return;
      case "compare":
        expr(n.left, n.kind);
        expr(n.right, n.kind);
        return;
      case "predicate":
        expr(n.expr, n.kind);
        return;
      case "nested":
        walk(n.query);
        return;
      case "sequence":
      case "sample":
        for (const s of [...n.steps, ...(n.kind === "sequence" && n.until ? [n.until] : [])]) {
          walk(s.query);
          s.by.forEach((field) => out.push({ field, kind: n.kind }));
        }
        n.by.forEach((field) => out.push({ field, kind: n.kind }));
        return;
      case "correlation":
        n.rules.forEach((r) => walk(r.query));
        const measures = [...(n.extraMeasures ?? []), ...(n.anyOf ?? []).flat()];
        measures.forEach((m) => m.filter && walk(m.filter));
        for (const field of [...n.groupBy, ...n.rules.flatMap((r) => Object.values(r.aliases ?? {})), ...(n.valueField ? [n.valueField] : []), ...measures.flatMap((m) => [...(m.valueField ? [m.valueField] : []), ...(m.valueFallbacks ?? [])])]) out.push({ field, kind: n.kind });
        return;
      case "newTerms":
        walk(n.query);
        n.fields.forEach((field) => out.push({ field, kind: n.kind }));
        return;
      case "pipe":
        walk(n.input);
        return;
      case "all":
      case "none":
      case "keyword":
      case "opaque":
        return;
      default:
        assertNever(n);
    }
  };
  walk(q);
  return out;
}

/** Whether every event `q` matches has a value for `field`. */
export function requiresField(q: Query, field: string): boolean {
  switch (q.kind) {
    case "exists":
    case "range":
    case "regex":
    case "cidr":
      return q.field === field;
    case "match":
      return q.field === field && q.value.kind !== "null";
    case "and":
      return q.children.some((c) => requiresField(c, field));
    case "or":
      return q.children.length > 0 && q.children.every((c) => requiresField(c, field));
    default:
      return false;
  }
}

/** The expression with every field it reads renamed by `f` (function arguments, arithmetic operands). */
export function renameExprFields(e: Expr, f: (field: string) => string): Expr {
  switch (e.kind) {
    case "field":
      return { ...e, field: f(e.field) };
    case "literal":
      return e;
    case "call":
      return { ...e, args: e.args.map((a) => renameExprFields(a, f)) };
    case "arith":
      return { ...e, left: renameExprFields(e.left, f), right: renameExprFields(e.right, f) };
    default:
      return assertNever(e);
  }
}
