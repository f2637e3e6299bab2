/**
 * How one IR test is written in ES|QL, in both polarities. ES|QL logic has three values: a test
 * of a field with no value is NULL, and `WHERE` drops NULL like FALSE, but `NOT NULL` is NULL. The
 * printer pushes `not` down to the tests (negation normal form) and writes a negated test so that
 * it is TRUE where the field has no value, as the IR's `not` is: `f != "x" OR f IS NULL` (the
 * form Elastic's "NULL values" guide recommends). A positive test may stay NULL there: under
 * AND/OR alone, NULL acts as FALSE.
 *
 * Field types decide the spelling. A string value is compared as a string (`==`, `LIKE`,
 * `RLIKE`); a number or boolean against a field of unknown type through `TO_STRING(f)`, and a
 * number range through `TO_DOUBLE(f)`, which hold for keyword and numeric fields alike; a CIDR
 * block through `TO_IP(f)` unless the field is known to be an `ip`.
 */
import type { Expr, NodeOf, Part, Query, Value } from "../../ir/query.js";
import { javaRegexToPcre } from "../regex/java-regex.js";
import { pcreToLucene } from "../regex/pcre-to-lucene.js";
import type { PrintIssue } from "../print-result.js";
import { ECS_FLOAT_TYPES, ecsFieldType } from "../ecs-field-types.js";
import { likePattern, quoteEsqlField, quoteEsqlRaw, quoteEsqlString } from "./esql-escape.js";
import { lowerRegex } from "./esql-regex-case.js";

/** What the printer may know of a field's mapping; `undefined` when it does not. */
export type EsqlFieldType = "keyword" | "text" | "number" | "ip" | "boolean" | "date";

export interface LeafContext {
  readonly issues: PrintIssue[];
  readonly fieldType: (field: string) => EsqlFieldType | undefined;
  /** Fields whose tests see one value per row (single-valued, or expanded with MV_EXPAND). */
  readonly oneValue: (field: string) => boolean;
  /** Fields a sibling test already requires to have a value: their negated tests need no NULL case. */
  readonly present?: (field: string) => boolean;
}

/** A printed condition and whether it can be NULL (then it must not stand under `NOT`). */
export interface Cond {
  readonly text: string;
  readonly prec: number;
}

export const PREC = { or: 1, and: 2, not: 3, atom: 4 } as const;

export function atom(text: string): Cond {
  return { text, prec: PREC.atom };
}

/** `a OR b` where a negated test adds its NULL case. */
function orNull(test: string, ...nullables: string[]): Cond {
  const alts = [test, ...nullables.map((n) => `${n} IS NULL`)];
  return alts.length === 1 ? atom(test) : { text: alts.join(" OR "), prec: PREC.or };
}

/** A negated test of one field: no NULL case where a sibling test requires the field. */
function negatedOf(cx: LeafContext, field: string, test: string, nullable: string): Cond {
  return cx.present?.(field) ? atom(test) : orNull(test, nullable);
}


export function issue(cx: LeafContext, node: Query, code: string, reason: string, severity: PrintIssue["severity"] = "error"): void {
  cx.issues.push({ severity, code, reason, node });
}

export function numberLiteral(v: Extract<Value, { kind: "number" }>): string {
  return numberText(v);
}

function numberText(v: Extract<Value, { kind: "number" }>): string {
  return /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(v.raw) && Number(v.raw) === v.value ? v.raw : String(v.value);
}

function textOf(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
}

function hasCase(s: string): boolean {
  return s.toLowerCase() !== s.toUpperCase();
}

/** Warns when a test reads one value of a field that may hold several (see the printer's header). */
function oneValueOnly(cx: LeafContext, node: Query, ...fields: string[]): void {
  const multi = fields.filter((f) => !cx.oneValue(f));
  if (multi.length === 0) return;
  issue(cx, node, "esql/multi-value",
    `on an event where ${multi.map((f) => `\`${f}\``).join(" or ")} holds several values, ES|QL's test is NULL and the event is not matched; the IR matches when any value does`,
    "warning");
}

