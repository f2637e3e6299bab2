/**
 * ES|QL expressions (grammar `Expression.g4`), by precedence from loose to tight: `OR` < `AND` <
 * `NOT` < predicates (`IN`, `LIKE`, `RLIKE`, `IS NULL`, `:`) < comparison < `+ -` < `* / %` < unary
 * sign < `::` cast < primary. Comparisons do not chain; `NOT x IN (…)` is `NOT (x IN (…))`, and
 * `x NOT IN (…)` the same test written as one predicate.
 */
import type { ArithOp, CmpOp, EsqlExpr, EsqlLiteral } from "./esql-ast.js";
import {
  type Cursor, expectOp, fail, isKeyword, isOp, isPlainIdent, lastEnd, next, peek, span, unexpected,
} from "./esql-cursor.js";
import type { Token } from "./esql-lexer.js";
import { checkNesting } from "../nesting.js";

const CMP_OPS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);

function nest(c: Cursor, t: Token): void {
  checkNesting("esql/nesting-too-deep", ++c.depth, t.start, t.end);
}

export function parseBoolean(c: Cursor): EsqlExpr {
  const first = parseAnd(c);
  const operands = [first];
  while (isKeyword(peek(c), "or")) {
    next(c);
    operands.push(parseAnd(c));
  }
  return operands.length === 1 ? first : { t: "or", operands, span: span(first.span.start, operands[operands.length - 1]!.span.end) };
}

function parseAnd(c: Cursor): EsqlExpr {
  const first = parseNot(c);
  const operands = [first];
  while (isKeyword(peek(c), "and")) {
    next(c);
    operands.push(parseNot(c));
  }
  return operands.length === 1 ? first : { t: "and", operands, span: span(first.span.start, operands[operands.length - 1]!.span.end) };
}

function parseNot(c: Cursor): EsqlExpr {
  const t = peek(c);
  if (isKeyword(t, "not")) {
    nest(c, t);
    next(c);
    const operand = parseNot(c);
    c.depth--;
    return { t: "not", operand, span: span(t.start, operand.span.end) };
  }
  return parsePredicate(c);
}

function parsePredicate(c: Cursor): EsqlExpr {
  const left = parseValue(c);
  const t = peek(c);
  if (isOp(t, ":")) return parseMatch(c, left);
  let negated = false;
  if (isKeyword(t, "not") && ["in", "like", "rlike"].some((w) => isKeyword(peek(c, 1), w))) {
    next(c);
    negated = true;
  }
  const op = peek(c);
  if (isKeyword(op, "in")) {
    next(c);
    expectOp(c, "(", "`(` starting the list after `IN`");
    const items = [parseValue(c)];
    while (isOp(peek(c), ",")) {
      next(c);
      items.push(parseValue(c));
    }
    expectOp(c, ")", "`,` or `)` in the list");
    return { t: "in", negated, operand: left, items, span: span(left.span.start, lastEnd(c)) };
  }
  if (isKeyword(op, "like") || isKeyword(op, "rlike")) {
    next(c);
    const patterns: { value: string; span: { start: number; end: number } }[] = [];
    const one = (): void => {
      const s = peek(c);
      if (s.type === "param") fail("esql/parameter", "query parameters cannot be used in a rule", s);
      if (s.type !== "string") unexpected(s, `a string pattern after \`${op.text.toUpperCase()}\``);
      next(c);
      patterns.push({ value: s.text, span: span(s.start, s.end) });
    };
    if (isOp(peek(c), "(")) {
      next(c);
      one();
      while (isOp(peek(c), ",")) {
        next(c);
        one();
      }
      expectOp(c, ")", "`,` or `)` in the pattern list");
    } else one();
    const kind = op.text.toLowerCase() as "like" | "rlike";
    return { t: "like", op: kind, negated, operand: left, patterns, span: span(left.span.start, lastEnd(c)) };
  }
  if (isKeyword(op, "is")) {
    next(c);
    const not = isKeyword(peek(c), "not");
    if (not) next(c);
    const n = peek(c);
    if (!isKeyword(n, "null")) unexpected(n, "`NULL` after `IS`");
    next(c);
    return { t: "isnull", negated: not, operand: left, span: span(left.span.start, n.end) };
  }
  return left;
}

