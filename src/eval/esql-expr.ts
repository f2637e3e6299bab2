/**
 * ES|QL expressions on one row, with ES|QL's rules, not the IR's:
 * - three-valued logic: a comparison with NULL is NULL, `NOT NULL` is NULL, `AND`/`OR` follow the
 *   tables of the docs' "NULL values" page; WHERE keeps only TRUE;
 * - a single-value function or operator (`==`, `<`, LIKE, RLIKE, IN, LENGTH, CONCAT, CIDR_MATCH,
 *   …) given a multi-valued value is NULL (Elasticsearch adds a warning); `IS NULL` is false for
 *   it; conversions (`TO_STRING`, `TO_LOWER`, `TO_DOUBLE`, `TO_IP`, …) convert every value, and
 *   drop the ones they cannot convert; `MV_MIN`/`MV_MAX`/`MV_COUNT` read all values;
 * - LIKE is case-sensitive, `*` any characters, `?` one code point, `\` escapes `*`, `?`, `\`;
 *   RLIKE is a Lucene regex on the whole value;
 * - comparing values of different types (a string with a number) is a type error, as Elasticsearch
 *   reports it when it checks the query; the evaluator refuses rather than guess.
 * `KQL("…")` and `QSTR("…")` run the embedded query with the IR evaluator on the row's event.
 */
import type { EsqlExpr, EsqlLiteral } from "../query/esql/esql-ast.js";
import { likeParts } from "../query/esql/esql-escape.js";
import { parseKql } from "../query/kql/kql-parser.js";
import { parseLucene } from "../query/lucene/lucene-parser.js";
import { inCidr, parseCidr, parseIp } from "./cidr.js";
import { mappedKind } from "./ecs-typed.js";
import { urlDecode } from "./url-decode.js";
import { compileQuery } from "./evaluate.js";
import {
  compareScalars, type EsqlValue, fieldValue, fromList, isMulti, mapValues, refuse, type Scalar, scalarText, toDouble, toList,
} from "./esql-values.js";
import { javaRegexToJs } from "../query/regex/java-regex.js";
import { translateLucene } from "../query/regex/regex-dialects.js";
import { compileParts } from "./string-pattern.js";

export interface Row {
  readonly event: unknown;
  /** The event is read as indexed with the ECS mapping (esql-values.ts fieldValue). */
  readonly ecsMapped?: boolean;
  /** Columns made by EVAL, RENAME, MV_EXPAND and STATS; they hide the event's fields of that name. */
  readonly cols: ReadonlyMap<string, EsqlValue>;
  /** Which of `cols` hold ES|QL doubles (isDouble), so `TO_STRING` writes their 3 as "3.0". */
  readonly doubleCols?: ReadonlySet<string>;
  /** After KEEP/DROP: which names still exist. */
  readonly visible?: (name: string) => boolean;
  /** After STATS only its columns exist. */
  readonly onlyCols?: boolean;
}

export function column(row: Row, name: string): EsqlValue {
  if (row.visible && !row.visible(name)) return refuse(`unknown column \`${name}\` (dropped)`);
  if (row.cols.has(name)) return row.cols.get(name) ?? null;
  if (row.onlyCols) return refuse(`unknown column \`${name}\` after STATS`);
  return fieldValue(row.event, name, row.ecsMapped);
}

export function literal(v: EsqlLiteral): EsqlValue {
  switch (v.type) {
    case "string":
    case "integer":
    case "decimal":
    case "boolean":
      return v.value;
    case "null":
      return null;
    case "list":
      return fromList(v.items.map((i) => literal(i) as Scalar));
  }
}

/** One value of a single-value operator: NULL stays NULL, several values give NULL. */
function single(v: EsqlValue): Scalar | null {
  return v === null || isMulti(v) ? null : (v as Scalar);
}

function bool(v: EsqlValue, what: string): boolean | null {
  const s = single(v);
  if (s === null) return null;
  if (typeof s !== "boolean") return refuse(`type error: ${what} needs a boolean, got ${JSON.stringify(s)}`);
  return s;
}

function str(v: EsqlValue, what: string): string | null {
  const s = single(v);
  if (s === null) return null;
  if (typeof s !== "string") return refuse(`type error: ${what} needs a string, got ${JSON.stringify(s)}`);
  return s;
}

function num(v: EsqlValue, what: string): number | null {
  const s = single(v);
  if (s === null) return null;
  if (typeof s !== "number") return refuse(`type error: ${what} needs a number, got ${JSON.stringify(s)}`);
  return s;
}

