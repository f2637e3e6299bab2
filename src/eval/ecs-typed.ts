/**
 * Matches as Elasticsearch runs them in its query languages, by the type the field is mapped to
 * (ECS, query/ecs-field-types.ts), not by the JSON type of the event's value or the literal's.
 * Without it the evaluator compares string forms, so `hostNetwork == "true"` and `hostNetwork ==
 * true` look alike, and a rule that lost its literals' types on the way through Sigma passes.
 *
 * - What is indexed: a numeric field holds numbers (a number, or a string that reads as one; `long`
 *   and the other integer types drop the fraction), a boolean field booleans (`true`, `false`, the
 *   strings "true", "false", and "" as false), a keyword field text (numbers and booleans as their
 *   text), an ip field addresses. Any other source value is not indexed: it never matches.
 * - The literal: EQL verifies types before it runs, so a string compared with a numeric or boolean
 *   field, a number or boolean with a keyword field, or a wildcard on anything but a keyword field,
 *   is a verification error (the query is refused). KQL sends the text to Elasticsearch, which
 *   reads it as the field's type: "3" is 3 for a long field, "true" is true for a boolean field, and
 *   text that is no such value is an error; an ip field takes an address or a CIDR block.
 * Fields ECS does not define, and other types (text, date, flattened), are not typed here: the
 * caller compares them as without this module.
 */
import type { NodeOf, Value } from "../ir/query.js";
import { ECS_FLOAT_TYPES, ECS_NUMERIC_TYPES, ecsFieldType } from "../query/ecs-field-types.js";
import { inCidr, parseCidr, parseIp, type CidrBlock } from "./cidr.js";
import { fieldValues, stringForm } from "./field-values.js";

/** The language whose semantics the evaluator follows: Kibana's KQL (and Lucene, read the same way) or EQL. */
export type TypedLanguage = "eql" | "kql";

type Kind = "integer" | "float" | "boolean" | "keyword" | "ip";

const KEYWORD_TYPES: ReadonlySet<string> = new Set(["keyword", "constant_keyword", "wildcard"]);
const NUMBER_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** How a field's values are compared, or undefined when the field is not typed here. */
export function mappedKind(field: string, types: (field: string) => string | undefined = ecsFieldType): Kind | undefined {
  const t = types(field);
  if (t === undefined) return undefined;
  if (ECS_FLOAT_TYPES.has(t)) return "float";
  if (ECS_NUMERIC_TYPES.has(t)) return "integer";
  if (t === "boolean") return "boolean";
  if (KEYWORD_TYPES.has(t)) return "keyword";
  if (t === "ip") return "ip";
  return undefined;
}

type Indexed = number | boolean | string;

/** What the index holds for one source value of a field of that kind; undefined when nothing. */
export function indexed(kind: Kind, v: unknown): Indexed | undefined {
  switch (kind) {
    case "integer":
    case "float": {
      const n = typeof v === "number" ? v : typeof v === "string" && NUMBER_TEXT.test(v.trim()) ? Number(v) : undefined;
      if (n === undefined || !Number.isFinite(n)) return undefined;
      return kind === "integer" ? Math.trunc(n) : n;
    }
    case "boolean":
      if (typeof v === "boolean") return v;
      return v === "true" ? true : v === "false" || v === "" ? false : undefined;
    case "keyword":
      return typeof v === "object" ? undefined : stringForm(v);
    case "ip":
      return typeof v === "string" && parseIp(v) !== undefined ? v : undefined;
  }
}

/** A typed test for a match or range, a refusal (Elasticsearch rejects the query), or undefined to compare untyped. */
export type TypedTest = { readonly test: (event: unknown) => boolean } | { readonly refused: string } | undefined;

export function typedMatch(q: NodeOf<"match">, lang: TypedLanguage, types?: (field: string) => string | undefined): TypedTest {
  const kind = mappedKind(q.field, types);
  if (kind === undefined || q.value.kind === "null") return undefined;
  const lit = literal(q.field, kind, q.value, lang);
  if ("refused" in lit) return lit;
  if (lit.value === undefined) return undefined;
  const want = lit.value;
  if (kind === "ip") {
    const block = typeof want === "string" ? (parseCidr(want) ?? cidrOf(want)) : undefined;
    if (!block) return { refused: `${q.field} is an ip field; ${JSON.stringify(want)} is no address` };
    return { test: (e) => fieldValues(e, q.field).some((v) => indexed(kind, v) !== undefined && inCidr(parseIp(v as string)!, block)) };
  }
  // A keyword compares as text, with the node's case flag: the untyped string match does that.
  if (kind === "keyword") return undefined;
  return { test: (e) => fieldValues(e, q.field).some((v) => indexed(kind, v) === want) };
}

export function typedRange(q: NodeOf<"range">, lang: TypedLanguage, types?: (field: string) => string | undefined): TypedTest {
  const kind = mappedKind(q.field, types);
  if (kind !== "integer" && kind !== "float") return undefined;
  const lit = literal(q.field, kind, q.value, lang);
  if ("refused" in lit) return lit;
  const bound = lit.value;
  if (typeof bound !== "number") return undefined;
  const holds = (c: number) => (q.op === "lt" ? c < 0 : q.op === "lte" ? c <= 0 : q.op === "gt" ? c > 0 : c >= 0);
  return {
    test: (e) =>
      fieldValues(e, q.field).some((v) => {
        const n = indexed(kind, v);
        return typeof n === "number" && holds(n - bound);
      }),
  };
}

/** The literal as the field's type reads it; `value` undefined for a keyword's string (compared untyped). */
function literal(field: string, kind: Kind, v: Value, lang: TypedLanguage): { readonly value?: Indexed } | { readonly refused: string } {
  const text = v.kind === "string" && v.parts.every((p) => p.kind === "text") ? v.parts.map((p) => (p.kind === "text" ? p.value : "")).join("") : undefined;
  const shown = v.kind === "string" ? JSON.stringify(text ?? "a pattern") : v.kind === "number" ? v.raw || String(v.value) : String(v.kind === "boolean" ? v.value : null);
  const type = kind === "integer" || kind === "float" ? "numeric" : kind;
  const mismatch = { refused: `${lang === "eql" ? "EQL" : "Elasticsearch"} refuses ${shown} for ${field}, a ${type} field` };
  if (v.kind === "string" && text === undefined) return kind === "keyword" ? {} : mismatch;
  switch (kind) {
    case "integer":
    case "float":
      if (v.kind === "number") return { value: v.value };
      if (lang === "kql" && text !== undefined && NUMBER_TEXT.test(text)) return { value: Number(text) };
      return mismatch;
    case "boolean":
      if (v.kind === "boolean") return { value: v.value };
      if (lang === "kql" && (text === "true" || text === "false")) return { value: text === "true" };
      return mismatch;
    case "keyword":
      if (v.kind === "string") return {};
      if (lang === "kql" && (v.kind === "number" || v.kind === "boolean")) return {};
      return mismatch;
    case "ip":
      if (text === undefined) return mismatch;
      if (lang === "eql" && text.includes("/")) return mismatch;
      return { value: text };
  }
}

/** A single address as a one-address block. */
function cidrOf(text: string): CidrBlock | undefined {
  const ip = parseIp(text);
  return ip ? { v6: ip.v6, base: ip.n, bits: ip.v6 ? 128 : 32 } : undefined;
}
