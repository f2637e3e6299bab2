/**
 * ES|QL values as *forms* for the lowering: a field (possibly under `TO_LOWER`/`TO_UPPER`, possibly
 * converted), a constant, a choice (`COALESCE`, `CASE`: guarded alternatives), a condition used as
 * a value, or an IR expression (`LENGTH(f)`); and comparisons between them, as the IR says where
 * they are TRUE. See esql-lower-cond.ts for the three-valued reading this serves.
 */
import type { CompareOp, Expr, Part, Query, RangeOp, Span, Value } from "../../ir/query.js";
import type { CmpOp, EsqlExpr, EsqlLiteral } from "./esql-ast.js";
import { ALL, irValue, mkAnd, mkNot, mkOr, NONE, refuse, withSpan } from "./esql-ir-build.js";
import { refuseExtracted } from "./esql-extract.js";
import { ARITH_CALLS, type Conversion, CONVERSIONS, WHOLE_RANGE } from "./esql-functions.js";
import { ecsFieldType } from "../ecs-field-types.js";
import { compareReplaceCount, type ReplaceCount, replaceCount } from "./esql-replace-count.js";
import { affixTest, boolCall, type CondContext, isFalse, isTrue } from "./esql-lower-cond.js";

export type Fold = "none" | "lower" | "upper";

export type Form =
  /**
   * A field, possibly case-folded, possibly converted: `number` is `TO_DOUBLE(f)` (NULL where the
   * text is no number), `ip` is `TO_IP(f)` (NULL where it is no address), `integer`/`long` is
   * `TO_INTEGER(f)`/`TO_LONG(f)` (the number rounded half up; NULL outside the type's range).
   */
  | { readonly k: "field"; readonly field: string; readonly fold: Fold; readonly conv?: Exclude<Conversion, "string">; readonly span: Span }
  | { readonly k: "lit"; readonly value: EsqlLiteral; readonly span: Span }
  | { readonly k: "choice"; readonly branches: readonly { readonly guard: Query; readonly form: Form }[]; readonly span: Span }
  | { readonly k: "bool"; readonly t: Query; readonly f: Query; readonly span: Span }
  | { readonly k: "expr"; readonly expr: Expr; readonly span: Span }
  /** `LOCATE(f, "s")`: 1-based position of `s` in `f`, 0 when absent; only its sign is read. */
  | { readonly k: "locate"; readonly subject: Form; readonly text: string; readonly span: Span }
  /** `LOCATE(TO_STRING(f), TO_STRING(g))`: where `g`'s value is in `f`'s; only its sign is read (the IR's stringContains). */
  | { readonly k: "locateField"; readonly subject: string; readonly needle: string; readonly span: Span }
  /** Matches of a regex counted with REPLACE (esql-replace-count.ts); only whether there are any is read. */
  | { readonly k: "replaceCount"; readonly count: ReplaceCount; readonly subject: Extract<Form, { k: "field" }>; readonly span: Span };

/** Alternatives a value may take (CASE in CASE, COALESCE of them): beyond this, refused. */
const MAX_BRANCHES = 4096;

const ZERO = { kind: "number", value: 0, raw: "0" } as const;
const FLIP: Readonly<Record<CmpOp, CmpOp>> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const RANGE: Readonly<Record<string, RangeOp>> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };
const COMPARE: Readonly<Record<CmpOp, CompareOp>> = { "==": "eq", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };

/** A value used as a condition: where it is `true` (or `false`). */
export function truth(f: Form, want: boolean): Query {
  switch (f.k) {
    case "bool":
      return want ? f.t : f.f;
    case "lit":
      if (f.value.type === "boolean") return f.value.value === want ? ALL : NONE;
      if (f.value.type === "null") return NONE;
      return refuse("esql/not-a-condition", "a constant that is not a boolean cannot be a condition", f.span);
    case "field":
      if (f.fold !== "none") return refuse("esql/not-a-condition", "a string cannot be a condition", f.span);
      return withSpan({ kind: "match", field: f.field, value: { kind: "boolean", value: want }, caseSensitive: true }, f.span);
    case "choice":
      return mkOr(f.branches.map((b) => mkAnd([b.guard, truth(b.form, want)])));
    case "expr":
    case "locate":
    case "locateField":
    case "replaceCount":
      return refuse("esql/not-a-condition", "this expression is not a condition the IR can hold", f.span);
  }
}

