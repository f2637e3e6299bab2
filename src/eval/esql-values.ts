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

/** `TO_STRING`: a long as its digits, a double as Java prints it, booleans as `true`/`false`. */
export function scalarText(s: Scalar): string {
  if (typeof s === "string") return s;
  if (typeof s === "boolean") return s ? "true" : "false";
  if (Number.isInteger(s) && Math.abs(s) < 2 ** 63) return String(s);
  const t = String(s);
  return /[.eE]/.test(t) || !Number.isFinite(s) ? t : `${t}.0`;
}

const DOUBLE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

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
