/**
 * ES|QL conditions → IR boolean queries, with ES|QL's three-valued logic made explicit. WHERE keeps
 * a row only when its condition is TRUE, and `NOT` of NULL is NULL, so every condition is lowered
 * twice: `isTrue(c)` and `isFalse(c)` (NULL is neither). `f != "x"` is false, not true, where `f`
 * has no value, so it reads as `exists(f) and not f == "x"`; `NOT f == "x"` reads the same way.
 *
 * Values are read as forms (esql-lower-values.ts). Conversions that keep a test's meaning
 * (`TO_STRING`, `TO_DOUBLE`, `TO_IP`, matching `::` casts) are followed. A comparison on a
 * multi-valued field is NULL in ES|QL and "any value matches" in the IR: the reading takes the IR's
 * meaning (docs/esql.md, "Reading").
 */
import type { Expr, Part, Query, Span } from "../../ir/query.js";
import { parseKql } from "../kql/kql-parser.js";
import { parseLucene } from "../lucene/lucene-parser.js";
import { isTextField } from "../ecs-field-types.js";
import type { CmpOp, EsqlExpr, EsqlLiteral } from "./esql-ast.js";
import { likeParts } from "./esql-escape.js";
import { irValue, mkAnd, mkNot, mkOr, NONE, refuse, withSpan } from "./esql-ir-build.js";
import { compare, type Fold, type Form, formOf, notNull, refold, textExpr, truth } from "./esql-lower-values.js";
import { refuseExtracted } from "./esql-extract.js";
import { nowRange } from "./esql-lower-seen.js";
import { replaceShortens } from "./esql-replace-count.js";
import { expandEsqlShorthands } from "./esql-regex-case.js";


export interface CondContext {
  /** The query text, for errors that point inside a `KQL("…")` string. */
  readonly text: string;
  /**
   * Each condition node lowered once per polarity: `formOf` asks for both of a nested condition,
   * and without this a hostile nesting would cost twice as much per level.
   */
  readonly memo: WeakMap<EsqlExpr, { t?: Query; f?: Query }>;
  /** Warnings of a reading that changes a match slightly (said with their position), by position and code. */
  readonly warnings: Map<string, { readonly code: string; readonly message: string; readonly span: Span }>;
}

export function condContext(text: string): CondContext {
  return { text, memo: new WeakMap(), warnings: new Map() };
}

const NEGATED: Readonly<Record<CmpOp, CmpOp>> = { "==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<" };

/** Where the condition is TRUE. */
export function isTrue(e: EsqlExpr, cx: CondContext): Query {
  const m = cx.memo.get(e);
  if (m?.t) return m.t;
  const q = trueOf(e, cx);
  cx.memo.set(e, { ...cx.memo.get(e), t: q });
  return q;
}

/** Where the condition is FALSE (not where it is NULL). */
export function isFalse(e: EsqlExpr, cx: CondContext): Query {
  const m = cx.memo.get(e);
  if (m?.f) return m.f;
  const q = falseOf(e, cx);
  cx.memo.set(e, { ...cx.memo.get(e), f: q });
  return q;
}

function trueOf(e: EsqlExpr, cx: CondContext): Query {
  switch (e.t) {
    case "and":
      return mkAnd(e.operands.map((o) => isTrue(o, cx)));
    case "or":
      return mkOr(e.operands.map((o) => isTrue(o, cx)));
    case "not":
      return isFalse(e.operand, cx);
    case "paren":
      return isTrue(e.inner, cx);
    case "cmp":
      return nowRange(e, true) ?? replaceShortens(e, true, (x) => replacedField(x, cx)) ?? compare(e.op, formOf(e.left, cx), formOf(e.right, cx), e.span);
    case "like":
      return e.negated ? likeFalse(e, cx) : likeTrue(e, cx);
    case "in":
      return e.negated ? inFalse(e, cx) : inTrue(e, cx);
    case "isnull": {
      const present = notNull(formOf(e.operand, cx));
      return e.negated ? present : mkNot(present);
    }
    case "match":
      return matchOperator(e.field, e.query, e.fieldSpan, e.span);
    default:
      return truth(formOf(e, cx), true);
  }
}

