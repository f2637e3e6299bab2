/**
 * KQL (Kibana Query Language, `language = "kuery"`) → query IR.
 *
 * Follows Kibana's `packages/kbn-es-query/grammar/grammar.peggy` rule by rule, quirks included:
 * precedence `or` < `and` < `not` < parens/nested/field expression; ` or ` and ` and ` need
 * whitespace on both sides and `not` after; only one `not` per term (`not not a` is an error);
 * an unquoted value runs on over spaces until a keyword or special character (`a b` is one value,
 * `cannot x` stops before `not `, `\not` is a newline followed by `ot`).
 *
 * Lowering choices:
 * - `f:v` → `match` with `caseSensitive: true`: on keyword fields KQL builds a term or wildcard
 *   query, which compares exactly.
 * - Values are IR `string` values (ES coerces `f:1` to the field's type), except unquoted
 *   `true`/`false`, which Kibana's grammar reads as typed literals: `boolean` values (`null` is
 *   kept as its text). Unquoted `*` is a `{kind:"any"}` part; quoted text
 *   and escaped `\*` are literal. The unquoted value that is exactly `*` is `exists`; `*:*` is `all`.
 * - Value groups `f:(a or (b and not c))` distribute the field: `or`/`and`/`not` of `match` nodes.
 * - `f < v` etc. → `range`. An unquoted bound that is a number is a `number` value (ES compares
 *   numeric fields as numbers), unless ECS types the field as a date or a string, where ES compares
 *   the text; every other bound (dates, date math, quoted text) is a string value.
 * - A bare value → `keyword` with `caseSensitive: false`: Kibana sends it as `multi_match` over all
 *   fields, which is analysed (lower-cased) on text fields.
 * - `p:{ c:x }` → `nested` with path `p` whose query names full fields (`p.c`), at every depth.
 * - Field names are plain strings: `process.*` keeps its `*` (a field wildcard Kibana expands).
 * - The empty query is `all`. `and`/`or` are n-ary as written: `(a or b) or c` stays two nodes.
 */
import type { Query, Value } from "../../ir/query.js";
import { ecsFieldType } from "../ecs-field-types.js";
import type { ParseResult } from "../../diagnostics/query-error.js";
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import { isKqlSpace, keywordAt, literalText, scanLiteral, type KqlLiteral } from "./kql-literal.js";
import { type ValueTree, applyField } from "./kql-value-tree.js";
import { isNumberText } from "./kql-escape.js";
import { checkNesting } from "../nesting.js";