export function evalExpr(e: EsqlExpr, row: Row): EsqlValue {
  switch (e.t) {
    case "field":
      return column(row, e.name);
    case "lit":
      return literal(e.value);
    case "paren":
      return evalExpr(e.inner, row);
    case "timespan":
      return refuse("a time span outside DATE_TRUNC/BUCKET");
    case "neg": {
      const n = num(evalExpr(e.operand, row), "-");
      return n === null ? null : -n;
    }
    case "arith":
      return arith(e.op, evalExpr(e.left, row), evalExpr(e.right, row));
    case "cmp": {
      const a = single(evalExpr(e.left, row));
      const b = single(evalExpr(e.right, row));
      if (a === null || b === null) return null;
      const c = compareScalars(a, b);
      return { "==": c === 0, "!=": c !== 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[e.op];
    }
    case "and": {
      // FALSE wins over NULL, NULL over TRUE (the docs' three-valued table). Every operand is
      // evaluated: Elasticsearch checks the types of all of them, whatever the first gives.
      const vs = e.operands.map((o) => bool(evalExpr(o, row), "AND"));
      return vs.includes(false) ? false : vs.includes(null) ? null : true;
    }
    case "or": {
      const vs = e.operands.map((o) => bool(evalExpr(o, row), "OR"));
      return vs.includes(true) ? true : vs.includes(null) ? null : false;
    }
    case "not": {
      const a = bool(evalExpr(e.operand, row), "NOT");
      return a === null ? null : !a;
    }
    case "like": {
      const s = str(evalExpr(e.operand, row), e.op.toUpperCase());
      if (s === null) return null;
      const hit = e.patterns.some((p) => (e.op === "like" ? likeTest(p.value) : rlikeTest(p.value))(s));
      return e.negated ? !hit : hit;
    }
    case "in": {
      const v = single(evalExpr(e.operand, row));
      if (v === null) return null;
      let sawNull = false;
      for (const item of e.items) {
        const w = single(evalExpr(item, row));
        if (w === null) sawNull = true;
        else if (compareScalars(v, w) === 0) return !e.negated;
      }
      return sawNull ? null : e.negated;
    }
    case "isnull": {
      const isNull = evalExpr(e.operand, row) === null;
      return e.negated ? !isNull : isNull;
    }
    case "cast":
      return convert(e.type, evalExpr(e.operand, row), isDouble(e.operand, row));
    case "match": {
      // The match query on a keyword field: some value equals the constant.
      const q = literal(e.query);
      const v = column(row, e.field);
      return toList(v).some((x) => toList(q).some((y) => typeof x === typeof y && compareScalars(x, y) === 0));
    }
    case "call":
      return call(e, row);
  }
}

function arith(op: string, l: EsqlValue, r: EsqlValue): EsqlValue {
  const a = num(l, op);
  const b = num(r, op);
  if (a === null || b === null) return null;
  const ints = Number.isInteger(a) && Number.isInteger(b);
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      // Division by zero is NULL with a warning; long / long truncates, as in Java.
      if (b === 0) return null;
      return ints ? Math.trunc(a / b) : a / b;
    default:
      if (b === 0) return null;
      return a % b;
  }
}

/** Compiled REPLACE regexes: a query names a few, and runs them on every row. */
const JAVA_REGEXES = new Map<string, ReturnType<typeof javaRegexToJs>>();

function javaRegex(pattern: string): ReturnType<typeof javaRegexToJs> {
  let r = JAVA_REGEXES.get(pattern);
  if (r === undefined) {
    if (JAVA_REGEXES.size >= 256) JAVA_REGEXES.clear();
    r = javaRegexToJs(pattern);
    JAVA_REGEXES.set(pattern, r);
  }
  return r;
}

function likeTest(pattern: string): (s: string) => boolean {
  const parts = likeParts(pattern);
  if (!parts.ok) return refuse(`invalid LIKE pattern ${JSON.stringify(pattern)}: escape character is not followed by special wildcard char`);
  return compileParts(parts.parts, true);
}

function rlikeTest(pattern: string): (s: string) => boolean {
  const r = translateLucene(pattern, { caseSensitive: true });
  if (!r.ok) return refuse(`RLIKE ${JSON.stringify(pattern)}: ${r.reason}`);
  return (s) => r.re.test(s);
}

const TO_DOUBLE: ReadonlySet<string> = new Set(["to_double", "to_dbl", "double"]);