function falseOf(e: EsqlExpr, cx: CondContext): Query {
  switch (e.t) {
    case "and":
      return mkOr(e.operands.map((o) => isFalse(o, cx)));
    case "or":
      return mkAnd(e.operands.map((o) => isFalse(o, cx)));
    case "not":
      return isTrue(e.operand, cx);
    case "paren":
      return isFalse(e.inner, cx);
    case "cmp":
      // Both sides have a value (else NULL) and the opposite comparison holds.
      return nowRange(e, false) ?? replaceShortens(e, false, (x) => replacedField(x, cx)) ?? compare(NEGATED[e.op], formOf(e.left, cx), formOf(e.right, cx), e.span);
    case "like":
      return e.negated ? likeTrue(e, cx) : likeFalse(e, cx);
    case "in":
      return e.negated ? inTrue(e, cx) : inFalse(e, cx);
    case "isnull": {
      const present = notNull(formOf(e.operand, cx));
      return e.negated ? mkNot(present) : present;
    }
    case "match":
      // Full-text functions are never NULL: a document without the field does not match.
      return mkNot(matchOperator(e.field, e.query, e.fieldSpan, e.span));
    default:
      return truth(formOf(e, cx), false);
  }
}

// ---- patterns -----------------------------------------------------------------------------------

function likeTrue(e: Extract<EsqlExpr, { t: "like" }>, cx: CondContext): Query {
  return patternTest(formOf(e.operand, cx), e.op, e.patterns, e.span);
}

function likeFalse(e: Extract<EsqlExpr, { t: "like" }>, cx: CondContext): Query {
  const f = formOf(e.operand, cx);
  return mkAnd([notNull(f), mkNot(patternTest(f, e.op, e.patterns, e.span))]);
}

function patternTest(f: Form, op: "like" | "rlike", patterns: readonly { value: string; span: Span }[], at: Span): Query {
  if (f.k === "choice") return mkOr(f.branches.map((b) => mkAnd([b.guard, patternTest(b.form, op, patterns, at)])));
  if (f.k === "expr" && textExpr(f.expr)) return exprPatternTest(f.expr, op, patterns, at);
  if (f.k !== "field" || f.conv !== undefined) return refuse("esql/unsupported-operand", `the left side of \`${op.toUpperCase()}\` must be a field (or its text) here`, f.span);
  return mkOr(patterns.map((p) => {
    const where = patterns.length === 1 ? at : p.span;
    if (op === "like") {
      const parsed = likeParts(p.value);
      if (!parsed.ok) return refuse("esql/bad-like-pattern", "a `\\` in a LIKE pattern must escape `*`, `?` or `\\`", p.span, "Elasticsearch rejects this pattern");
      if (f.fold !== "none") {
        const text = parsed.parts.map((x) => (x.kind === "text" ? x.value : "")).join("");
        if (refold(text, f.fold) !== text) return NONE;
      }
      return withSpan<Query>({ kind: "match", field: f.field, value: { kind: "string", parts: parsed.parts }, caseSensitive: f.fold === "none" }, where);
    }
    const pattern = expandEsqlShorthands(p.value, f.fold) ?? p.value;
    if (f.fold !== "none" && !foldNeutralRegex(pattern, f.fold)) {
      return refuse("esql/case-folded-regex", `a regex on \`TO_${f.fold.toUpperCase()}(…)\` with letters of the other case has no IR form`, p.span);
    }
    return withSpan<Query>({ kind: "regex", field: f.field, pattern, dialect: "lucene", caseSensitive: f.fold === "none" }, where);
  }));
}

/**
 * LIKE and RLIKE of a computed text (`TO_LOWER(URL_DECODE(f))`): the IR's `like` and `rlike` calls
 * on the expression, which test the value as it is (case-sensitively: any lower-casing is in the
 * expression); RLIKE's shorthands spelled out as for a field.
 */