/** Where the value is not NULL. */
export function notNull(f: Form): Query {
  switch (f.k) {
    case "field":
      // `TO_DOUBLE(f)` has a value where `f` has a number (or numeric text): the IR's ranges test
      // exactly that; `TO_IP(f)` where `f` holds an address: a CIDR test of every address.
      if (f.conv === "number") return mkOr([withSpan<Query>({ kind: "range", field: f.field, op: "gte", value: ZERO }, f.span), withSpan<Query>({ kind: "range", field: f.field, op: "lt", value: ZERO }, f.span)]);
      if (f.conv === "ip") return mkOr(["0.0.0.0/0", "::/0"].map((cidr) => withSpan<Query>({ kind: "cidr", field: f.field, cidr }, f.span)));
      if (f.conv === "integer" || f.conv === "long") return wholeDomain(f.field, f.conv, f.span);
      return withSpan({ kind: "exists", field: f.field }, f.span);
    case "lit":
      return f.value.type === "null" ? NONE : ALL;
    case "choice":
      return mkOr(f.branches.map((b) => mkAnd([b.guard, notNull(b.form)])));
    case "bool":
      return mkOr([f.t, f.f]);
    case "expr":
      return withSpan({ kind: "compare", op: "neq", left: f.expr, right: { kind: "literal", value: { kind: "null" } } }, f.span);
    case "locate":
    case "replaceCount":
      return notNull(f.subject);
    case "locateField":
      return mkAnd([withSpan<Query>({ kind: "exists", field: f.subject }, f.span), withSpan<Query>({ kind: "exists", field: f.needle }, f.span)]);
  }
}

// ---- values -------------------------------------------------------------------------------------

export function formOf(e: EsqlExpr, cx: CondContext): Form {
  switch (e.t) {
    case "field":
      return { k: "field", field: e.name, fold: "none", span: e.span };
    case "lit":
      return { k: "lit", value: e.value, span: e.span };
    case "paren":
      return formOf(e.inner, cx);
    case "neg": {
      const inner = formOf(e.operand, cx);
      if (inner.k === "lit" && (inner.value.type === "integer" || inner.value.type === "decimal")) {
        const raw = inner.value.raw.startsWith("-") ? inner.value.raw.slice(1) : `-${inner.value.raw}`;
        return { k: "lit", value: { ...inner.value, value: -inner.value.value, raw }, span: e.span };
      }
      return { k: "expr", expr: { kind: "arith", op: "-", left: { kind: "literal", value: { kind: "number", value: 0, raw: "0" } }, right: exprOf(inner) }, span: e.span };
    }
    case "cast": {
      const conv = CONVERSIONS[e.type];
      if (conv === undefined) return refuse("esql/unsupported-cast", `a \`::${e.type}\` cast has no IR form`, e.span);
      return converted(formOf(e.operand, cx), conv, e.span);
    }
    case "arith": {
      const count = replaceCount(e);
      if (count) return countForm(count, e.span, cx);
      return { k: "expr", expr: { kind: "arith", op: e.op, left: exprOf(formOf(e.left, cx)), right: exprOf(formOf(e.right, cx)) }, span: e.span };
    }
    case "call":
      return callForm(e, cx);
    case "timespan":
      return refuse("esql/time-value", "a time span has no IR form here", e.span);
    case "cmp":
    case "and":
    case "or":
    case "not":
    case "like":
    case "in":
    case "isnull":
    case "match":
      return { k: "bool", t: isTrue(e, cx), f: isFalse(e, cx), span: e.span };
  }
}