/**
 * The field as a string operand: `f`, or `TO_STRING(f)` for a numeric or boolean field. On an ECS
 * floating-point field that text is not the event's: ES|QL writes a whole value as `5.0` where the
 * event said `5`, so a text pattern would test other characters; refused.
 */
function stringOperand(cx: LeafContext, field: string, node: Query): string {
  const t = cx.fieldType(field);
  const f = quoteEsqlField(field);
  if (t === "number" && ECS_FLOAT_TYPES.has(ecsFieldType(field) ?? "")) {
    issue(cx, node, "esql/float-text", `\`${field}\` is a floating-point field: ES|QL's TO_STRING writes a whole value with a fraction ("5.0"), so a text pattern would not test the event's own value`);
  }
  return t === "number" || t === "boolean" || t === "date" ? `TO_STRING(${f})` : f;
}

/** The test a positive (or, `negated`, a negative) leaf prints as. */
export function leaf(q: Query, negated: boolean, cx: LeafContext): Cond {
  switch (q.kind) {
    case "match":
      return matchCond(q, negated, cx);
    case "exists":
      return atom(`${quoteEsqlField(q.field)} ${negated ? "IS NULL" : "IS NOT NULL"}`);
    case "range":
      return rangeCond(q, negated, cx);
    case "regex":
      return regexCond(q, negated, cx);
    case "cidr":
      return cidrCond(q, [q.cidr], negated, cx);
    case "fieldref":
      return fieldrefCond(q, negated, cx);
    case "compare":
      return compareCond(q, negated, cx);
    case "predicate": {
      const e = exprText(q.expr, q, cx);
      // LIKE and RLIKE are NULL exactly where their operand is: `NOT x LIKE "p" OR x IS NULL`.
      const c = q.expr;
      const nullable = c.kind === "call" && (c.name === "like" || c.name === "rlike") && c.args[0] ? exprText(c.args[0], q, cx) : e;
      return negated ? orNull(`NOT ${e}`, nullable) : atom(e);
    }
    case "all":
      return atom(negated ? "false" : "true");
    case "none":
      return atom(negated ? "true" : "false");
    case "keyword":
      if (q.textField !== undefined) return keywordInField(q, q.textField, negated, cx);
      issue(cx, q, "esql/keyword", "ES|QL has no search for characters over every field (KQL() and QSTR() search words of analysed fields), and no field is named where the rule's log source keeps the event's text (for Sigma rules, mappings/sigma-ecs.yaml `keywords`)");
      return atom("false");
    case "nested":
      issue(cx, q, "esql/nested", "ES|QL cannot test fields of one nested object together");
      return atom("false");
    case "opaque":
      issue(cx, q, "esql/opaque", `a ${q.language} query kept as text cannot be part of an ES|QL condition`);
      return atom("false");
    default:
      issue(cx, q, `esql/${q.kind}`, `a ${q.kind} cannot stand inside an ES|QL condition`);
      return atom("false");
  }
}

