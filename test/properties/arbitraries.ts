/**
 * One generator of boolean IR queries and one of events, over the same small vocabulary so that
 * random events often hit random queries. Values include case variants, literal `*` `?` `\` `"`
 * `%` `_`, numbers as numbers and as text, IPs, booleans, nulls, multi-valued and absent fields.
 */
import fc from "fast-check";
import type { Part, Query, RangeOp, Value } from "../../src/ir/query.js";

export const FIELDS = ["a", "b", "process.name", "ip", "n"] as const;

/** Pieces of text; values and patterns are joined from them. */
const PIECES = ["cmd", "CMD", "Cmd", ".exe", "x", "X", "*", "?", "\\", '"', "%", "_", "10", "a b", "é", "É"] as const;

const piece = fc.constantFrom(...PIECES);
const text = fc.array(piece, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(""));
const field = fc.constantFrom(...FIELDS);

/** Adjacent text merged, empty text dropped, runs of `any` collapsed: the IR's canonical parts. */
export function canonical(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === "text" && p.value === "") continue;
    if (p.kind === "text" && prev?.kind === "text") out[out.length - 1] = { kind: "text", value: prev.value + p.value };
    else if (p.kind === "any" && prev?.kind === "any") continue;
    else out.push(p);
  }
  return out;
}

const part: fc.Arbitrary<Part> = fc.oneof(
  { weight: 3, arbitrary: text.map((value): Part => ({ kind: "text", value })) },
  { weight: 1, arbitrary: fc.constant<Part>({ kind: "any" }) },
  { weight: 1, arbitrary: fc.constant<Part>({ kind: "one" }) },
);
const parts = fc.array(part, { minLength: 1, maxLength: 3 }).map(canonical).filter((ps) => ps.length > 0);

const NUMBERS = [10, 5, -1, 3.5];
const number: fc.Arbitrary<Value> = fc.constantFrom(...NUMBERS).map((value) => ({ kind: "number", value, raw: String(value) }));

const matchValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: parts.map((p): Value => ({ kind: "string", parts: p })) },
  { weight: 1, arbitrary: number },
  { weight: 1, arbitrary: fc.boolean().map((value): Value => ({ kind: "boolean", value })) },
  { weight: 1, arbitrary: fc.constant<Value>({ kind: "null" }) },
);

const PCRE = ["cmd", "^cmd", "exe$", "\\.exe$", "a\\*b", "^\\d+$", "x|X", "c.d", "^$", "\\\\"];
const LUCENE = ["cmd.*", ".*exe", "[0-9]+", "x"];
const CIDRS = ["10.0.0.0/8", "192.168.0.0/16", "::1/128"];
const RANGE_OPS: readonly RangeOp[] = ["lt", "lte", "gt", "gte"];

export const leaf: fc.Arbitrary<Query> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ field, value: matchValue, cs: fc.boolean() }).map(({ field, value, cs }): Query => ({ kind: "match", field, value, caseSensitive: value.kind === "string" ? cs : true })) },
  { weight: 1, arbitrary: field.map((f): Query => ({ kind: "exists", field: f })) },
  {
    weight: 2,
    arbitrary: fc.record({ field, op: fc.constantFrom(...RANGE_OPS), value: fc.oneof({ weight: 4, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom<Value>({ kind: "string", parts: [{ kind: "text", value: "b" }] }) }) })
      .map(({ field, op, value }): Query => ({ kind: "range", field, op, value })),
  },
  { weight: 1, arbitrary: fc.record({ field, cidr: fc.constantFrom(...CIDRS) }).map(({ field, cidr }): Query => ({ kind: "cidr", field, cidr })) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({ field, pattern: fc.constantFrom(...PCRE), cs: fc.boolean() }).map(({ field, pattern, cs }): Query => ({ kind: "regex", field, pattern, dialect: "pcre", caseSensitive: cs })),
      fc.record({ field, pattern: fc.constantFrom(...LUCENE), cs: fc.boolean() }).map(({ field, pattern, cs }): Query => ({ kind: "regex", field, pattern, dialect: "lucene", caseSensitive: cs })),
    ),
  },
  { weight: 1, arbitrary: fc.record({ parts, cs: fc.boolean() }).map(({ parts, cs }): Query => ({ kind: "keyword", value: { kind: "string", parts }, caseSensitive: cs })) },
);

/** Random boolean IR: leaves under `not`/`and`/`or`, at most a few levels deep. */
export function queryFrom(leaves: fc.Arbitrary<Query>): fc.Arbitrary<Query> {
  return fc.letrec<{ q: Query }>((tie) => ({
    q: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 3, arbitrary: leaves },
      { weight: 1, arbitrary: tie("q").map((child): Query => ({ kind: "not", child })) },
      { weight: 1, arbitrary: fc.array(tie("q"), { minLength: 2, maxLength: 3 }).map((children): Query => ({ kind: "and", children })) },
      { weight: 1, arbitrary: fc.array(tie("q"), { minLength: 2, maxLength: 3 }).map((children): Query => ({ kind: "or", children })) },
    ),
  })).q;
}

export const query = queryFrom(leaf);

/** Leaves a language's printer accepts, by a predicate on the leaf (the rest of the tree is shared). */
export function queryWhere(keep: (leaf: Query) => boolean): fc.Arbitrary<Query> {
  return queryFrom(leaf.filter(keep));
}

/** Whether a leaf uses a single-character wildcard (KQL and the search command have none). */
export function hasOneWildcard(q: Query): boolean {
  const v = q.kind === "match" || q.kind === "keyword" ? q.value : undefined;
  return v?.kind === "string" && v.parts.some((p) => p.kind === "one");
}

const EVENT_STRINGS = ["10.0.0.1", "192.168.1.5", "::1", "true", "True", "", "b", "a", "c:d", "abc"];
/** Numbers as text, including forms that equal a number without being its text ("10.0", "05"). */
const NUMERIC_STRINGS = ["10", "10.0", "5", "05", "-1", "3.5", "3.50"];

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 3, arbitrary: fc.constantFrom(...EVENT_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMERIC_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);

/** An event over FIELDS; each field is absent or set; `process.name` is flat or nested. */
export const event: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.array(fc.tuple(field, fieldValue), { maxLength: 5 }), fc.boolean())
  .map(([pairs, nest]) => {
    const e: Record<string, unknown> = {};
    for (const [f, v] of pairs) {
      if (f === "process.name" && nest) e["process"] = { name: v };
      else e[f] = v;
    }
    return e;
  });

/** One query with several events, so a printed and parsed query is checked on many events. */
export function withEvents(q: fc.Arbitrary<Query>): fc.Arbitrary<[Query, Record<string, unknown>[]]> {
  return fc.tuple(q, fc.array(event, { minLength: 1, maxLength: 8 }));
}

/** Shared run settings: a fixed seed and a bounded number of cases. */
export const RUNS = { seed: 20261125, numRuns: 1500, includeErrorInReport: true } as const;
