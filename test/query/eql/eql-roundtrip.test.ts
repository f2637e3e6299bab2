import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Expr, Part, Query, SequenceStep, Value } from "../../../src/ir/query.js";
import { normalizeParts } from "../../../src/query/eql/eql-lower.js";
import { parseEql } from "../../../src/query/eql/eql-parser.js";
import { printEql } from "../../../src/query/eql/eql-printer.js";
import { stripSpans } from "./strip-spans.js";
import { ecsLiteralsTyped } from "../../../src/passes/ecs-field-types.js";

// Characters that stress quoting: quotes, backslashes, control characters, wildcards, backticks.
const char = fc.constantFrom("a", "B", "z", "0", " ", '"', "\\", "\n", "\t", "\r", "*", "?", "`", ".", "-", "é", "\u0001", "'");
const text = fc.string({ unit: char, maxLength: 6 });
const plainText = fc.string({ unit: fc.constantFrom("a", "B", "\\", '"', " ", "\n", ".", "`"), maxLength: 5 });
const field = fc.oneof(
  fc.constantFrom("process.name", "a", "my-field", "x.sequence", "a`b", "1st", "@timestamp", "user.name", "and"),
  fc.string({ unit: char, minLength: 1, maxLength: 6 }),
);
const category = fc.oneof(fc.constantFrom("process", "file", "my-cat", "sequence", "6x"), fc.string({ unit: char, minLength: 1, maxLength: 5 }));
const number: fc.Arbitrary<Value> = fc.integer({ min: -4000, max: 4000 }).map((n) => {
  const value = n / 4;
  return { kind: "number", value, raw: String(value) };
});
const strValue = (t: fc.Arbitrary<string>): fc.Arbitrary<Value> => t.map((value) => ({ kind: "string", parts: [{ kind: "text", value }] }));
const pattern: fc.Arbitrary<Value> = fc
  .array(fc.oneof(plainText.map((value): Part => ({ kind: "text", value })), fc.constant<Part>({ kind: "any" }), fc.constant<Part>({ kind: "one" })), { minLength: 1, maxLength: 4 })
  .map((parts) => ({ kind: "string", parts: normalizeParts(parts) }));

const fieldExpr: fc.Arbitrary<Expr> = fc.record({ kind: fc.constant("field" as const), field, optional: fc.boolean() });
const numExpr: fc.Arbitrary<Expr> = number.map((value) => ({ kind: "literal", value }));

const leaf: fc.Arbitrary<Query> = fc.oneof(
  fc.record({ kind: fc.constant("match" as const), field, value: strValue(text), caseSensitive: fc.boolean() }),
  fc.record({ kind: fc.constant("match" as const), field, value: pattern, caseSensitive: fc.constant(false) }),
  fc.record({
    kind: fc.constant("match" as const),
    field,
    value: fc.oneof(number, fc.boolean().map((value): Value => ({ kind: "boolean", value })), fc.constant<Value>({ kind: "null" })),
    caseSensitive: fc.constant(true),
  }),
  // Case-sensitive wildcards: `like` cannot hold a literal `*`/`?`, so the texts avoid them.
  fc.record({ kind: fc.constant("match" as const), field, value: pattern, caseSensitive: fc.constant(true) }),
  fc.record({ kind: fc.constant("exists" as const), field }),
  fc.record({ kind: fc.constant("range" as const), field, op: fc.constantFrom("lt" as const, "lte" as const, "gt" as const, "gte" as const), value: fc.oneof(number, strValue(text)) }),
  fc.record({ kind: fc.constant("regex" as const), field, pattern: text, dialect: fc.constant("lucene" as const), caseSensitive: fc.boolean() }),
  fc.record({ kind: fc.constant("cidr" as const), field, cidr: fc.constantFrom("10.0.0.0/8", "::1/128", "192.168.1.0/24") }),
  fc.constant<Query>({ kind: "none" }),
  fc.record({
    kind: fc.constant("compare" as const),
    op: fc.constantFrom("eq" as const, "neq" as const, "lt" as const, "gte" as const),
    left: fc.oneof(
      fieldExpr.map((f): Expr => ({ kind: "call", name: "length", caseInsensitive: false, args: [f] })),
      fc.tuple(fieldExpr, numExpr, fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "%" as const))
        .map(([l, r, op]): Expr => ({ kind: "arith", op, left: l, right: r })),
    ),
    right: numExpr,
  }),
  fc.tuple(fieldExpr, fieldExpr, text, fc.boolean()).map(([a, b, t, ci]): Query => ({
    kind: "predicate",
    expr: {
      kind: "call",
      name: "stringContains",
      caseInsensitive: ci,
      args: [{ kind: "call", name: "concat", caseInsensitive: false, args: [a, b] }, { kind: "literal", value: { kind: "string", parts: [{ kind: "text", value: t }] } }],
    },
  })),
);