function matchCond(q: NodeOf<"match">, negated: boolean, cx: LeafContext): Cond {
  const f = quoteEsqlField(q.field);
  const v = q.value;
  if (v.kind === "null") return atom(`${f} ${negated ? "IS NOT NULL" : "IS NULL"}`);
  oneValueOnly(cx, q, q.field);
  const t = cx.fieldType(q.field);
  if (v.kind === "number") {
    if (t === "number") return negated ? negatedOf(cx, q.field, `${f} != ${numberText(v)}`, f) : atom(`${f} == ${numberText(v)}`);
    if (t === "boolean" || t === "ip" || t === "date") return atom(negated ? "true" : "false");
    // The IR matches a numeric value equal to it, or the text of its source or canonical spelling.
    const texts = [...new Set([v.raw, String(v.value)])].map(quoteEsqlString);
    const operand = `TO_STRING(${f})`;
    return texts.length === 1 ? negated ? negatedOf(cx, q.field, `${operand} != ${texts[0]}`, f) : atom(`${operand} == ${texts[0]}`)
      : negated ? negatedOf(cx, q.field, `${operand} NOT IN (${texts.join(", ")})`, f) : atom(`${operand} IN (${texts.join(", ")})`);
  }
  if (v.kind === "boolean") {
    if (t === "boolean") return negated ? negatedOf(cx, q.field, `${f} != ${v.value}`, f) : atom(`${f} == ${v.value}`);
    if (t === "number" || t === "ip" || t === "date") return atom(negated ? "true" : "false");
    const operand = q.caseSensitive ? `TO_STRING(${f})` : `TO_LOWER(TO_STRING(${f}))`;
    return negated ? negatedOf(cx, q.field, `${operand} != "${v.value}"`, f) : atom(`${operand} == "${v.value}"`);
  }
  const text = textOf(v.parts);
  const wild = v.parts.some((p) => p.kind !== "text");
  const fold = !q.caseSensitive && v.parts.some((p) => p.kind === "text" && hasCase(p.value));
  const s = stringOperand(cx, q.field, q);
  const operand = fold ? `TO_LOWER(${s})` : s;
  if (!wild) {
    const lit = quoteEsqlString(fold ? text.toLowerCase() : text);
    return negated ? negatedOf(cx, q.field, `${operand} != ${lit}`, f) : atom(`${operand} == ${lit}`);
  }
  const pattern = quoteEsqlRaw(likePattern(v.parts, fold ? (x) => x.toLowerCase() : undefined));
  return negated ? negatedOf(cx, q.field, `${operand} NOT LIKE ${pattern}`, f) : atom(`${operand} LIKE ${pattern}`);
}

/**
 * A keyword whose log source keeps the event's text in one field (`textField`, from the mapping):
 * ES|QL has no search over every field, so the value is searched as characters inside that field,
 * which is narrower than the keyword's every field. Said once per field as a warning.
 */
function keywordInField(q: NodeOf<"keyword">, field: string, negated: boolean, cx: LeafContext): Cond {
  const v = q.value;
  const parts: Part[] = v.kind === "string" ? [...v.parts] : [{ kind: "text", value: v.kind === "number" ? numberText(v) : v.kind === "boolean" ? String(v.value) : "" }];
  if (parts[0]?.kind !== "any") parts.unshift({ kind: "any" });
  if (parts[parts.length - 1]?.kind !== "any") parts.push({ kind: "any" });
  const code = "esql/keyword-in-field";
  if (!cx.issues.some((i) => i.code === code && i.node.kind === "keyword" && i.node.textField === field)) {
    issue(cx, q, code,
      `ES|QL cannot search every field: the rule's keywords are searched as characters in \`${field}\` only, where its log source keeps the event's text; text the integration moved to other fields and left out of \`${field}\` is not searched`,
      "warning");
  }
  return matchCond({ kind: "match", field, value: { kind: "string", parts }, caseSensitive: q.caseSensitive, ...(q.span ? { span: q.span } : {}) }, negated, cx);
}

const RANGE_OP = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;
const RANGE_NOT = { lt: ">=", lte: ">", gt: "<=", gte: "<" } as const;
const SPAN_UNIT = { s: "seconds", m: "minutes", h: "hours", d: "days" } as const;