function exprPatternTest(expr: Expr, op: "like" | "rlike", patterns: readonly { value: string; span: Span }[], at: Span): Query {
  return mkOr(patterns.map((p) => {
    const where = patterns.length === 1 ? at : p.span;
    let parts: Part[];
    if (op === "like") {
      const parsed = likeParts(p.value);
      if (!parsed.ok) return refuse("esql/bad-like-pattern", "a `\\` in a LIKE pattern must escape `*`, `?` or `\\`", p.span, "Elasticsearch rejects this pattern");
      parts = parsed.parts;
    } else {
      parts = [{ kind: "text", value: expandEsqlShorthands(p.value, "none") ?? p.value }];
    }
    const pattern: Expr = { kind: "literal", value: { kind: "string", parts } };
    return withSpan<Query>({ kind: "predicate", expr: { kind: "call", name: op, caseInsensitive: false, args: [expr, pattern] } }, where);
  }));
}

/**
 * A regex on a lower-cased value means the same as a case-insensitive regex when it names no
 * upper-case letter (the shorthand classes `\D \S \W` aside), and the other way round for upper.
 */
function foldNeutralRegex(pattern: string, fold: Fold): boolean {
  const other = fold === "lower" ? /\p{Lu}/u : /\p{Ll}/u;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1] ?? "";
      i++;
      if (/[dswDSW]/.test(n)) continue;
      if (other.test(n)) return false;
      continue;
    }
    if (other.test(c)) return false;
  }
  return true;
}

function inTrue(e: Extract<EsqlExpr, { t: "in" }>, cx: CondContext): Query {
  const f = formOf(e.operand, cx);
  return mkOr(e.items.map((item) => compare("==", f, formOf(item, cx), item.span)));
}

function inFalse(e: Extract<EsqlExpr, { t: "in" }>, cx: CondContext): Query {
  // A NULL in the list makes `x IN (…)` NULL, not false, wherever no item equals x.
  if (e.items.some((i) => i.t === "lit" && i.value.type === "null")) return NONE;
  const f = formOf(e.operand, cx);
  return mkAnd([notNull(f), ...e.items.map((item) => mkNot(compare("==", f, formOf(item, cx), item.span)))]);
}

// ---- functions used as conditions ---------------------------------------------------------------

export function boolCall(e: Extract<EsqlExpr, { t: "call" }>, cx: CondContext, want: boolean): Query {
  refuseExtracted(e);
  const args = e.args;
  switch (e.name) {
    case "starts_with":
    case "ends_with":
    case "contains": {
      const [subject, affix] = args;
      if (args.length !== 2 || !subject || affix?.t !== "lit" || affix.value.type !== "string") {
        return refuse("esql/unsupported-function", `\`${e.name.toUpperCase()}\` needs a field and a string constant here`, e.span);
      }
      const text: Part = { kind: "text", value: affix.value.value };
      const parts: Part[] = affix.value.value === "" ? [{ kind: "any" }]
        : e.name === "starts_with" ? [text, { kind: "any" }] : e.name === "ends_with" ? [{ kind: "any" }, text] : [{ kind: "any" }, text, { kind: "any" }];
      const f = formOf(subject, cx);
      const hit = affixTest(f, parts, e.span);
      return want ? hit : mkAnd([notNull(f), mkNot(hit)]);
    }
    case "cidr_match": {
      const [subject, ...blocks] = args;
      const f = subject ? formOf(subject, cx) : undefined;
      if (f?.k !== "field" || f.fold !== "none" || (f.conv !== undefined && f.conv !== "ip") || blocks.length === 0) {
        return refuse("esql/unsupported-function", "`CIDR_MATCH` needs a field and CIDR block constants here", e.span);
      }
      const cidrs = blocks.map((b) => (b.t === "lit" && b.value.type === "string" ? { cidr: b.value.value, span: b.span } : refuse("esql/unsupported-function", "a CIDR block must be a string constant", b.span)));
      const hit = mkOr(cidrs.map((c) => withSpan<Query>({ kind: "cidr", field: f.field, cidr: c.cidr }, c.span)));
      return want ? hit : mkAnd([notNull(f), mkNot(hit)]);
    }
    case "kql":
    case "qstr": {
      const hit = embedded(e, cx);
      return want ? hit : mkNot(hit);
    }
    case "match": {
      const [field, q] = args;
      if (e.options !== undefined) return refuse("esql/full-text-options", "`MATCH` with options (fuzziness, operators, …) has no IR form", e.span);
      if (args.length !== 2 || field?.t !== "field" || q?.t !== "lit") return refuse("esql/unsupported-function", "`MATCH` needs a field and a constant", e.span);
      const hit = matchOperator(field.name, q.value, field.span, e.span);
      return want ? hit : mkNot(hit);
    }
  }
  return refuse("esql/unsupported-function", `the function \`${e.name.toUpperCase()}\` has no IR form`, e.span);
}