function callForm(e: Extract<EsqlExpr, { t: "call" }>, cx: CondContext): Form {
  refuseExtracted(e);
  const args = e.args;
  const conv = CONVERSIONS[e.name];
  if (conv !== undefined && args.length === 1) return converted(formOf(args[0]!, cx), conv, e.span);
  switch (e.name) {
    case "to_lower":
    case "to_upper":
      if (args.length !== 1) break;
      return folded(formOf(args[0]!, cx), e.name === "to_lower" ? "lower" : "upper", e.span);
    case "url_decode":
      // The IR's `urlDecode` (Java's URLDecoder, NULL where it fails), of a field as it is.
      if (args.length !== 1) break;
      return { k: "expr", expr: { kind: "call", name: "urlDecode", caseInsensitive: false, args: [exprOf(formOf(args[0]!, cx))] }, span: e.span };
    case "coalesce": {
      const forms = args.map((a) => formOf(a, cx));
      const branches = forms.map((form, i) => ({ guard: mkAnd([...forms.slice(0, i).map((p) => mkNot(notNull(p))), notNull(form)]), form }));
      return choice(branches, e.span);
    }
    case "case": {
      if (args.length > 2 * MAX_BRANCHES) return refuse("esql/too-complex", `a CASE of more than ${MAX_BRANCHES} branches`, e.span);
      const branches: { guard: Query; form: Form }[] = [];
      const before: Query[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        // CASE takes a NULL condition as false.
        const cond = isTrue(args[i]!, cx);
        branches.push({ guard: mkAnd([...before, cond]), form: formOf(args[i + 1]!, cx) });
        before.push(mkNot(cond));
      }
      if (args.length % 2 === 1) branches.push({ guard: mkAnd(before), form: formOf(args[args.length - 1]!, cx) });
      return choice(branches, e.span);
    }
    case "space": {
      const n = args[0]?.t === "lit" && args[0].value.type === "integer" ? args[0].value.value : undefined;
      if (n === undefined || args.length !== 1 || n < 0 || n > 10_000) break;
      return { k: "lit", value: { type: "string", value: " ".repeat(n) }, span: e.span };
    }
    case "locate": {
      const [subject, sub] = args;
      const needle = sub ? formOf(sub, cx) : undefined;
      if (args.length === 2 && subject && needle?.k === "field" && needle.fold === "none" && needle.conv === undefined) {
        const f = formOf(joinedValues(subject, needle.field) ?? subject, cx);
        if (f.k === "field" && f.fold === "none" && f.conv === undefined) return { k: "locateField", subject: f.field, needle: needle.field, span: e.span };
      }
      if (args.length !== 2 || !subject || needle?.k !== "lit" || needle.value.type !== "string") break;
      return { k: "locate", subject: formOf(subject, cx), text: needle.value.value, span: e.span };
    }
    case "json_extract": {
      // `JSON_EXTRACT(_source, "a.b")` reads the document's own `a.b`, as the field does.
      const [src, path] = args;
      if (args.length === 2 && src?.t === "field" && src.name === "_source" && path?.t === "lit" && path.value.type === "string" && /^[^.$[\]]+(\.[^.$[\]]+)*$/.test(path.value.value)) {
        return { k: "field", field: path.value.value, fold: "none", span: e.span };
      }
      break;
    }
    case "starts_with":
    case "ends_with":
    case "contains":
    case "cidr_match":
    case "kql":
    case "qstr":
    case "match":
      return { k: "bool", t: boolCall(e, cx, true), f: boolCall(e, cx, false), span: e.span };
    default: {
      const ir = ARITH_CALLS[e.name];
      if (e.name === "length" && args.length === 1) {
        const f = formOf(args[0]!, cx);
        if (f.k === "field" && f.fold === "lower" && f.conv === undefined) {
          // Java's lower-casing changes a length only for U+0130 (SpecialCasing: `İ` → `i̇`, two code points).
          cx.warnings.set(`esql/length-lower-cased ${e.span.start}`, { code: "esql/length-lower-cased", span: e.span,
            message: `\`LENGTH(TO_LOWER(${f.field}))\` is read as the length of \`${f.field}\`: they differ only by the \`İ\` (U+0130) it holds, which lower-cases to two characters` });
          return { k: "expr", expr: { kind: "call", name: "charLength", caseInsensitive: false, args: [exprOf({ ...f, fold: "none" })] }, span: e.span };
        }
      }
      if (ir && args.length >= ir.min && args.length <= ir.max) {
        return { k: "expr", expr: { kind: "call", name: ir.name, caseInsensitive: false, args: args.map((a) => exprOf(formOf(a, cx))) }, span: e.span };
      }
    }
  }
  if (e.name === "now") {
    return refuse("esql/time-dependent", "the condition compares with the time of the search (`NOW()`), which the IR cannot hold", e.span,
      "the IR reads `@timestamp >= NOW() - <span>` before STATS, as the rule's look-back");
  }
  return refuse("esql/unsupported-function", `the function \`${e.name.toUpperCase()}\` has no IR form`, e.span,
    "the IR holds string, pattern, CIDR and null tests, LENGTH and CONCAT; Elastic keeps the query as written");
}

