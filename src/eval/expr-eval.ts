/**
 * Scalar expressions (EQL functions and arithmetic) evaluated on one event.
 *
 * EQL null handling: a function with a null argument returns null, and a comparison with null
 * is false except `null == null`. A multi-valued field evaluates to a list; functions map over a
 * list in their first argument, and a comparison or predicate holds when any element does.
 * `name~(...)` (caseInsensitive) folds case for the string-matching functions.
 * `charLength` is ES|QL's LENGTH, not an EQL function: code points, and null for a multi-valued
 * argument, as ES|QL's single-value functions give. ES|QL's `urlDecode` (URL_DECODE: Java's
 * URLDecoder, null where it fails; url-decode.ts), `toLower` (TO_LOWER: Unicode's default
 * lower-casing, as Java's `toLowerCase(Locale.ROOT)`), `like(x, pattern)` (LIKE: the literal's
 * wildcard parts, case-sensitive, `?` one code point) and `rlike(x, regex)` (RLIKE: a Lucene regex
 * on the whole value) are not EQL functions either; each maps over the values of a multi-valued
 * first argument, as the other functions here do.
 */
import type { CompareOp, Expr, Value } from "../ir/query.js";
import { inCidr, parseCidr, parseIp } from "./cidr.js";
import { fieldValues, stringForm } from "./field-values.js";
import { translateLucene } from "../query/regex/regex-dialects.js";
import { compileParts, partsText } from "./string-pattern.js";
import { urlDecode } from "./url-decode.js";

export type Scalar = string | number | boolean | null;
export type EV = Scalar | readonly Scalar[];

/** Arity per function: [min, max]; max -1 is variadic. */
const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  startsWith: [2, -1],
  endsWith: [2, -1],
  stringContains: [2, -1],
  length: [1, 1],
  charLength: [1, 1],
  indexOf: [2, 3],
  substring: [2, 3],
  concat: [1, -1],
  number: [1, 2],
  string: [1, 1],
  add: [2, 2],
  subtract: [2, 2],
  multiply: [2, 2],
  divide: [2, 2],
  modulo: [2, 2],
  between: [3, 5],
  cidrMatch: [2, -1],
  urlDecode: [1, 1],
  toLower: [1, 1],
  like: [2, 2],
  rlike: [2, 2],
};

/** The tester of a `like`/`rlike` call's pattern (its second argument, a string literal), compiled once. */
const PATTERNS = new WeakMap<Expr, ((s: string) => boolean) | string>();

function patternTester(e: Extract<Expr, { kind: "call" }>): ((s: string) => boolean) | string {
  const known = PATTERNS.get(e);
  if (known !== undefined) return known;
  const p = e.args[1];
  let tester: ((s: string) => boolean) | string;
  if (p?.kind !== "literal" || p.value.kind !== "string") tester = `${e.name}: the pattern must be a string constant`;
  else if (e.name === "like") tester = compileParts(p.value.parts, true);
  else {
    const r = translateLucene(partsText(p.value.parts), { caseSensitive: true });
    tester = r.ok ? (s: string) => r.re.test(s) : `rlike: ${r.reason}`;
  }
  PATTERNS.set(e, tester);
  return tester;
}

/** Checks function names, arities and literal CIDR blocks once, before any event is seen. */
export function checkExpr(e: Expr): string | undefined {
  switch (e.kind) {
    case "field":
    case "literal":
      return undefined;
    case "arith":
      return checkExpr(e.left) ?? checkExpr(e.right);
    case "call": {
      const arity = Object.prototype.hasOwnProperty.call(ARITY, e.name) ? ARITY[e.name] : undefined;
      if (!arity) return `EQL function "${e.name}" is not supported by the evaluator`;
      const [min, max] = arity;
      if (e.args.length < min || (max >= 0 && e.args.length > max)) {
        return `EQL function "${e.name}" takes ${min}${max < 0 ? " or more" : max === min ? "" : `..${max}`} arguments, got ${e.args.length}`;
      }
      if (e.name === "like" || e.name === "rlike") {
        const t = patternTester(e);
        if (typeof t === "string") return t;
      }
      if (e.name === "cidrMatch") {
        for (const a of e.args.slice(1)) {
          if (a.kind === "literal" && !parseCidr(literalScalar(a.value) as string)) {
            return `cidrMatch: "${String(literalScalar(a.value))}" is not a CIDR block`;
          }
        }
      }
      for (const a of e.args) {
        const r = checkExpr(a);
        if (r) return r;
      }
      return undefined;
    }
  }
}