/** The field REPLACE searches, and where it has a value. */
function replacedField(x: EsqlExpr, cx: CondContext): { field: string; present: Query } {
  const f = formOf(x, cx);
  if (f.k !== "field" || f.fold !== "none" || f.conv !== undefined) return refuse("esql/unsupported-function", "`REPLACE` is read only on a field here", x.span);
  return { field: f.field, present: notNull(f) };
}

export function affixTest(f: Form, parts: Part[], at: Span): Query {
  if (f.k === "choice") return mkOr(f.branches.map((b) => mkAnd([b.guard, affixTest(b.form, parts, at)])));
  if (f.k !== "field" || f.conv !== undefined) return refuse("esql/unsupported-operand", "the first argument must be a field (or its text) here", f.span);
  if (f.fold !== "none") {
    const text = parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
    if (refold(text, f.fold) !== text) return NONE;
  }
  return withSpan({ kind: "match", field: f.field, value: { kind: "string", parts }, caseSensitive: f.fold === "none" }, at);
}

/**
 * `field : "value"` (and `MATCH(field, "value")`): Elasticsearch's match query. On a keyword
 * field that is the exact value, read as KQL's `field:"value"` is (case-sensitive, no wildcard);
 * on an analysed text field it searches words, which the IR cannot hold.
 */
function matchOperator(field: string, q: EsqlLiteral, fieldSpan: Span, at: Span): Query {
  if (isTextField(field)) {
    return refuse("esql/full-text-match", `\`${field}\` is an analysed text field: the match operator searches its words, which the IR cannot hold`, fieldSpan,
      "compare the value with LIKE or RLIKE to match its characters");
  }
  if (q.type === "list" || q.type === "null") return refuse("esql/unsupported-expression", "the match operator takes one value", at);
  return withSpan({ kind: "match", field, value: irValue(q, at), caseSensitive: true }, at);
}

/** `KQL("…")` and `QSTR("…")`: the embedded query read by rulecast's KQL or Lucene reader. */
function embedded(e: Extract<EsqlExpr, { t: "call" }>, cx: CondContext): Query {
  const [arg] = e.args;
  if (e.args.length !== 1 || arg?.t !== "lit" || arg.value.type !== "string" || e.options !== undefined) {
    return refuse("esql/unsupported-function", `\`${e.name.toUpperCase()}\` needs one string constant here`, e.span);
  }
  const r = e.name === "kql" ? parseKql(arg.value.value) : parseLucene(arg.value.value);
  if (r.ok) return r.value;
  const raw = cx.text.slice(arg.span.start, arg.span.end);
  const offset = arg.span.start + rawOffset(raw, r.error.offset);
  return refuse(`esql/${e.name}-syntax`, `in ${e.name.toUpperCase()}: ${r.error.message}`, { start: offset, end: offset + 1 }, r.error.hint);
}

/** The offset in a string literal's source of the decoded text's `decoded`-th character. */
function rawOffset(raw: string, decoded: number): number {
  if (raw.startsWith('"""')) return 3 + decoded;
  let i = 1;
  for (let k = 0; k < decoded && i < raw.length - 1; k++) i += raw[i] === "\\" ? 2 : 1;
  return i;
}