function countForm(count: ReplaceCount, span: Span, cx: CondContext): Form {
  const subject = formOf(count.subject, cx);
  if (subject.k !== "field" || subject.fold !== "none" || subject.conv !== undefined) return refuse("esql/unsupported-function", "`REPLACE` counting matches is read only on a field", count.subject.span);
  return { k: "replaceCount", count, subject, span };
}

/** A conversion applied to a value (see CONVERSIONS). */
function converted(f: Form, conv: Conversion, at: Span): Form {
  switch (f.k) {
    case "field":
      if (conv === "string") return f;
      if (f.fold !== "none" || (f.conv !== undefined && f.conv !== conv)) return refuse("esql/unsupported-function", "this chain of conversions has no IR form", at);
      if ((conv === "integer" || conv === "long") && ecsFieldType(f.field) === "boolean") {
        // TO_INTEGER(true) is 1, which the IR's ranges (numbers and numeric text) do not read.
        return refuse("esql/unsupported-function", `\`TO_${conv.toUpperCase()}\` of a boolean field has no IR form`, at);
      }
      return { ...f, conv };
    case "lit":
      // A constant rounded or range-checked would need its own value: only whole numbers in range pass as they are.
      if ((conv === "integer" || conv === "long") && !(f.value.type === "integer" && f.value.value >= WHOLE_RANGE[conv][0] && f.value.value <= WHOLE_RANGE[conv][1])) {
        return refuse("esql/unsupported-function", `\`TO_${conv.toUpperCase()}\` of this constant has no IR form`, at);
      }
      return f;
    case "choice":
      return { ...f, branches: f.branches.map((b) => ({ guard: b.guard, form: converted(b.form, conv, at) })) };
    default:
      if (conv === "string") return f;
      return refuse("esql/unsupported-function", "a conversion of this value has no IR form", at);
  }
}

function folded(f: Form, fold: Fold, at: Span): Form {
  switch (f.k) {
    case "field":
      if (f.conv !== undefined) return refuse("esql/unsupported-function", `\`TO_${fold.toUpperCase()}\` of a converted value has no IR form`, at);
      return { ...f, fold };
    case "lit":
      if (f.value.type !== "string") return f;
      return { ...f, value: { type: "string", value: fold === "lower" ? f.value.value.toLowerCase() : f.value.value.toUpperCase() } };
    case "choice":
      return { ...f, branches: f.branches.map((b) => ({ guard: b.guard, form: folded(b.form, fold, at) })) };
    case "expr":
      // TO_LOWER of a decoded value: the IR's `toLower`, Unicode's default lower-casing as Java's.
      if (fold === "lower" && textExpr(f.expr)) return { k: "expr", expr: { kind: "call", name: "toLower", caseInsensitive: false, args: [f.expr] }, span: at };
      return refuse("esql/unsupported-function", `\`TO_${fold.toUpperCase()}\` of this value has no IR form`, at);
    default:
      return refuse("esql/unsupported-function", `\`TO_${fold.toUpperCase()}\` of this value has no IR form`, at);
  }
}

/** An IR expression for a value (LENGTH, arithmetic, comparisons between them). */
function exprOf(f: Form): Expr {
  switch (f.k) {
    case "field":
      if (f.fold !== "none" || f.conv !== undefined) return refuse("esql/unsupported-function", "a case-folded or converted value has no IR expression form", f.span);
      return { kind: "field", field: f.field, optional: false };
    case "lit":
      return { kind: "literal", value: irValue(f.value, f.span) };
    case "expr":
      return f.expr;
    default:
      return refuse("esql/unsupported-expression", "this value has no IR expression form", f.span);
  }
}

// ---- comparisons --------------------------------------------------------------------------------

/** Where `l op r` is TRUE. Both sides must have a value, so every branch implies presence. */
/** Plain alternatives of a value: a choice of choices counts the product. */
function alternatives(f: Form): number {
  return f.k === "choice" ? f.branches.reduce((n, b) => n + alternatives(b.form), 0) : 1;
}