export function literalScalar(v: Value): Scalar {
  switch (v.kind) {
    case "string":
      return partsText(v.parts);
    case "number":
      return v.value;
    case "boolean":
      return v.value;
    case "null":
      return null;
  }
}

function scalarOf(v: unknown): Scalar {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return stringForm(v) ?? null;
}

export function evalExpr(e: Expr, event: unknown): EV {
  switch (e.kind) {
    case "field": {
      const vs = fieldValues(event, e.field).map(scalarOf);
      return vs.length === 0 ? null : vs.length === 1 ? vs[0]! : vs;
    }
    case "literal":
      return literalScalar(e.value);
    case "arith":
      return arith(e.op, evalExpr(e.left, event), evalExpr(e.right, event));
    case "call": {
      if (e.name === "like" || e.name === "rlike") {
        const t = patternTester(e);
        const subject = evalExpr(e.args[0]!, event);
        const test = (x: Scalar): Scalar => (x === null || typeof t === "string" ? null : t(str(x)!));
        return Array.isArray(subject) ? subject.map(test) : test(subject as Scalar);
      }
      const args = e.args.map((a) => evalExpr(a, event));
      const [first, ...rest] = args;
      const restScalars = rest.map(firstScalar);
      // ES|QL's single-value functions give null for a multi-valued argument (no mapping over it).
      if (e.name === "charLength" && Array.isArray(first)) return first.length === 1 ? call(e.name, e.caseInsensitive, first[0]!, restScalars) : null;
      if (Array.isArray(first)) return first.map((x) => call(e.name, e.caseInsensitive, x, restScalars));
      return call(e.name, e.caseInsensitive, first as Scalar, restScalars);
    }
  }
}

function firstScalar(v: EV | undefined): Scalar {
  if (v === undefined) return null;
  return Array.isArray(v) ? ((v[0] as Scalar | undefined) ?? null) : (v as Scalar);
}

function str(v: Scalar): string | null {
  return v === null ? null : (stringForm(v) ?? null);
}

function num(v: Scalar): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

function arith(op: "+" | "-" | "*" | "/" | "%", l: EV, r: EV): Scalar {
  const a = num(firstScalar(l));
  const b = num(firstScalar(r));
  if (a === null || b === null) return null;
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) return null;
      // EQL: integer / integer rounds toward zero, like the Java it runs on.
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case "%":
      return b === 0 ? null : a % b;
  }
}