/**
 * Whether ES|QL types the expression double even where its value is a whole number, which the value
 * alone cannot tell (3.0 in JSON is 3): an event field ECS maps as a floating type (double, float,
 * half_float, scaled_float; ES|QL reads them as double), a decimal literal, `TO_DOUBLE`/`::double`,
 * and negation or arithmetic with such an operand; a column EVAL, RENAME or MV_EXPAND made from
 * one (Row.doubleCols). STATS results are not tracked (AVG, a double in ES|QL, prints 3 as "3").
 */
export function isDouble(e: EsqlExpr, row: Row): boolean {
  switch (e.t) {
    case "field":
      return isDoubleColumn(e.name, row);
    case "lit":
      return e.value.type === "decimal";
    case "paren":
      return isDouble(e.inner, row);
    case "neg":
      return isDouble(e.operand, row);
    case "arith":
      return isDouble(e.left, row) || isDouble(e.right, row);
    case "cast":
      return TO_DOUBLE.has(e.type);
    case "call":
      return TO_DOUBLE.has(e.name);
    default:
      return false;
  }
}

/** Whether the column or event field `name` holds ES|QL doubles (isDouble). */
export function isDoubleColumn(name: string, row: Row): boolean {
  if (row.cols.has(name)) return row.doubleCols?.has(name) === true;
  return row.ecsMapped === true && mappedKind(name) === "float";
}

/**
 * Conversions by function name or `::` type; each converts every value of a multi-valued one.
 * `asDouble`: the operand is an ES|QL double (isDouble), so `TO_STRING` writes 3 as "3.0".
 */
function convert(to: string, v: EsqlValue, asDouble = false): EsqlValue {
  switch (to) {
    case "to_string":
    case "to_str":
    case "to_keyword":
    case "string":
    case "keyword":
    case "text":
      return mapValues(v, (s) => scalarText(s, asDouble));
    case "to_double":
    case "to_dbl":
    case "double":
      return mapValues(v, toDouble);
    case "to_long":
    case "long":
      return mapValues(v, (s) => wholeNumber(s, -(2 ** 63), 2 ** 63));
    case "to_integer":
    case "to_int":
    case "integer":
    case "int":
      return mapValues(v, (s) => wholeNumber(s, -2147483648, 2147483647));
    case "to_boolean":
    case "to_bool":
    case "boolean":
    case "bool":
      return mapValues(v, (s) => (typeof s === "boolean" ? s : typeof s === "number" ? s !== 0 : s.toLowerCase() === "true"));
    case "to_ip":
    case "ip":
      return mapValues(v, (s) => (typeof s === "string" && parseIp(s) ? s : undefined));
    case "to_lower":
      return mapValues(v, (s) => (typeof s === "string" ? s.toLowerCase() : refuse(`type error: TO_LOWER of ${JSON.stringify(s)}`)));
    case "to_upper":
      return mapValues(v, (s) => (typeof s === "string" ? s.toUpperCase() : refuse(`type error: TO_UPPER of ${JSON.stringify(s)}`)));
    default:
      return refuse(`conversion to ${to} is not modelled`);
  }
}

/**
 * TO_INTEGER and TO_LONG of a number or numeric text: NULL outside the type's range, else rounded
 * half up (Elasticsearch `safeToInt(double)`/`safeDoubleToLong`: a range check, then `Math.round`,
 * which rounds as JavaScript's does).
 */
function wholeNumber(s: Scalar, lo: number, hi: number): Scalar | undefined {
  const d = toDouble(s);
  return d === undefined || d < lo || d > hi ? undefined : Math.round(d);
}

const CONVERSIONS: ReadonlySet<string> = new Set([
  "to_string", "to_str", "to_keyword", "to_double", "to_dbl", "to_long", "to_integer", "to_int", "to_boolean", "to_bool",
  "to_ip", "to_lower", "to_upper",
]);