/** Parses KQL text: `parseKql('process.name:cmd.exe and not user.name:(a or b)')`. */
export function parseKql(text: string): ParseResult<Query> {
  try {
    return { ok: true, value: parseStart({ text, pos: 0, end: 0, depth: 0 }) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

interface State {
  readonly text: string;
  pos: number;
  /** End of the last literal or closing bracket read: spans end there, not after trailing spaces. */
  end: number;
  /** Open groups (`(`, `{`) around the cursor: bounded, so hostile input cannot overflow the stack. */
  depth: number;
}

type RangeOp = "lt" | "lte" | "gt" | "gte";

function parseStart(s: State): Query {
  skipSpaces(s);
  if (s.pos >= s.text.length) return { kind: "all", span: { start: 0, end: s.text.length } };
  const q = parseOr(s, "");
  skipSpaces(s);
  if (s.pos < s.text.length) throw unexpected(s, "expected `and`, `or` or the end of the query");
  return q;
}

function parseOr(s: State, prefix: string): Query {
  const children = [parseAnd(s, prefix)];
  while (eatKeyword(s, "or")) children.push(parseAnd(s, prefix));
  return joined("or", children);
}

function parseAnd(s: State, prefix: string): Query {
  const children = [parseNot(s, prefix)];
  while (eatKeyword(s, "and")) children.push(parseNot(s, prefix));
  return joined("and", children);
}

function parseNot(s: State, prefix: string): Query {
  const start = s.pos;
  if (!eatKeyword(s, "not")) return parseSub(s, prefix);
  rejectDoubleNot(s);
  const child = parseSub(s, prefix);
  return { kind: "not", child, span: { start, end: spanEnd(child) } };
}

function parseSub(s: State, prefix: string): Query {
  const open = s.pos;
  if (s.text[open] !== "(") return parseExpression(s, prefix);
  checkNesting("kql/nesting-too-deep", ++s.depth, open);
  s.pos++;
  skipSpaces(s);
  const q = parseOr(s, prefix);
  skipSpaces(s);
  expectClose(s, ")", open);
  s.depth--;
  return q;
}

function parseExpression(s: State, prefix: string): Query {
  const start = s.pos;
  const lit = requireLiteral(s, "a field name or a value");
  s.pos = lit.next;
  const afterLit = s.pos;
  skipSpaces(s);
  const c = s.text[s.pos];
  if (c === ":") {
    s.pos++;
    skipSpaces(s);
    const field = prefix + literalText(lit.parts);
    if (s.text[s.pos] === "{") return parseNested(s, field, start);
    const tree = parseListOfValues(s);
    const fieldIsStar = !lit.quoted && lit.parts.length === 1 && lit.parts[0]?.kind === "any";
    return applyField(tree, field, fieldIsStar, { start, end: s.end });
  }
  const op = rangeOpAt(s);
  if (op !== undefined) {
    s.pos += op.width;
    skipSpaces(s);
    const bound = requireLiteral(s, `a value after \`${s.text.slice(s.pos - op.width, s.pos).trim()}\``);
    s.pos = bound.next;
    const field = prefix + literalText(lit.parts);
    return { kind: "range", field, op: op.op, value: rangeBound(field, bound), span: { start, end: bound.end } };
  }
  s.pos = afterLit;
  return { kind: "keyword", value: { kind: "string", parts: lit.parts }, caseSensitive: false, span: span(lit) };
}

function parseNested(s: State, path: string, start: number): Query {
  const open = s.pos;
  checkNesting("kql/nesting-too-deep", ++s.depth, open);
  s.pos++;
  skipSpaces(s);
  const query = parseOr(s, `${path}.`);
  skipSpaces(s);
  expectClose(s, "}", open);
  s.depth--;
  return { kind: "nested", path, query, span: { start, end: s.pos } };
}

/** Kibana's `ListOfValues`: one value or a parenthesised and/or/not combination of values. */
function parseListOfValues(s: State): ValueTree {
  const open = s.pos;
  if (s.text[open] !== "(") {
    const lit = requireLiteral(s, "a value");
    s.pos = lit.next;
    return { kind: "value", literal: lit };
  }
  checkNesting("kql/nesting-too-deep", ++s.depth, open);
  s.pos++;
  skipSpaces(s);
  const tree = parseOrValues(s);
  skipSpaces(s);
  expectClose(s, ")", open);
  s.depth--;
  return tree;
}

function parseOrValues(s: State): ValueTree {
  const children = [parseAndValues(s)];
  while (eatKeyword(s, "or")) children.push(parseAndValues(s));
  return children.length === 1 && children[0] ? children[0] : { kind: "or", children };
}

function parseAndValues(s: State): ValueTree {
  const children = [parseNotValues(s)];
  while (eatKeyword(s, "and")) children.push(parseNotValues(s));
  return children.length === 1 && children[0] ? children[0] : { kind: "and", children };
}

function parseNotValues(s: State): ValueTree {
  const start = s.pos;
  if (!eatKeyword(s, "not")) return parseListOfValues(s);
  rejectDoubleNot(s);
  return { kind: "not", child: parseListOfValues(s), start };
}

function joined(kind: "and" | "or", children: Query[]): Query {
  const first = children[0];
  if (children.length === 1 && first) return first;
  const last = children[children.length - 1];
  return { kind, children, span: { start: first?.span?.start ?? 0, end: last ? spanEnd(last) : 0 } };
}

function spanEnd(q: Query): number {
  return q.span?.end ?? 0;
}

function span(lit: KqlLiteral): { start: number; end: number } {
  return { start: lit.start, end: lit.end };
}

/** Range bounds have no wildcards: Kibana passes the characters through, `*` included. */
/** ECS types whose range ES compares as text or dates, so that `5` there is not the number 5. */
const TEXT_RANGE_TYPES: ReadonlySet<string> = new Set(["keyword", "constant_keyword", "wildcard", "text", "match_only_text", "date", "date_nanos", "ip", "version"]);

function rangeBound(field: string, bound: KqlLiteral): Value {
  const text = literalText(bound.parts);
  if (bound.quoted || !isNumberText(text)) return { kind: "string", parts: textOnly(bound) };
  const type = ecsFieldType(field);
  if (type !== undefined && TEXT_RANGE_TYPES.has(type)) return { kind: "string", parts: textOnly(bound) };
  return { kind: "number", value: Number(text), raw: text };
}

function textOnly(lit: KqlLiteral): { kind: "text"; value: string }[] {
  const value = literalText(lit.parts);
  return value === "" ? [] : [{ kind: "text", value }];
}

function skipSpaces(s: State): void {
  while (isKqlSpace(s.text[s.pos])) s.pos++;
}

/** Consumes ` or `/` and ` (with their surrounding spaces) or `not ` when it starts at the cursor. */
function eatKeyword(s: State, word: "or" | "and" | "not"): boolean {
  if (keywordAt(s.text, s.pos) !== word) return false;
  skipSpaces(s);
  s.pos += word.length;
  skipSpaces(s);
  return true;
}

function rangeOpAt(s: State): { op: RangeOp; width: number } | undefined {
  const two = s.text.slice(s.pos, s.pos + 2);
  if (two === "<=") return { op: "lte", width: 2 };
  if (two === ">=") return { op: "gte", width: 2 };
  if (two[0] === "<") return { op: "lt", width: 1 };
  if (two[0] === ">") return { op: "gt", width: 1 };
  return undefined;
}

function rejectDoubleNot(s: State): void {
  if (keywordAt(s.text, s.pos) !== "not") return;
  throw new QuerySyntaxError({
    code: "kql/double-not",
    message: "`not` cannot directly follow `not`",
    offset: s.pos,
    end: s.pos + 3,
    hint: "KQL allows one `not` per term; write `not (not x)` or drop both",
  });
}

function expectClose(s: State, close: ")" | "}", open: number): void {
  if (s.text[s.pos] === close) {
    s.pos++;
    s.end = s.pos;
    return;
  }
  if (s.pos >= s.text.length) {
    throw new QuerySyntaxError({
      code: close === ")" ? "kql/unclosed-paren" : "kql/unclosed-brace",
      message: `\`${s.text[open]}\` at offset ${open} is never closed`,
      offset: open,
      end: s.text.length,
      hint: `add \`${close}\` at the end of the group`,
    });
  }
  throw unexpected(s, `expected \`and\`, \`or\` or \`${close}\``);
}

function requireLiteral(s: State, what: string): KqlLiteral {
  const lit = scanLiteral(s.text, s.pos);
  if (lit !== undefined) {
    s.end = lit.end;
    return lit;
  }
  const c = s.text[s.pos];
  if (c === undefined) {
    throw new QuerySyntaxError({
      code: "kql/unexpected-end",
      message: `the query ends where ${what} was expected`,
      offset: s.pos,
    });
  }
  if ((c === "<" || c === ">") && s.text[s.pos - 1] === ":") {
    throw new QuerySyntaxError({
      code: "kql/unexpected-token",
      message: `\`${c}\` cannot follow \`:\``,
      offset: s.pos,
      end: s.pos + 1,
      hint: "a range is written without `:`, e.g. `field >= 10`",
    });
  }
  if (keywordAt(s.text, s.pos) !== undefined) {
    throw new QuerySyntaxError({
      code: "kql/unexpected-keyword",
      message: `\`${s.text.slice(s.pos, s.pos + 3).trim()}\` where ${what} was expected`,
      offset: s.pos,
      end: s.pos + 3,
      hint: "escape a literal keyword as `\\or`, `\\and`, or quote the value",
    });
  }
  throw unexpected(s, `expected ${what}`);
}

function unexpected(s: State, expected: string): QuerySyntaxError {
  const c = s.text[s.pos] ?? "";
  const before = s.text.slice(0, s.pos).trimEnd();
  const equals = endsInEquals(before) || c === "=";
  const hint = equals
    ? "`=` is not a KQL operator; use `:` (e.g. `process.name:\"cmd.exe\"`)"
    : keywordAt(s.text, s.pos) === "not"
      ? "`not ` inside an unquoted value starts a negation, even mid-word; quote the value"
      : undefined;
  return new QuerySyntaxError({
    code: "kql/unexpected-token",
    message: `unexpected \`${c}\`: ${expected}`,
    offset: s.pos,
    end: s.pos + 1,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** `/(^|[^<>])=+$/` (a final `=` that is not `<=`/`>=`, or `==`) by a loop: the regex was quadratic. */
function endsInEquals(text: string): boolean {
  let start = text.length;
  while (start > 0 && text[start - 1] === "=") start--;
  const run = text.length - start;
  return run >= 2 || (run === 1 && text[start - 1] !== "<" && text[start - 1] !== ">");
}
