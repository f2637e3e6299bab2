/**
 * ES|QL values for the ES|QL evaluator: NULL, one value, or several (a multi-valued field). Event
 * JSON is read as Elasticsearch would index it under a dynamic mapping: strings are keyword, whole
 * numbers long, other numbers double, booleans boolean; a JSON `null` inside an array is not kept,
 * and an empty array is NULL (docs "ES|QL multivalued fields"). Objects are not values.
 */
import { indexed, mappedKind } from "./ecs-typed.js";
import { fieldValues } from "./field-values.js";

export type Scalar = string | number | boolean;
/** `null`, one value, or an array of two or more. */
export type EsqlValue = Scalar | readonly Scalar[] | null;

/** Raised inside the ES|QL evaluator for what Elasticsearch would reject (a type error, a refused construct). */
export class EsqlRefused {
  constructor(readonly reason: string) {}
}

export function refuse(reason: string): never {
  throw new EsqlRefused(reason);
}

/**
 * A field's value in the row. With `ecsMapped`, a field ECS maps is read as an index with the ECS
 * mapping holds it (ecs-typed.ts: "3" in a long field is 3, "true" in a boolean field true, a
 * value the type cannot hold is absent), instead of by its JSON type.
 */
export function fieldValue(event: unknown, name: string, ecsMapped = false): EsqlValue {
  const out: Scalar[] = [];
  const kind = ecsMapped ? mappedKind(name) : undefined;
  for (const raw of fieldValues(event, name)) {
    const v = kind === undefined ? raw : indexed(kind, raw);
    if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) out.push(v);
  }
  return fromList(out);
}

export function fromList(values: readonly Scalar[]): EsqlValue {
  if (values.length === 0) return null;
  return values.length === 1 ? values[0]! : values;
}

export function toList(v: EsqlValue): readonly Scalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v as Scalar];
}

export function isMulti(v: EsqlValue): v is readonly Scalar[] {
  return Array.isArray(v);
}

export type EsqlType = "keyword" | "long" | "double" | "boolean";

export function typeOf(s: Scalar): EsqlType {
  if (typeof s === "string") return "keyword";
  if (typeof s === "boolean") return "boolean";
  return Number.isInteger(s) ? "long" : "double";
}

/** Strings in code-point order (Elasticsearch compares their UTF-8 bytes, which is the same order). */
export function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]!.codePointAt(0) ?? 0) - (y[i]!.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Orders two single values of one type; a string against a number or a boolean against either is a
 * type error, which Elasticsearch reports when it checks the query.
 */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return refuse(`type error: cannot compare ${typeOf(a)} ${JSON.stringify(a)} with ${typeOf(b)} ${JSON.stringify(b)}`);
}

/**
 * `TO_STRING`: a long as its digits, a double as Java prints it (`javaDoubleToString`), booleans as
 * `true`/`false`. A whole number is a long unless `asDouble` says the value is an ES|QL double (a
 * field mapped as a floating type, a decimal literal, `TO_DOUBLE`), which JSON cannot tell apart.
 */
export function scalarText(s: Scalar, asDouble = false): string {
  if (typeof s === "string") return s;
  if (typeof s === "boolean") return s ? "true" : "false";
  if (!asDouble && Number.isInteger(s) && Math.abs(s) < 2 ** 63) return String(s);
  return javaDoubleToString(s);
}

/**
 * A double as Java's `Double.toString` writes it, which ES|QL's `TO_STRING` uses (`String.valueOf`):
 * "NaN", "Infinity", "-Infinity", "0.0", "-0.0"; plain decimals with at least one fraction digit for
 * magnitudes in [10^-3, 10^7) ("3.0", "0.001", "9999999.0"); otherwise computerized scientific
 * notation ("1.0E7", "1.0E-4", "1.234E-5", "1.0E21"). The digits are the shortest that read back as
 * the same double, as JavaScript's and Java's (JDK 19 and later) both choose; where one digit would
 * do, Java takes the closest of at most two (5e-324 is "4.9E-324").
 */
export function javaDoubleToString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const sign = n < 0 ? "-" : "";
  const m = Math.abs(n);
  // toExponential() without an argument gives the shortest round-tripping digits: "d.ddde±x".
  let text = m.toExponential();
  if (!text.includes(".")) {
    // Java (JDK 19+) picks, when one digit would do, the closest decimal of at most two digits:
    // 5e-324 is "4.9E-324", not "5.0E-324". Trailing zeros are dropped below (1.0e-3 is 0.001).
    const two = m.toExponential(1);
    if (Number(two) === m) text = two;
  }
  const [mantissa, exp] = text.split("e") as [string, string];
  const digits = mantissa.replace(".", "").replace(/(?<=.)0+$/, "");
  const e = Number(exp);
  if (m >= 1e-3 && m < 1e7) {
    if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
    const whole = digits.slice(0, e + 1).padEnd(e + 1, "0");
    return `${sign}${whole}.${digits.slice(e + 1) || "0"}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${e}`;
}

// `[0-9]+(\.[0-9]*)?` and not `[0-9]+\.?[0-9]*`, whose two runs split long digit strings every way.
const DOUBLE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** `TO_DOUBLE` of one value; undefined where Elasticsearch warns and gives NULL. */
export function toDouble(s: Scalar): number | undefined {
  if (typeof s === "number") return s;
  if (typeof s === "boolean") return s ? 1 : 0;
  const t = s.trim();
  return DOUBLE.test(t) ? Number(t) : undefined;
}

/** Maps every value, dropping those the function cannot convert (Elasticsearch warns for each). */
export function mapValues(v: EsqlValue, f: (s: Scalar) => Scalar | undefined): EsqlValue {
  const out: Scalar[] = [];
  for (const s of toList(v)) {
    const r = f(s);
    if (r !== undefined) out.push(r);
  }
  return fromList(out);
}