function choice(branches: { guard: Query; form: Form }[], span: Span): Form {
  const f: Form = { k: "choice", branches, span };
  if (alternatives(f) > MAX_BRANCHES) return refuse("esql/too-complex", `the value has more than ${MAX_BRANCHES} alternatives (CASE and COALESCE within each other)`, span);
  return f;
}

export function compare(op: CmpOp, l: Form, r: Form, at: Span): Query {
  if (alternatives(l) * alternatives(r) > MAX_BRANCHES) return refuse("esql/too-complex", `the comparison has more than ${MAX_BRANCHES} alternatives`, at);
  if (l.k === "locate" || r.k === "locate" || l.k === "locateField" || r.k === "locateField") return compareLocate(op, l, r, at);
  if (l.k === "replaceCount" || r.k === "replaceCount") {
    const [c, other] = l.k === "replaceCount" ? [l, r] : [r, l];
    const n = other.k === "lit" && other.value.type === "integer" ? other.value.value : undefined;
    if (c.k !== "replaceCount" || n === undefined) return refuse("esql/unsupported-function", "a count of `REPLACE` marks is read only when compared with a whole number", at);
    return compareReplaceCount(c.count, c.subject.field, notNull(c.subject), op, n, l.k === "replaceCount", at);
  }
  if (l.k === "choice") return mkOr(l.branches.map((b) => mkAnd([b.guard, compare(op, b.form, r, at)])));
  if (r.k === "choice") return mkOr(r.branches.map((b) => mkAnd([b.guard, compare(op, l, b.form, at)])));
  if (l.k === "lit" && r.k !== "lit") return compare(FLIP[op], r, l, at);
  if (l.k === "bool" || r.k === "bool") return compareBool(op, l, r, at);
  if (l.k === "lit" && r.k === "lit") return constantCompare(op, l.value, r.value, at);
  if (l.k === "field" && r.k === "lit") return compareField(op, l, r.value, at);
  if (l.k === "field" && r.k === "field") {
    if (l.conv !== undefined || r.conv !== undefined) return refuse("esql/unsupported-expression", "a comparison of two converted fields has no IR form", at);
    if (op === "==" || op === "!=") {
      if (l.fold !== r.fold) {
        return refuse("esql/mixed-case-fold", "a comparison of fields folded to different cases has no IR form", at);
      }
      const ref = withSpan<Query>({ kind: "fieldref", field: l.field, other: r.field, caseSensitive: l.fold === "none" }, at);
      return op === "==" ? ref : mkAnd([notNull(l), notNull(r), mkNot(ref)]);
    }
  }
  const left = exprOf(l);
  const right = exprOf(r);
  const cmp = withSpan<Query>({ kind: "compare", op: COMPARE[op], left, right }, at);
  // An IR `neq` also holds where a side is null; ES|QL's is NULL there.
  return op === "!=" ? mkAnd([notNull(l), notNull(r), cmp]) : cmp;
}