function call(name: string, ci: boolean, first: Scalar, rest: readonly Scalar[]): Scalar {
  if (name === "concat") {
    const all = [first, ...rest].map(str);
    return all.some((s) => s === null) ? null : all.join("");
  }
  if (first === null) return null;
  switch (name) {
    case "startsWith":
    case "endsWith":
    case "stringContains": {
      const s = fold(str(first)!, ci);
      const subs = rest.map(str).filter((x): x is string => x !== null);
      if (subs.length === 0) return null;
      return subs.some((p) => {
        const q = fold(p, ci);
        return name === "startsWith" ? s.startsWith(q) : name === "endsWith" ? s.endsWith(q) : s.includes(q);
      });
    }
    case "length":
      return str(first)!.length;
    case "charLength":
      // ES|QL's LENGTH: characters (code points), where EQL's length counts UTF-16 units.
      return [...str(first)!].length;
    case "indexOf": {
      const s = fold(str(first)!, ci);
      const sub = str(rest[0] ?? null);
      if (sub === null) return null;
      const start = rest[1] === undefined || rest[1] === null ? 0 : num(rest[1]);
      if (start === null) return null;
      const at = s.indexOf(fold(sub, ci), Math.max(0, start));
      return at < 0 ? null : at;
    }
    case "substring": {
      const s = str(first)!;
      const start = num(rest[0] ?? null);
      const end = rest[1] === undefined || rest[1] === null ? s.length : num(rest[1]);
      if (start === null || end === null) return null;
      // Python slice offsets: negative counts from the end.
      const norm = (n: number) => Math.min(s.length, Math.max(0, n < 0 ? s.length + n : n));
      const a = norm(start);
      const b = norm(end);
      return a < b ? s.slice(a, b) : "";
    }
    case "number": {
      if (typeof first === "number") return first;
      const base = rest[0] === undefined || rest[0] === null ? 10 : num(rest[0]);
      const s = str(first)!.trim();
      if (base === null) return null;
      if (base === 10) return num(s);
      const digits = base === 16 ? s.replace(/^0x/i, "") : s;
      const n = parseInt(digits, base);
      return Number.isNaN(n) || !/^[-+]?[0-9a-z]+$/i.test(digits) ? null : n;
    }
    case "string":
      return str(first);
    case "urlDecode":
      return urlDecode(str(first)!);
    case "toLower":
      return str(first)!.toLowerCase();
    case "add":
      return arith("+", first, rest[0] ?? null);
    case "subtract":
      return arith("-", first, rest[0] ?? null);
    case "multiply":
      return arith("*", first, rest[0] ?? null);
    case "divide":
      return arith("/", first, rest[0] ?? null);
    case "modulo":
      return arith("%", first, rest[0] ?? null);
    case "between": {
      const src = str(first)!;
      const left = str(rest[0] ?? null);
      const right = str(rest[1] ?? null);
      if (left === null || right === null) return null;
      const greedy = rest[2] === true;
      const s = fold(src, ci);
      const l = s.indexOf(fold(left, ci));
      if (l < 0) return "";
      const from = l + left.length;
      const r = greedy ? s.lastIndexOf(fold(right, ci)) : s.indexOf(fold(right, ci), from);
      return r < from ? "" : src.slice(from, r);
    }
    case "cidrMatch": {
      const ip = parseIp(str(first)!);
      if (!ip) return false;
      return rest.some((c) => {
        const block = c === null ? undefined : parseCidr(str(c)!);
        return block !== undefined && inCidr(ip, block);
      });
    }
    default:
      return null; // unreachable: checkExpr refuses unknown names before evaluation
  }
}

function looseEq(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === typeof b) return a === b;
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null && (typeof a === "number" || typeof b === "number")) return na === nb;
  return str(a) === str(b);
}

function ordered(op: "lt" | "lte" | "gt" | "gte", a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return false;
  const na = num(a);
  const nb = num(b);
  let c: number;
  if (na !== null && nb !== null) c = na - nb;
  else if (typeof a === "string" && typeof b === "string") c = a < b ? -1 : a > b ? 1 : 0;
  else return false;
  return op === "lt" ? c < 0 : op === "lte" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
}

function list(v: EV): readonly Scalar[] {
  return Array.isArray(v) ? v : [v as Scalar];
}

export function compareValues(op: CompareOp, l: EV, r: EV): boolean {
  const ls = list(l);
  const rs = list(r);
  if (op === "eq" || op === "neq") {
    const eq = ls.some((a) => rs.some((b) => looseEq(a, b)));
    return op === "eq" ? eq : !eq;
  }
  return ls.some((a) => rs.some((b) => ordered(op, a, b)));
}

export function truthy(v: EV): boolean {
  return list(v).some((x) => x === true);
}
