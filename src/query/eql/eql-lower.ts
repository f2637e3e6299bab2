/**
 * EQL syntax tree → query IR. The choices (also in eql-parser.ts's header):
 * - `:` is case-insensitive with `*`/`?` wildcards; `==` is case-sensitive and literal; `like` is
 *   case-sensitive with wildcards, `like~` insensitive; `in`/`in~` are literal lookups.
 * - Non-string values (numbers, booleans, null) always get `caseSensitive: true`: case means
 *   nothing for them, and one spelling per meaning keeps parse → print → parse stable.
 * - `f != null` is EQL's existence test → `exists`; `f == null` → match with a null value.
 * - Same-kind `and`/`or` nest flat: `a and (b and c)` → and[a, b, c]; a list `f : ("a","b")`
 *   inside an `or` joins it. `literal op field` is turned round to `field op literal`.
 * - The `?` of an optional field is kept: `optional: true` on match/range/exists/regex/cidr nodes
 *   and on `Expr` fields (join keys hold plain names; `by ?field` is not kept).
 * - Unary minus on a number literal is a negative literal; on anything else it is `0 - x`.
 */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import type { CompareOp, Expr, Part, Query, RangeOp, Span, Value } from "../../ir/query.js";
import type { Ast, CmpOp, EventFilterAst } from "./eql-ast.js";
import { cidrBlock } from "./eql-print-values.js";

export const CATEGORY_FIELD = "event.category";

function fail(code: string, message: string, span: Span, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset: span.start, end: span.end, ...(hint ? { hint } : {}) });
}

/** `*` → any, `?` → one, the rest text (EQL has no escape for a literal wildcard character). */
export function wildcardParts(s: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (const ch of s) {
    if (ch === "*" || ch === "?") {
      if (text) parts.push({ kind: "text", value: text });
      text = "";
      parts.push(ch === "*" ? { kind: "any" } : { kind: "one" });
    } else text += ch;
  }
  if (text || parts.length === 0) parts.push({ kind: "text", value: text });
  return parts;
}

/** Drops empty text and merges neighbours, so equal patterns have equal parts. */
export function normalizeParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === "text" && p.value === "") continue;
    if (p.kind === "text" && last?.kind === "text") out[out.length - 1] = { kind: "text", value: last.value + p.value };
    else out.push(p);
  }
  return out.length ? out : [{ kind: "text", value: "" }];
}

export function mkAnd(children: readonly Query[], span: Span): Query {
  const flat = children.flatMap((c) => (c.kind === "and" ? c.children : [c]));
  return flat.length === 1 && flat[0] ? flat[0] : { kind: "and", children: flat, span };
}

export function mkOr(children: readonly Query[], span: Span): Query {
  const flat = children.flatMap((c) => (c.kind === "or" ? c.children : [c]));
  return flat.length === 1 && flat[0] ? flat[0] : { kind: "or", children: flat, span };
}

export function lowerEventFilter(f: EventFilterAst): Query {
  const cond = lowerCond(f.cond);
  if (f.category === undefined) return cond;
  const cat: Query = {
    kind: "match",
    field: CATEGORY_FIELD,
    value: { kind: "string", parts: [{ kind: "text", value: f.category.name }] },
    caseSensitive: true,
    span: f.category.span,
  };
  return cond.kind === "all" ? cat : mkAnd([cat, cond], f.span);
}

export function lowerCond(a: Ast): Query {
  switch (a.t) {
    case "and":
    case "or":
      return lowerChain(a);
    case "not":
      return { kind: "not", child: lowerCond(a.child), span: a.span };
    case "paren":
      return lowerCond(a.inner);
    case "lit":
      if (a.value.kind === "boolean") return a.value.value ? { kind: "all", span: a.span } : { kind: "none", span: a.span };
      return { kind: "predicate", expr: lowerExpr(a), span: a.span };
    case "cmp":
      return lowerCmp(a.op, a.left, a.right, a.span);
    case "pattern":
      return lowerPattern(a);
    case "call":
      return lowerCallCond(a) ?? { kind: "predicate", expr: lowerExpr(a), span: a.span };
    case "field":
    case "arith":
    case "neg":
      return { kind: "predicate", expr: lowerExpr(a), span: a.span };
  }
}

/**
 * `a or b or c` parses left-deep, one level per operator: walking the left spine in a loop keeps
 * a chain of 100,000 terms off the stack. Same result as lowering each binary node and flattening.
 */
function lowerChain(a: Extract<Ast, { t: "and" | "or" }>): Query {
  const rights: Ast[] = [];
  let node: Ast = a;
  while (node.t === a.t) {
    rights.push(node.right);
    node = node.left;
  }
  const children = [lowerCond(node), ...rights.reverse().map(lowerCond)];
  return a.t === "and" ? mkAnd(children, a.span) : mkOr(children, a.span);
}

const FLIP: Readonly<Record<CmpOp, CmpOp>> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const RANGE: Readonly<Record<string, RangeOp>> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };
const COMPARE: Readonly<Record<CmpOp, CompareOp>> = { "==": "eq", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };

function literalOf(a: Ast): Value | undefined {
  const e = a.t === "lit" || a.t === "neg" || a.t === "paren" ? lowerExpr(a) : undefined;
  return e?.kind === "literal" ? e.value : undefined;
}

/** `?field` keeps its mark; a plain field adds nothing, so IR without optional fields is unchanged. */
function opt(f: Extract<Ast, { t: "field" }>): { optional?: true } {
  return f.optional ? { optional: true } : {};
}