function rangeCond(q: NodeOf<"range">, negated: boolean, cx: LeafContext): Cond {
  const f = quoteEsqlField(q.field);
  const v = q.value;
  const t = cx.fieldType(q.field);
  let operand: string;
  let bound: string;
  if (v.kind === "number") {
    operand = t === "number" ? f : `TO_DOUBLE(${f})`;
    bound = numberText(v);
  } else if (v.kind === "string" && !v.parts.some((p) => p.kind !== "text")) {
    // A text bound orders text; a number never lies in such a range.
    if (t === "number" || t === "boolean") return atom(negated ? "true" : "false");
    const text = textOf(v.parts);
    const ago = /^now-([1-9][0-9]{0,8})([smhd])$/.exec(text);
    if (ago && (q.field === "@timestamp" || t === "date")) {
      // Date math back from the time of the search: ES|QL's NOW() less a time span.
      operand = f;
      bound = `NOW() - ${ago[1]} ${SPAN_UNIT[ago[2] as keyof typeof SPAN_UNIT]}`;
    } else if (/^now\b/.test(text) || text.includes("||")) {
      issue(cx, q, "esql/date-math", `the date math "${text}" is not written in ES|QL`);
      return atom("false");
    } else {
      operand = f;
      bound = quoteEsqlString(text);
    }
  } else {
    issue(cx, q, "esql/range-bound", `a range bound cannot be ${v.kind === "string" ? "a wildcard pattern" : v.kind}`);
    return atom("false");
  }
  if (!cx.oneValue(q.field)) {
    // Some value is above a lower bound when the largest is; below an upper one when the smallest is.
    const extreme = `${q.op === "gt" || q.op === "gte" ? "MV_MAX" : "MV_MIN"}(${operand})`;
    return negated ? orNull(`${extreme} ${RANGE_NOT[q.op]} ${bound}`, extreme) : atom(`${extreme} ${RANGE_OP[q.op]} ${bound}`);
  }
  if (!negated) return atom(`${operand} ${RANGE_OP[q.op]} ${bound}`);
  // `TO_DOUBLE(f)` is NULL on text that is no number, where the field is there all the same.
  return operand === f ? negatedOf(cx, q.field, `${operand} ${RANGE_NOT[q.op]} ${bound}`, f) : orNull(`${operand} ${RANGE_NOT[q.op]} ${bound}`, operand);
}

function regexCond(q: NodeOf<"regex">, negated: boolean, cx: LeafContext): Cond {
  if (q.multiline || q.dotAll) {
    issue(cx, q, "esql/regex-flags", "RLIKE has no multiline or dotAll flag");
    return atom("false");
  }
  let pattern = q.pattern;
  let caseSensitive = q.caseSensitive;
  if (q.dialect === "pcre") {
    const lucene = pcreToLucene(q.pattern);
    if (!lucene.ok) {
      const java = javaSearch(q);
      if (java !== undefined) return replaceSearch(q, java, negated, cx);
      issue(cx, q, "esql/regex-dialect", `the PCRE pattern cannot be said as a Lucene regex (RLIKE): ${lucene.reason}`);
      return atom("false");
    }
    pattern = lucene.pattern;
    caseSensitive = q.caseSensitive && !lucene.caseInsensitive;
  }
  oneValueOnly(cx, q, q.field);
  const s = stringOperand(cx, q.field, q);
  let operand = s;
  if (!caseSensitive) {
    const lowered = lowerRegex(pattern);
    if (lowered === undefined) {
      issue(cx, q, "esql/regex-case", "the regex cannot be lower-cased to match `TO_LOWER(field)` (a range mixing letters and other characters)");
      return atom("false");
    }
    pattern = lowered;
    operand = `TO_LOWER(${s})`;
  }
  const lit = quoteEsqlRaw(pattern);
  const f = quoteEsqlField(q.field);
  return negated ? negatedOf(cx, q.field, `${operand} NOT RLIKE ${lit}`, f) : atom(`${operand} RLIKE ${lit}`);
}

/**
 * A case-sensitive PCRE pattern that is also a Java regex of the same meaning (Java's reading of it
 * gives it back unchanged, src/query/regex/java-regex.ts) and never matches the empty string: the
 * Java text, for REPLACE. Undefined otherwise.
 */
function javaSearch(q: NodeOf<"regex">): string | undefined {
  if (!q.caseSensitive) return undefined;
  const back = javaRegexToPcre(q.pattern);
  if (!back.ok || back.value.pattern !== q.pattern || back.value.minLength === 0) return undefined;
  return q.pattern;
}

/**
 * A regex Lucene cannot say, as a search with REPLACE (Java's regex): removing the matches
 * shortens the value exactly when there is one, since none is empty. Read back by
 * esql-replace-count.ts (`replaceShortens`).
 */
function replaceSearch(q: NodeOf<"regex">, java: string, negated: boolean, cx: LeafContext): Cond {
  oneValueOnly(cx, q, q.field);
  const s = stringOperand(cx, q.field, q);
  const removed = `LENGTH(REPLACE(${s}, ${quoteEsqlRaw(java)}, ""))`;
  return negated ? negatedOf(cx, q.field, `${removed} == LENGTH(${s})`, quoteEsqlField(q.field)) : atom(`${removed} < LENGTH(${s})`);
}

