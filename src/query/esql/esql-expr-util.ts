/**
 * Helpers over ES|QL expressions shared by the pipeline and the STATS readers: column substitution
 * (EVAL, RENAME), a walk, and the conversions a group key or measured field may be written under.
 */
import type { Span } from "../../ir/query.js";
import type { EsqlExpr } from "./esql-ast.js";
import { refuseExtracted } from "./esql-extract.js";
import { refuse } from "./esql-ir-build.js";

/** `expr` with every column defined by EVAL/RENAME replaced by its definition. */
export function subst(e: EsqlExpr, env: ReadonlyMap<string, EsqlExpr>): EsqlExpr {
  if (env.size === 0) return e;
  const s = (x: EsqlExpr) => subst(x, env);
  switch (e.t) {
    case "field":
      return env.get(e.name) ?? e;
    case "lit":
    case "timespan":
    case "match":
      if (e.t === "match" && env.has(e.field)) {
        return refuse("esql/unsupported-expression", "the match operator on a computed column has no IR form", e.span);
      }
      return e;
    case "call":
      return { ...e, args: e.args.map(s) };
    case "neg":
    case "not":
      return { ...e, operand: s(e.operand) };
    case "cast":
    case "isnull":
    case "like":
      return { ...e, operand: s(e.operand) };
    case "in":
      return { ...e, operand: s(e.operand), items: e.items.map(s) };
    case "arith":
    case "cmp":
      return { ...e, left: s(e.left), right: s(e.right) };
    case "and":
    case "or":
      return { ...e, operands: e.operands.map(s) };
    case "paren":
      return { ...e, inner: s(e.inner) };
  }
}

/** Calls `f` on `e` and every expression inside it. */
export function visit(e: EsqlExpr, f: (x: EsqlExpr) => void): void {
  f(e);
  switch (e.t) {
    case "call":
      return e.args.forEach((a) => visit(a, f));
    case "neg":
    case "not":
    case "cast":
    case "isnull":
    case "like":
      return visit(e.operand, f);
    case "in":
      visit(e.operand, f);
      return e.items.forEach((a) => visit(a, f));
    case "arith":
    case "cmp":
      visit(e.left, f);
      return visit(e.right, f);
    case "and":
    case "or":
      return e.operands.forEach((o) => visit(o, f));
    case "paren":
      return visit(e.inner, f);
    default:
      return;
  }
}

export function unwrapParen(e: EsqlExpr): EsqlExpr {
  return e.t === "paren" ? unwrapParen(e.inner) : e;
}

export function unwrapConversions(e: EsqlExpr, numeric = false): EsqlExpr {
  if (e.t === "paren") return unwrapConversions(e.inner, numeric);
  // `TO_IP(source.ip)` as a key is the address itself (ECS keeps addresses in ip fields); SUM and
  // AVG of `TO_DOUBLE(x)` add up what the IR's value_sum and value_avg do, numbers and numeric text.
  const through = numeric ? ["to_double", "to_dbl"] : ["to_ip", "to_string"];
  if (e.t === "call" && through.includes(e.name) && e.args.length === 1) return unwrapConversions(e.args[0]!, numeric);
  return e;
}

/** Names a computed value in a refusal; one made from a GROK or DISSECT column is refused as that command instead. */
export function describeExpr(e: EsqlExpr): string {
  visit(e, refuseExtracted);
  return e.t === "call" ? `${e.name.toUpperCase()}(…)` : `a ${e.t} expression`;
}

/** The source field a column name stands for (MV_EXPAND, BY keys, measured fields). */
export function fieldBehind(name: string, env: ReadonlyMap<string, EsqlExpr>, at: Span): string {
  const e = subst({ t: "field", name, span: at }, env);
  const inner = unwrapConversions(e);
  if (inner.t !== "field") return refuse("esql/computed-field", `\`${name}\` is computed (${describeExpr(inner)}); the IR groups and counts source fields`, at);
  return inner.name;
}

/** The conjuncts of `a AND (b AND c)`: a, b, c. */
export function splitAnd(e: EsqlExpr): EsqlExpr[] {
  if (e.t === "and") return e.operands.flatMap(splitAnd);
  if (e.t === "paren") return splitAnd(e.inner);
  return [e];
}