/** `field : constant`, `field::type : constant`: the left side must be a field name. */
function parseMatch(c: Cursor, left: EsqlExpr): EsqlExpr {
  next(c); // `:`
  const field = left.t === "cast" ? left.operand : left;
  if (field.t !== "field") fail("esql/match-operand", "the left side of the match operator `:` must be a field", left.span);
  const query = parseConstant(c);
  if (query === undefined) unexpected(peek(c), "a constant after `:`");
  return { t: "match", field: field.name, fieldSpan: field.span, query, span: span(left.span.start, lastEnd(c)) };
}

function parseValue(c: Cursor): EsqlExpr {
  const left = parseAdditive(c);
  const t = peek(c);
  if (t.type === "op" && CMP_OPS.has(t.text)) {
    next(c);
    const right = parseAdditive(c);
    const after = peek(c);
    if (after.type === "op" && CMP_OPS.has(after.text)) {
      fail("esql/chained-comparison", "comparisons cannot be chained", after, "join two comparisons with `AND`");
    }
    return { t: "cmp", op: t.text as CmpOp, left, right, span: span(left.span.start, right.span.end) };
  }
  if (isOp(t, "=")) fail("esql/single-equals", "`=` is not a comparison in ES|QL", t, "use `==`");
  if (isOp(t, "=~")) fail("esql/case-insensitive-equals", "`=~` is not in released ES|QL", t, "compare `TO_LOWER(field) == \"value\"`");
  return left;
}

/** Each operator of a chain deepens the (binary, left-deep) tree by one level, so it counts. */
function parseAdditive(c: Cursor): EsqlExpr {
  const depth = c.depth;
  let left = parseMultiplicative(c);
  for (let t = peek(c); isOp(t, "+") || isOp(t, "-"); t = peek(c)) {
    nest(c, t);
    next(c);
    const right = parseMultiplicative(c);
    left = { t: "arith", op: t.text as ArithOp, left, right, span: span(left.span.start, right.span.end) };
  }
  c.depth = depth;
  return left;
}

function parseMultiplicative(c: Cursor): EsqlExpr {
  const depth = c.depth;
  let left = parseUnary(c);
  for (let t = peek(c); isOp(t, "*") || isOp(t, "/") || isOp(t, "%"); t = peek(c)) {
    nest(c, t);
    next(c);
    const right = parseUnary(c);
    left = { t: "arith", op: t.text as ArithOp, left, right, span: span(left.span.start, right.span.end) };
  }
  c.depth = depth;
  return left;
}

function parseUnary(c: Cursor): EsqlExpr {
  const t = peek(c);
  if (isOp(t, "-") || isOp(t, "+")) {
    nest(c, t);
    next(c);
    const operand = parseUnary(c);
    c.depth--;
    if (t.text === "+") return operand;
    return { t: "neg", operand, span: span(t.start, operand.span.end) };
  }
  return parseCast(c);
}

function parseCast(c: Cursor): EsqlExpr {
  let e = parsePrimary(c);
  while (isOp(peek(c), "::")) {
    next(c);
    const type = peek(c);
    if (type.type !== "ident" && type.type !== "quotedIdent") unexpected(type, "a type name after `::`");
    next(c);
    e = { t: "cast", operand: e, type: type.text.toLowerCase(), span: span(e.span.start, type.end) };
  }
  return e;
}

function parsePrimary(c: Cursor): EsqlExpr {
  const t = peek(c);
  const constant = parseConstant(c);
  if (constant !== undefined) {
    if (constant.type === "integer" && isPlainIdent(peek(c)) && !isOp(peek(c, 1), "(")) {
      // `1 minute`, `5m`: an integer qualified by a unit.
      const unit = next(c);
      return { t: "timespan", value: constant.value, unit: unit.text.toLowerCase(), span: span(t.start, unit.end) };
    }
    return { t: "lit", value: constant, span: span(t.start, lastEnd(c)) };
  }
  if (t.type === "param") fail("esql/parameter", "query parameters cannot be used in a rule", t);
  if (isOp(t, "(")) {
    nest(c, t);
    next(c);
    const inner = parseBoolean(c);
    expectOp(c, ")", "`)`");
    c.depth--;
    return { t: "paren", inner, span: span(t.start, lastEnd(c)) };
  }
  const isName = t.type === "quotedIdent" || isPlainIdent(t);
  if ((isName || isKeyword(t, "first") || isKeyword(t, "last")) && isOp(peek(c, 1), "(")) return parseCall(c);
  if (isName) return parseFieldName(c);
  return unexpected(t, "a field, value, function or `(`");
}