/** `CIDR_MATCH(f, "a", "b")`: one call for a run of blocks on one field. */
export function cidrCond(q: Query & { readonly field: string }, blocks: readonly string[], negated: boolean, cx: LeafContext): Cond {
  const t = cx.fieldType(q.field);
  // Only text can be an address: a number or boolean is in no block.
  if (t === "number" || t === "boolean" || t === "date") return atom(negated ? "true" : "false");
  oneValueOnly(cx, q, q.field);
  const f = quoteEsqlField(q.field);
  const operand = t === "ip" ? f : `TO_IP(${f})`;
  const call = `CIDR_MATCH(${operand}, ${blocks.map(quoteEsqlString).join(", ")})`;
  if (!negated) return atom(call);
  // `TO_IP(f)` is NULL on text that is no address, where the field is there all the same.
  return operand === f ? negatedOf(cx, q.field, `NOT ${call}`, f) : orNull(`NOT ${call}`, operand);
}

function fieldrefCond(q: NodeOf<"fieldref">, negated: boolean, cx: LeafContext): Cond {
  oneValueOnly(cx, q, q.field, q.other);
  const sameType = cx.fieldType(q.field) !== undefined && cx.fieldType(q.field) === cx.fieldType(q.other);
  const side = (field: string) => {
    const plain = sameType && cx.fieldType(field) !== "number" ? quoteEsqlField(field) : `TO_STRING(${quoteEsqlField(field)})`;
    return q.caseSensitive ? plain : `TO_LOWER(${plain})`;
  };
  const a = side(q.field);
  const b = side(q.other);
  return negated ? orNull(`${a} != ${b}`, quoteEsqlField(q.field), quoteEsqlField(q.other)) : atom(`${a} == ${b}`);
}