/** Two constants (a CASE branch compared with a number): decided here. */
function constantCompare(op: CmpOp, a: EsqlLiteral, b: EsqlLiteral, at: Span): Query {
  if (a.type === "null" || b.type === "null") return NONE;
  const num = (v: EsqlLiteral) => (v.type === "integer" || v.type === "decimal" ? v.value : undefined);
  let c: number;
  if (num(a) !== undefined && num(b) !== undefined) c = num(a)! - num(b)!;
  else if (a.type === "string" && b.type === "string") c = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  else if (a.type === "boolean" && b.type === "boolean") c = Number(a.value) - Number(b.value);
  else return refuse("esql/constant-condition", "a comparison of constants of different types", at);
  const holds = { "==": c === 0, "!=": c !== 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[op];
  return holds ? ALL : NONE;
}

/** `LOCATE(f, "s") > 0` (and `>= 1`, `!= 0`) says `f` contains `s`; `== 0` that it does not. */
function compareLocate(op: CmpOp, l: Form, r: Form, at: Span): Query {
  const [loc, other, o] = l.k === "locate" || l.k === "locateField" ? [l, r, op] : [r, l, FLIP[op]];
  const n = other.k === "lit" && other.value.type === "integer" ? other.value.value : undefined;
  if ((loc.k !== "locate" && loc.k !== "locateField") || n === undefined) return refuse("esql/unsupported-function", "`LOCATE` is read only when compared with 0 or 1", at);
  const found = o === ">" ? n === 0 : o === ">=" ? n === 1 : o === "!=" ? n === 0 : undefined;
  const missing = (o === "==" && n === 0) || (o === "<" && n === 1) || (o === "<=" && n === 0);
  if (found === undefined && !missing) return refuse("esql/unsupported-function", "`LOCATE` is read only as a test of whether it found the text", at);
  if (loc.k === "locateField") {
    // The IR's stringContains is false (not NULL) where a side is missing: the NULL case is left to the presence tests.
    const hit = withSpan<Query>({ kind: "predicate", expr: { kind: "call", name: "stringContains", caseInsensitive: false, args: [{ kind: "field", field: loc.subject, optional: false }, { kind: "field", field: loc.needle, optional: false }] } }, at);
    return found ? hit : mkAnd([withSpan<Query>({ kind: "exists", field: loc.subject }, at), withSpan<Query>({ kind: "exists", field: loc.needle }, at), mkNot(hit)]);
  }
  const parts: Part[] = loc.text === "" ? [{ kind: "any" }] : [{ kind: "any" }, { kind: "text", value: loc.text }, { kind: "any" }];
  const hit = affixTest(loc.subject, parts, at);
  return found ? hit : mkAnd([notNull(loc.subject), mkNot(hit)]);
}

function compareBool(op: CmpOp, l: Form, r: Form, at: Span): Query {
  const [b, other] = l.k === "bool" ? [l, r] : [r, l];
  if (b.k !== "bool" || other.k !== "lit" || other.value.type !== "boolean" || (op !== "==" && op !== "!=")) {
    return refuse("esql/unsupported-expression", "a condition compared with something other than true or false", at);
  }
  return (op === "==") === other.value.value ? b.t : b.f;
}

function compareField(op: CmpOp, f: Extract<Form, { k: "field" }>, v: EsqlLiteral, at: Span): Query {
  if (v.type === "null") return NONE; // `f == null` is NULL whatever `f` holds
  if (op === "!=") return mkAnd([notNull(f), mkNot(compareField("==", f, v, at))]);
  if (f.conv === "integer" || f.conv === "long") return compareWhole(op, f.field, f.conv, v, at);
  if (f.conv === "number") {
    if (v.type !== "integer" && v.type !== "decimal") return refuse("esql/unsupported-expression", "a number compared with a value that is no number", at);
    const value = irValue(v, at);
    // Equal as numbers (`"5.0"` is 5), which the IR's match (by text) is not: both bounds.
    if (op === "==") return mkAnd([withSpan<Query>({ kind: "range", field: f.field, op: "gte", value }, at), withSpan<Query>({ kind: "range", field: f.field, op: "lte", value }, at)]);
    return withSpan({ kind: "range", field: f.field, op: RANGE[op] ?? "lt", value }, at);
  }
  if (f.conv === "ip") {
    const ip = v.type === "string" ? v.value : undefined;
    if (op !== "==" || ip === undefined || /\//.test(ip)) return refuse("esql/unsupported-expression", "an address is read only when compared with `==` to one address", at);
    return withSpan({ kind: "cidr", field: f.field, cidr: `${ip}/${ip.includes(":") ? 128 : 32}` }, at);
  }
  if (op === "==") {
    if (v.type === "string" && f.fold !== "none") {
      // `TO_LOWER(f) == "Abc"` can never hold: the folded value has no upper-case letter.
      if (refold(v.value, f.fold) !== v.value) return NONE;
      return withSpan({ kind: "match", field: f.field, value: irValue(v, at), caseSensitive: false }, at);
    }
    return withSpan({ kind: "match", field: f.field, value: irValue(v, at), caseSensitive: true }, at);
  }
  if (f.fold !== "none") return refuse("esql/unsupported-expression", "an ordering of a case-folded value has no IR form", at);
  if (v.type === "boolean" || v.type === "list") return refuse("esql/unsupported-expression", `a range bound cannot be a ${v.type}`, at);
  return withSpan({ kind: "range", field: f.field, op: RANGE[op] ?? "lt", value: irValue(v, at) }, at);
}

export function refold(s: string, fold: Fold): string {
  return fold === "lower" ? s.toLowerCase() : fold === "upper" ? s.toUpperCase() : s;
}

/**
 * Where `TO_INTEGER(f)` (`TO_LONG(f)`) has a value: `f` is a number, or numeric text, within the
 * type's range (Java compares the double with its bounds before rounding).
 */
function wholeDomain(field: string, conv: "integer" | "long", at: Span): Query {
  const [lo, hi] = WHOLE_RANGE[conv];
  return mkAnd([withSpan<Query>({ kind: "range", field, op: "gte", value: numberValue(lo) }, at), withSpan<Query>({ kind: "range", field, op: "lte", value: numberValue(hi) }, at)]);
}

/**
 * `TO_INTEGER(f) op n`: the conversion rounds half up (Java's `Math.round`, as JavaScript's), so
 * `round(x) <= n` is `x < floor(n) + 0.5`, `round(x) < n` is `x < ceil(n) - 0.5`, `round(x) >= n`
 * is `x >= ceil(n) - 0.5`, `round(x) > n` is `x >= floor(n) + 0.5`, and `round(x) == n` is `n - 0.5
 * <= x < n + 0.5` for a whole n (never otherwise); each beside the range the conversion has a
 * value in. Bounds past 2^52 would lose the half in a double: refused.
 */
function compareWhole(op: Exclude<CmpOp, "!=">, field: string, conv: "integer" | "long", v: EsqlLiteral, at: Span): Query {
  if (v.type !== "integer" && v.type !== "decimal") return refuse("esql/unsupported-expression", "a whole number compared with a value that is no number", at);
  const n = v.value;
  if (!Number.isFinite(n) || Math.abs(n) >= 2 ** 52) return refuse("esql/unsupported-expression", `a bound of \`TO_${conv.toUpperCase()}\` this large has no exact IR form`, at);
  const [lo, hi] = WHOLE_RANGE[conv];
  const bound = (o: RangeOp, x: number) => withSpan<Query>({ kind: "range", field, op: o, value: numberValue(x) }, at);
  // [lower, upper): the values of x that pass, before the range check.
  const [lower, upper] =
    op === "<=" ? [undefined, Math.floor(n) + 0.5]
    : op === "<" ? [undefined, Math.ceil(n) - 0.5]
    : op === ">=" ? [Math.ceil(n) - 0.5, undefined]
    : op === ">" ? [Math.floor(n) + 0.5, undefined]
    : Number.isInteger(n) ? [n - 0.5, n + 0.5]
    : [Infinity, undefined];
  if (lower === Infinity || (lower !== undefined && lower > hi) || (upper !== undefined && upper <= lo)) return NONE;
  // The range check's bound is left out where the rounding's bound is tighter.
  return mkAnd([
    lower === undefined || lower <= lo ? bound("gte", lo) : bound("gte", lower),
    ...(upper !== undefined && upper <= hi ? [bound("lt", upper)] : [bound("lte", hi)]),
  ]);
}

function numberValue(x: number): Extract<Value, { kind: "number" }> {
  return { kind: "number", value: x, raw: String(x) };
}

/** An IR expression whose value is text the IR can lower-case and match with LIKE and RLIKE: a URL-decoded field, lower-cased or not. */
export function textExpr(e: Expr): boolean {
  return e.kind === "call" && (e.name === "urlDecode" || (e.name === "toLower" && e.args.length === 1 && textExpr(e.args[0]!)));
}

/**
 * `MV_CONCAT(f, sep)` searched for an ECS ip field's value (its text holds only hex digits, `.`
 * and `:`; `sep` none of them): it cannot be found across a separator, so it is in the joined text
 * exactly when it is in one value of `f`, as the IR's stringContains reads a multi-valued `f`.
 * The field `f`, or undefined for any other expression.
 */
export function joinedValues(e: EsqlExpr, needle: string): EsqlExpr | undefined {
  const c = e.t === "paren" ? e.inner : e;
  if (c.t !== "call" || c.name !== "mv_concat" || c.args.length !== 2) return undefined;
  const sep = c.args[1]!;
  if (sep.t !== "lit" || sep.value.type !== "string" || sep.value.value === "" || /[0-9A-Fa-f.:]/.test(sep.value.value)) return undefined;
  return ecsFieldType(needle) === "ip" ? c.args[0] : undefined;
}