function parseCall(c: Cursor): EsqlExpr {
  const nameTok = next(c);
  nest(c, nameTok);
  next(c); // `(`
  const args: EsqlExpr[] = [];
  let star = false;
  let options: string | undefined;
  if (isOp(peek(c), "*") && isOp(peek(c, 1), ")")) {
    next(c);
    star = true;
  } else if (!isOp(peek(c), ")")) {
    for (;;) {
      if (isOp(peek(c), "{")) {
        options = skipMap(c);
        break;
      }
      args.push(parseBoolean(c));
      if (!isOp(peek(c), ",")) break;
      next(c);
    }
  }
  expectOp(c, ")", "`,` or `)` in the argument list");
  c.depth--;
  return {
    t: "call",
    name: nameTok.text.toLowerCase(),
    args,
    star,
    ...(options !== undefined ? { options } : {}),
    span: span(nameTok.start, lastEnd(c)),
  };
}

/** `{ "key": value, … }`: kept as text; only its braces are checked. */
function skipMap(c: Cursor): string {
  next(c); // `{`
  let depth = 1;
  const src: string[] = ["{"];
  while (depth > 0) {
    const t = next(c);
    if (t.type === "eof") unexpected(t, "`}` closing the options");
    if (isOp(t, "{")) depth++;
    if (isOp(t, "}")) depth--;
    src.push(t.type === "string" ? JSON.stringify(t.text) : t.text);
  }
  return src.join(" ");
}

/** A dotted name: `a.b.c`, `` a.`b-c` ``, `@timestamp`. Keywords are not names. */
export function parseFieldName(c: Cursor): EsqlExpr {
  const first = peek(c);
  if (first.type !== "quotedIdent" && !isPlainIdent(first)) unexpected(first, "a field name");
  next(c);
  const segments = [first.text];
  while (isOp(peek(c), ".")) {
    next(c);
    const seg = peek(c);
    if (seg.type !== "quotedIdent" && !isPlainIdent(seg)) unexpected(seg, "a field name segment after `.`");
    next(c);
    segments.push(seg.text);
  }
  return { t: "field", name: segments.join("."), span: span(first.start, lastEnd(c)) };
}

/** `null`, numbers (with a sign), booleans, strings and `[…]` lists; undefined when none starts here. */
export function parseConstant(c: Cursor): EsqlLiteral | undefined {
  const t = peek(c);
  if (isKeyword(t, "null")) {
    next(c);
    return { type: "null" };
  }
  if (isKeyword(t, "true") || isKeyword(t, "false")) {
    next(c);
    return { type: "boolean", value: t.text.toLowerCase() === "true" };
  }
  if (t.type === "string") {
    next(c);
    return { type: "string", value: t.text };
  }
  if (t.type === "integer" || t.type === "decimal") {
    next(c);
    return number(t);
  }
  if (isOp(t, "[")) {
    next(c);
    const items: EsqlLiteral[] = [];
    do {
      if (items.length) next(c);
      const s = peek(c);
      const sign = isOp(s, "-") || isOp(s, "+") ? next(c) : undefined;
      // A list holds no list: said at the inner `[`, before a recursion a run of `[` would overflow.
      if (isOp(peek(c), "[")) unexpected(peek(c), "a number, boolean or string in the list");
      const item = parseConstant(c);
      if (item === undefined || item.type === "list" || item.type === "null") unexpected(peek(c), "a number, boolean or string in the list");
      if (sign && item.type !== "integer" && item.type !== "decimal") unexpected(s, "a number after the sign");
      items.push(sign?.text === "-" && (item.type === "integer" || item.type === "decimal") ? { ...item, value: -item.value, raw: `-${item.raw}` } : item);
    } while (isOp(peek(c), ","));
    const kinds = new Set(items.map((i) => (i.type === "decimal" ? "integer" : i.type)));
    if (kinds.size > 1) fail("esql/mixed-list", "a list constant holds values of one type", span(t.start, peek(c).end));
    expectOp(c, "]", "`,` or `]` in the list");
    return { type: "list", items };
  }
  return undefined;
}

function number(t: Token): EsqlLiteral {
  const value = Number(t.text);
  return { type: t.type === "decimal" ? "decimal" : "integer", value, raw: t.text };
}