const COMPARE_OP = { eq: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

/**
 * The IR's `compare` has EQL's null rules: `x == null` is a test for NULL, `x != y` holds where
 * one side is NULL and the other is not, and an ordering with NULL is false.
 */
function compareCond(q: NodeOf<"compare">, negated: boolean, cx: LeafContext): Cond {
  const nullLit = (e: Expr) => e.kind === "literal" && e.value.kind === "null";
  const isNeq = (q.op === "neq") !== negated;
  if (q.op === "eq" || q.op === "neq") {
    if (nullLit(q.right) || nullLit(q.left)) {
      const other = nullLit(q.right) ? q.left : q.right;
      return atom(`${exprText(other, q, cx)} ${isNeq ? "IS NOT NULL" : "IS NULL"}`);
    }
  }
  const l = exprText(q.left, q, cx);
  const r = exprText(q.right, q, cx);
  const nullable = [q.left, q.right].filter((e) => e.kind !== "literal").map((e) => exprText(e, q, cx));
  if (q.op === "eq" || q.op === "neq") {
    if (!isNeq) return atom(`${l} == ${r}`);
    if (nullable.length === 2) {
      // One side NULL and not the other, or both there and different.
      return { text: `${l} != ${r} OR (${l} IS NULL) != (${r} IS NULL)`, prec: PREC.or };
    }
    return orNull(`${l} != ${r}`, ...nullable);
  }
  if (!negated) return atom(`${l} ${COMPARE_OP[q.op]} ${r}`);
  return orNull(`NOT ${l} ${COMPARE_OP[q.op]} ${r}`, ...nullable);
}

/** ES|QL spellings of the IR's functions (EQL names); `~` (case-insensitive) variants fold both sides. */
const FUNCTIONS: Readonly<Record<string, (args: readonly string[], ci: boolean) => string | undefined>> = {
  length: ([a], ci) => (ci ? undefined : `LENGTH(${a})`),
  charLength: ([a], ci) => (ci ? undefined : `LENGTH(${a})`),
  concat: (args, ci) => (ci ? undefined : `CONCAT(${args.join(", ")})`),
  startsWith: ([a, b, ...more], ci) => (more.length ? undefined : ci ? `STARTS_WITH(TO_LOWER(${a}), TO_LOWER(${b}))` : `STARTS_WITH(${a}, ${b})`),
  endsWith: ([a, b, ...more], ci) => (more.length ? undefined : ci ? `ENDS_WITH(TO_LOWER(${a}), TO_LOWER(${b}))` : `ENDS_WITH(${a}, ${b})`),
  stringContains: ([a, b, ...more], ci) => (more.length ? undefined : ci ? `LOCATE(TO_LOWER(${a}), TO_LOWER(${b})) > 0` : `LOCATE(${a}, ${b}) > 0`),
  cidrMatch: ([a, ...blocks], ci) => (ci || blocks.length === 0 ? undefined : `CIDR_MATCH(TO_IP(${a}), ${blocks.join(", ")})`),
  urlDecode: ([a, ...more], ci) => (ci || more.length ? undefined : `URL_DECODE(${a})`),
  toLower: ([a, ...more], ci) => (ci || more.length ? undefined : `TO_LOWER(${a})`),
};

/** The IR's `like(x, pattern)` and `rlike(x, regex)` (ES|QL's own operators) as `x LIKE "…"`, `x RLIKE "…"`. */
function patternCallText(e: Extract<Expr, { kind: "call" }>, node: Query, cx: LeafContext): string | undefined {
  const [subject, p, ...more] = e.args;
  if (!subject || p?.kind !== "literal" || p.value.kind !== "string" || more.length > 0 || e.caseInsensitive) return undefined;
  const operand = exprText(subject, node, cx);
  if (e.name === "like") return `${operand} LIKE ${quoteEsqlRaw(likePattern(p.value.parts))}`;
  if (p.value.parts.some((x) => x.kind !== "text")) return undefined;
  return `${operand} RLIKE ${quoteEsqlRaw(textOf(p.value.parts))}`;
}

export function exprText(e: Expr, node: Query, cx: LeafContext): string {
  switch (e.kind) {
    case "field":
      oneValueOnly(cx, node, e.field);
      return quoteEsqlField(e.field);
    case "literal": {
      const v = e.value;
      if (v.kind === "number") return numberText(v);
      if (v.kind === "boolean") return String(v.value);
      if (v.kind === "null") return "null";
      if (v.parts.some((p) => p.kind !== "text")) issue(cx, node, "esql/wildcard-value", "a wildcard pattern cannot be a value in an expression");
      return quoteEsqlString(textOf(v.parts));
    }
    case "call": {
      if (e.name === "like" || e.name === "rlike") {
        const text = patternCallText(e, node, cx);
        if (text !== undefined) return text;
        issue(cx, node, "esql/function", `this ${e.name} call has no ES|QL form`);
        return "null";
      }
      const [hay, needle] = e.args;
      if (e.name === "stringContains" && !e.caseInsensitive && e.args.length === 2 && hay?.kind === "field" && needle?.kind === "field") {
        // LOCATE takes strings: an ip or number field is compared by its text, as the IR compares it.
        // An address cannot hold a comma, so it is in the values of a multi-valued field joined
        // with commas exactly when it is in one of them, as the IR reads it.
        if (ecsFieldType(needle.field) === "ip") {
          oneValueOnly(cx, node, needle.field);
          return `(LOCATE(MV_CONCAT(TO_STRING(${quoteEsqlField(hay.field)}), ","), TO_STRING(${quoteEsqlField(needle.field)})) > 0)`;
        }
        return `(LOCATE(TO_STRING(${exprText(hay, node, cx)}), TO_STRING(${exprText(needle, node, cx)})) > 0)`;
      }
      const args = e.args.map((a) => exprText(a, node, cx));
      const text = Object.prototype.hasOwnProperty.call(FUNCTIONS, e.name) ? FUNCTIONS[e.name]?.(args, e.caseInsensitive) : undefined;
      if (text === undefined) {
        issue(cx, node, "esql/function", `the function ${e.name}${e.caseInsensitive ? "~" : ""} has no ES|QL form here`);
        return "null";
      }
      return text.includes(" > 0") ? `(${text})` : text;
    }
    case "arith":
      return `(${exprText(e.left, node, cx)} ${e.op} ${exprText(e.right, node, cx)})`;
  }
}