function call(e: Extract<EsqlExpr, { t: "call" }>, row: Row): EsqlValue {
  const arg = (i: number): EsqlValue => {
    const a = e.args[i];
    return a === undefined ? refuse(`${e.name.toUpperCase()} needs an argument ${i + 1}`) : evalExpr(a, row);
  };
  if (CONVERSIONS.has(e.name)) return convert(e.name, arg(0), e.args[0] !== undefined && isDouble(e.args[0], row));
  switch (e.name) {
    case "url_decode":
      // Java's URLDecoder over each value; one it cannot decode is NULL (url-decode.ts).
      return mapValues(arg(0), (s) => (typeof s === "string" ? (urlDecode(s) ?? undefined) : refuse(`type error: URL_DECODE of ${JSON.stringify(s)}`)));
    case "length": {
      const s = str(arg(0), "LENGTH");
      return s === null ? null : [...s].length;
    }
    case "starts_with":
    case "ends_with": {
      const s = str(arg(0), e.name);
      const p = str(arg(1), e.name);
      if (s === null || p === null) return null;
      return e.name === "starts_with" ? s.startsWith(p) : s.endsWith(p);
    }
    case "contains": {
      const s = str(arg(0), "CONTAINS");
      const p = str(arg(1), "CONTAINS");
      return s === null || p === null ? null : s.includes(p);
    }
    case "replace": {
      // Java's `String.replaceAll`: every match of the regex, searched left to right, replaced.
      const s = str(arg(0), "REPLACE");
      const re = str(arg(1), "REPLACE");
      const by = str(arg(2), "REPLACE");
      if (s === null || re === null || by === null) return null;
      if (/[$\\]/.test(by)) return refuse(`REPLACE with ${JSON.stringify(by)}: a replacement with \`$\` or \`\\\` (group references) is not modelled`);
      const r = javaRegex(re);
      if (!r.ok) return refuse(`REPLACE regex ${JSON.stringify(re)}: ${r.reason}`);
      return s.replace(r.value, () => by);
    }
    case "locate": {
      const s = str(arg(0), "LOCATE");
      const p = str(arg(1), "LOCATE");
      if (s === null || p === null) return null;
      // 1-based, in characters (code points); 0 when the text is not found.
      const at = s.indexOf(p);
      return at < 0 ? 0 : [...s.slice(0, at)].length + 1;
    }
    case "concat": {
      let out = "";
      for (let i = 0; i < e.args.length; i++) {
        const s = str(arg(i), "CONCAT");
        if (s === null) return null;
        out += s;
      }
      return out;
    }
    case "space": {
      const n = num(arg(0), "SPACE");
      return n === null ? null : " ".repeat(n);
    }
    case "mv_concat": {
      // Every value, as text (MV_CONCAT takes strings), in the order held, joined by the separator.
      const v = arg(0);
      const sep = str(arg(1), "MV_CONCAT");
      if (v === null || sep === null) return null;
      return toList(v).map((x) => (typeof x === "string" ? x : refuse(`type error: MV_CONCAT of ${JSON.stringify(x)}`))).join(sep);
    }
    case "coalesce":
      for (let i = 0; i < e.args.length; i++) {
        const v = arg(i);
        if (v !== null) return v;
      }
      return null;
    case "case": {
      for (let i = 0; i + 1 < e.args.length; i += 2) {
        const c = arg(i);
        // A NULL or multi-valued condition counts as false.
        if (!isMulti(c) && c === true) return arg(i + 1);
        if (c !== null && !isMulti(c) && typeof c !== "boolean") refuse("type error: a CASE condition must be a boolean");
      }
      return e.args.length % 2 === 1 ? arg(e.args.length - 1) : null;
    }
    case "cidr_match": {
      const ip = single(arg(0));
      if (ip === null) return null;
      const addr = typeof ip === "string" ? parseIp(ip) : undefined;
      if (!addr) return refuse(`type error: CIDR_MATCH needs an ip, got ${JSON.stringify(ip)}`);
      for (let i = 1; i < e.args.length; i++) {
        const block = str(arg(i), "CIDR_MATCH");
        if (block === null) continue;
        const b = parseCidr(block) ?? parseCidr(`${block}/${block.includes(":") ? 128 : 32}`);
        if (!b) return refuse(`CIDR_MATCH: ${JSON.stringify(block)} is not a CIDR block`);
        if (inCidr(addr, b)) return true;
      }
      return false;
    }
    case "mv_max":
    case "mv_min": {
      const vs = toList(arg(0));
      if (vs.length === 0) return null;
      const sorted = [...vs].sort(compareScalars);
      return e.name === "mv_max" ? sorted[sorted.length - 1]! : sorted[0]!;
    }
    case "mv_count": {
      const n = toList(arg(0)).length;
      return n === 0 ? null : n;
    }
    case "kql":
    case "qstr": {
      const text = str(arg(0), e.name);
      if (text === null) return refuse(`${e.name.toUpperCase()} needs a string`);
      const parsed = e.name === "kql" ? parseKql(text) : parseLucene(text);
      if (!parsed.ok) return refuse(`${e.name.toUpperCase()}: ${parsed.error.message}`);
      const c = compileQuery(parsed.value);
      if (!c.ok) return refuse(`${e.name.toUpperCase()}: ${c.reason}`);
      return c.test(row.event);
    }
    default:
      return refuse(`the function ${e.name.toUpperCase()} is not modelled by the ES|QL evaluator`);
  }
}