const { cond } = fc.letrec<{ cond: Query }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    tie("cond").map((child): Query => ({ kind: "not", child })),
    fc.array(tie("cond"), { minLength: 2, maxLength: 3 }).map((cs): Query => ({ kind: "and", children: cs.flatMap((c) => (c.kind === "and" ? c.children : [c])) })),
    fc.array(tie("cond"), { minLength: 2, maxLength: 3 }).map((cs): Query => ({ kind: "or", children: cs.flatMap((c) => (c.kind === "or" ? c.children : [c])) })),
  ),
}));

/** An event query: `any where c`, or a category conjunct joined flat with `c`. */
const eventQuery: fc.Arbitrary<Query> = fc.tuple(fc.option(category, { nil: undefined }), cond).map(([c, q]) => {
  if (c === undefined) return q;
  const cat: Query = { kind: "match", field: "event.category", value: { kind: "string", parts: [{ kind: "text", value: c }] }, caseSensitive: true };
  return { kind: "and", children: [cat, ...(q.kind === "and" ? q.children : [q])] };
});

const step = (opts: { missing: boolean; runs: boolean }): fc.Arbitrary<SequenceStep> =>
  fc.record(
    {
      query: eventQuery,
      by: fc.array(field, { maxLength: 2 }),
      runs: opts.runs ? fc.integer({ min: 1, max: 100 }) : fc.constant(undefined),
      missing: opts.missing ? fc.constant(true as const) : fc.constant(undefined),
    },
    { requiredKeys: ["query", "by"] },
  ).map((s) => JSON.parse(JSON.stringify(s)) as SequenceStep); // drop undefined keys

// At most 366 days: longer windows are refused as typos (src/ir/duration.ts MAX_DURATION_MS).
const duration = fc.record({ value: fc.integer({ min: 1, max: 366 }), unit: fc.constantFrom("ms" as const, "s" as const, "m" as const, "h" as const, "d" as const) });

const sequence: fc.Arbitrary<Query> = fc
  .tuple(
    fc.array(field, { maxLength: 2 }),
    fc.option(duration, { nil: undefined }),
    step({ missing: false, runs: true }),
    fc.array(fc.oneof(step({ missing: false, runs: true }), step({ missing: true, runs: false })), { minLength: 1, maxLength: 2 }),
    fc.option(step({ missing: false, runs: false }), { nil: undefined }),
  )
  .map(([by, maxspan, first, more, until]): Query => ({
    kind: "sequence",
    by,
    ...(maxspan ? { maxspan } : {}),
    // Missing events need maxspan: without it they become plain steps.
    steps: [first, ...more.map((s) => (maxspan ? s : { query: s.query, by: s.by }))],
    ...(until ? { until } : {}),
  }));

const sample: fc.Arbitrary<Query> = fc
  .tuple(fc.array(field, { maxLength: 2 }), fc.array(step({ missing: false, runs: false }), { minLength: 2, maxLength: 3 }))
  .map(([by, steps]): Query => ({ kind: "sample", by, steps }));

const statement: fc.Arbitrary<Query> = fc
  .tuple(fc.oneof({ weight: 4, arbitrary: eventQuery }, { weight: 1, arbitrary: sequence }, { weight: 1, arbitrary: sample }),
    fc.array(fc.record({ name: fc.constantFrom("head" as const, "tail" as const), count: fc.integer({ min: 1, max: 50 }) }), { maxLength: 2 }))
  .map(([input, pipes]): Query => (pipes.length ? { kind: "pipe", input, pipes } : input))
  // Plain JSON: fc.record builds null-prototype objects, which deep equality tells apart.
  .map((q) => JSON.parse(JSON.stringify(q)) as Query);

test("parseEql(printEql(ir).text) equals ir for the printable subset", () => {
  fc.assert(
    fc.property(statement, (q) => {
      const printed = printEql(ecsLiteralsTyped(q));
      assert.equal(printed.issues, [], printed.text);
      const back = parseEql(printed.text);
      if (!back.ok) throw new Error(`${printed.text}\n${back.error.code} ${back.error.message} at ${back.error.offset}`);
      // The printer types literals on ECS fields (`process.name == 5` is `"5"`): that IR is what prints.
      assert.equal(stripSpans(back.value), JSON.parse(JSON.stringify(ecsLiteralsTyped(q))), printed.text);
    }),
    { seed: 42, numRuns: 300 },
  );
});

test.run();
