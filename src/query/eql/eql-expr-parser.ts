/**
 * EQL conditions, by precedence from loose to tight: `or` < `and` < `not` < comparison and
 * lookups (`==`, `:`, `like`, `regex`, `in`) < `+ -` < `* / %` < unary minus < primary.
 * Comparisons do not chain (`a < b < c` is an error in Elasticsearch too).
 */
import type { Span } from "../../ir/query.js";
import type { Ast, ArithOp, CmpOp } from "./eql-ast.js";
import {
  type Cursor, expectOp, fail, isKeyword, isOp, isReserved, lastEnd, next, peek, unexpected,
} from "./eql-cursor.js";
import { EQL_DIALECT } from "./eql-dialect.js";
import { canonicalFunction } from "./eql-functions.js";
import { checkNesting } from "../nesting.js";

const CMP_OPS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);

function span(start: number, end: number): Span {
  return { start, end };
}

export function parseCondition(c: Cursor): Ast {
  let left = parseAnd(c);
  while (isKeyword(peek(c), "or")) {
    next(c);
    const right = parseAnd(c);
    left = { t: "or", left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseAnd(c: Cursor): Ast {
  let left = parseNot(c);
  while (isKeyword(peek(c), "and")) {
    next(c);
    const right = parseNot(c);
    left = { t: "and", left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseNot(c: Cursor): Ast {
  const t = peek(c);
  if (isKeyword(t, "not")) {
    checkNesting("eql/nesting-too-deep", ++c.depth, t.start, t.end);
    next(c);
    const child = parseNot(c);
    c.depth--;
    return { t: "not", child, span: span(t.start, child.span.end) };
  }
  return parseComparison(c);
}

/** `~` counts only glued to the word before it (`like~`, `in~`), as in the Elasticsearch lexer. */
function takeTilde(c: Cursor): boolean {
  const t = peek(c);
  if (isOp(t, "~") && t.start === lastEnd(c)) {
    next(c);
    return true;
  }
  return false;
}

function parseComparison(c: Cursor): Ast {
  const left = parseAdditive(c);
  const t = peek(c);
  if (t.type === "op" && CMP_OPS.has(t.text)) {
    next(c);
    const right = parseAdditive(c);
    const after = peek(c);
    if (after.type === "op" && CMP_OPS.has(after.text)) {
      fail("eql/chained-comparison", "comparisons cannot be chained", after, "join two comparisons with `and`");
    }
    return { t: "cmp", op: t.text as CmpOp, left, right, span: span(left.span.start, right.span.end) };
  }
  if (isOp(t, "=")) fail("eql/single-equals", "`=` is not an EQL operator", t, "use `==` or `:`");
  if (isOp(t, ":")) {
    next(c);
    return pattern(c, left, ":", false, false);
  }
  if (isKeyword(t, "like") || isKeyword(t, "regex")) {
    next(c);
    return pattern(c, left, t.text as "like" | "regex", takeTilde(c), false);
  }
  if (isKeyword(t, "in")) {
    next(c);
    return pattern(c, left, "in", takeTilde(c), false);
  }
  if (isKeyword(t, "not") && isKeyword(peek(c, 1), "in")) {
    next(c);
    next(c);
    return pattern(c, left, "in", takeTilde(c), true);
  }
  return left;
}

function pattern(c: Cursor, left: Ast, op: ":" | "like" | "regex" | "in", ci: boolean, negated: boolean): Ast {
  const values: Ast[] = [];
  if (isOp(peek(c), "(")) {
    next(c);
    values.push(parseAdditive(c));
    while (isOp(peek(c), ",")) {
      next(c);
      values.push(parseAdditive(c));
    }
    expectOp(c, ")", "`,` or `)` in the value list");
  } else if (op === "in") {
    unexpected(peek(c), "`(` starting the list after `in`");
  } else {
    values.push(parseAdditive(c));
  }
  return { t: "pattern", op, ci, negated, left, values, span: span(left.span.start, lastEnd(c)) };
}

/** Each operator of a chain deepens the (binary, left-deep) tree by one level, so it counts. */
function parseAdditive(c: Cursor): Ast {
  const depth = c.depth;
  let left = parseMultiplicative(c);
  for (let t = peek(c); isOp(t, "+") || isOp(t, "-"); t = peek(c)) {
    checkNesting("eql/nesting-too-deep", ++c.depth, t.start, t.end);
    next(c);
    const right = parseMultiplicative(c);
    left = { t: "arith", op: t.text as ArithOp, left, right, span: span(left.span.start, right.span.end) };
  }
  c.depth = depth;
  return left;
}

function parseMultiplicative(c: Cursor): Ast {
  const depth = c.depth;
  let left = parseUnary(c);
  for (let t = peek(c); isOp(t, "*") || isOp(t, "/") || isOp(t, "%"); t = peek(c)) {
    checkNesting("eql/nesting-too-deep", ++c.depth, t.start, t.end);
    next(c);
    const right = parseUnary(c);
    left = { t: "arith", op: t.text as ArithOp, left, right, span: span(left.span.start, right.span.end) };
  }
  c.depth = depth;
  return left;
}

function parseUnary(c: Cursor): Ast {
  const t = peek(c);
  if (isOp(t, "-") || isOp(t, "+")) {
    checkNesting("eql/nesting-too-deep", ++c.depth, t.start, t.end);
    next(c);
    const operand = parseUnary(c);
    c.depth--;
    if (t.text === "+") return operand;
    return { t: "neg", operand, span: span(t.start, operand.span.end) };
  }
  return parsePrimary(c);
}

function parsePrimary(c: Cursor): Ast {
  const t = peek(c);
  switch (t.type) {
    case "number": {
      next(c);
      return { t: "lit", value: { kind: "number", value: Number(t.text), raw: t.text }, span: span(t.start, t.end) };
    }
    case "string":
      next(c);
      return { t: "lit", value: { kind: "string", parts: [{ kind: "text", value: t.text }] }, span: span(t.start, t.end) };
    case "quotedIdent":
      return parseField(c, false, t.start);
    case "ident": {
      if (t.text === "null" || t.text === "true" || t.text === "false") {
        next(c);
        const value = t.text === "null" ? ({ kind: "null" } as const) : ({ kind: "boolean", value: t.text === "true" } as const);
        return { t: "lit", value, span: span(t.start, t.end) };
      }
      if (isReserved(t)) unexpected(t, "a field, value or `(`");
      const after = peek(c, 1);
      const glued = after.start === t.end;
      if (isOp(after, "(") || (isOp(after, "~") && glued && isOp(peek(c, 2), "("))) return parseCall(c);
      return parseField(c, false, t.start);
    }
    case "op": {
      if (t.text === "?") {
        next(c);
        return parseField(c, true, t.start);
      }
      if (t.text === "(") {
        checkNesting("eql/nesting-too-deep", ++c.depth, t.start, t.end);
        next(c);
        const inner = parseCondition(c);
        expectOp(c, ")", "`)`");
        c.depth--;
        return { t: "paren", inner, span: span(t.start, lastEnd(c)) };
      }
      return unexpected(t, "a field, value or `(`");
    }
    case "eof":
      return unexpected(t, "a field, value or `(`");
  }
}

function parseCall(c: Cursor): Ast {
  const nameTok = next(c);
  checkNesting("eql/nesting-too-deep", ++c.depth, nameTok.start, nameTok.end);
  const ci = takeTilde(c);
  const name = canonicalFunction(nameTok.text);
  if (name === undefined) {
    fail("eql/unknown-function", `unknown function ${nameTok.text}`, nameTok,
      `${EQL_DIALECT} functions: add, between, cidrMatch, concat, divide, endsWith, indexOf, length, modulo, multiply, number, startsWith, string, stringContains, substring, subtract`);
  }
  expectOp(c, "(");
  const args: Ast[] = [];
  if (!isOp(peek(c), ")")) {
    args.push(parseCondition(c));
    while (isOp(peek(c), ",")) {
      next(c);
      args.push(parseCondition(c));
    }
  }
  expectOp(c, ")", "`,` or `)` in the argument list");
  c.depth--;
  return { t: "call", name, ci, args, span: span(nameTok.start, lastEnd(c)) };
}

/** A dotted name; after a dot any word is a segment (`event.sequence`), backticked ones too. */
export function parseField(c: Cursor, optional: boolean, start: number): Ast {
  const first = peek(c);
  if (first.type === "quotedIdent" || (first.type === "ident" && !isReserved(first))) next(c);
  else unexpected(first, optional ? "a field name after `?`" : "a field name");
  const segments = [first.text];
  while (isOp(peek(c), ".")) {
    next(c);
    const seg = peek(c);
    if (seg.type !== "ident" && seg.type !== "quotedIdent") unexpected(seg, "a field name segment after `.`");
    next(c);
    segments.push(seg.text);
  }
  return { t: "field", name: segments.join("."), optional, span: span(start, lastEnd(c)) };
}