function lowerCmp(op: CmpOp, left: Ast, right: Ast, span: Span): Query {
  if (left.t !== "field" && right.t === "field" && literalOf(left) !== undefined) {
    return lowerCmp(FLIP[op], right, left, span);
  }
  const value = left.t === "field" ? literalOf(right) : undefined;
  if (left.t === "field" && value !== undefined) {
    const field = left.name;
    const o = opt(left);
    if (op === "==" || op === "!=") {
      if (op === "!=" && value.kind === "null") return { kind: "exists", field, ...o, span };
      const m: Query = { kind: "match", field, value, caseSensitive: true, ...o, span };
      return op === "==" ? m : { kind: "not", child: m, span };
    }
    return { kind: "range", field, op: RANGE[op] ?? "lt", value, ...o, span };
  }
  return { kind: "compare", op: COMPARE[op], left: lowerExpr(left), right: lowerExpr(right), span };
}

function lowerPattern(a: Extract<Ast, { t: "pattern" }>): Query {
  const word = a.op === "in" ? `${a.negated ? "not in" : "in"}${a.ci ? "~" : ""}` : `${a.op}${a.ci ? "~" : ""}`;
  if (a.left.t !== "field") {
    fail("eql/unsupported-operand", `the left side of \`${word}\` must be a field here`, a.left.span,
      "compare a function result with `==` instead");
  }
  const field = a.left.name;
  const o = opt(a.left);
  const children = a.values.map((v): Query => {
    const value = literalOf(v);
    if (value === undefined) fail("eql/expected-literal", `\`${word}\` takes literal values`, v.span);
    const span = a.values.length === 1 ? a.span : v.span;
    if (value.kind !== "string") {
      if (a.op === "like" || a.op === "regex") fail("eql/expected-string", `\`${word}\` takes strings`, v.span);
      return { kind: "match", field, value, caseSensitive: true, ...o, span };
    }
    const text = value.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
    switch (a.op) {
      case "regex":
        return { kind: "regex", field, pattern: text, dialect: "lucene", caseSensitive: !a.ci, ...o, span };
      case ":":
        return { kind: "match", field, value: { kind: "string", parts: wildcardParts(text) }, caseSensitive: false, ...o, span };
      case "like":
        return { kind: "match", field, value: { kind: "string", parts: wildcardParts(text) }, caseSensitive: !a.ci, ...o, span };
      case "in":
        return { kind: "match", field, value, caseSensitive: !a.ci, ...o, span };
    }
  });
  const q = mkOr(children, a.span);
  return a.negated ? { kind: "not", child: q, span: a.span } : q;
}

const AFFIX: Readonly<Record<string, (text: string) => Part[]>> = {
  startsWith: (t) => [{ kind: "text", value: t }, { kind: "any" }],
  endsWith: (t) => [{ kind: "any" }, { kind: "text", value: t }],
  stringContains: (t) => [{ kind: "any" }, { kind: "text", value: t }, { kind: "any" }],
};

function stringOf(a: Ast | undefined): string | undefined {
  const v = a ? literalOf(a) : undefined;
  return v?.kind === "string" ? v.parts.map((p) => (p.kind === "text" ? p.value : "")).join("") : undefined;
}

/** Function calls a plain node can say; `undefined` leaves the call as a predicate. */
function lowerCallCond(a: Extract<Ast, { t: "call" }>): Query | undefined {
  const [first, ...rest] = a.args;
  if (first?.t !== "field") return undefined;
  const affix = AFFIX[a.name];
  if (affix && rest.length === 1) {
    const text = stringOf(rest[0]);
    if (text === undefined) return undefined;
    const parts = normalizeParts(affix(text));
    return { kind: "match", field: first.name, value: { kind: "string", parts }, caseSensitive: !a.ci, ...opt(first), span: a.span };
  }
  if (a.name === "cidrMatch" && rest.length > 0) {
    const cidrs = rest.map(stringOf);
    if (cidrs.some((c) => c === undefined)) return undefined;
    // A bare address is its one-address block; the IR holds blocks (`10.0.0.1` → `10.0.0.1/32`).
    return mkOr(cidrs.map((cidr, i) => ({ kind: "cidr", field: first.name, cidr: cidrBlock(cidr ?? ""), ...opt(first), span: rest[i]?.span ?? a.span })), a.span);
  }
  return undefined;
}

export function lowerExpr(a: Ast): Expr {
  switch (a.t) {
    case "field":
      return { kind: "field", field: a.name, optional: a.optional };
    case "lit":
      return { kind: "literal", value: a.value };
    case "call":
      return { kind: "call", name: a.name, caseInsensitive: a.ci, args: a.args.map(lowerExpr) };
    case "arith":
      return { kind: "arith", op: a.op, left: lowerExpr(a.left), right: lowerExpr(a.right) };
    case "paren":
      return lowerExpr(a.inner);
    case "neg": {
      const inner = lowerExpr(a.operand);
      if (inner.kind === "literal" && inner.value.kind === "number") {
        const { value, raw } = inner.value;
        return { kind: "literal", value: { kind: "number", value: -value, raw: raw.startsWith("-") ? raw.slice(1) : `-${raw}` } };
      }
      return { kind: "arith", op: "-", left: { kind: "literal", value: { kind: "number", value: 0, raw: "0" } }, right: inner };
    }
    case "cmp":
    case "pattern":
    case "not":
    case "and":
    case "or":
      return fail("eql/condition-as-value", "a condition cannot be used as a value here", a.span);
  }
}
