import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { Part, Query } from "../../../src/ir/query.js";
import { parseKql } from "../../../src/query/kql/kql-parser.js";
import { printKql } from "../../../src/query/kql/kql-printer.js";
import { normalise } from "./strip-spans.js";

/** Pieces that stress the grammar: specials, keywords in every position, whitespace kinds. */
const tricky = fc.constantFrom(" ", "\\", '"', "*", ":", "(", ")", "{", "}", "<", ">=", "=", "?", "or", "and", "not", " or ", " AND ", "not ", "NOT ", "\t", "\n", "\u00a0", "\\not", "\\u0041", "null", "true", "é");
const text = fc.array(fc.oneof(fc.string({ maxLength: 4 }), tricky), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(""));

const rawParts = fc.array(fc.oneof(text.map((value): Part => ({ kind: "text", value })), fc.constant<Part>({ kind: "any" })), { maxLength: 4 });

/** The IR's canonical parts: adjacent text merged, empty text dropped. */
function canonical(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === "text" && p.value === "") continue;
    if (p.kind === "text" && prev?.kind === "text") out[out.length - 1] = { kind: "text", value: prev.value + p.value };
    else out.push(p);
  }
  return out;
}

/** Printable: a pattern cannot have edge whitespace (KQL trims it); a lone `*` is `exists`. */
const parts = rawParts.map(canonical).filter((ps) => {
  if (ps.length === 1 && ps[0]?.kind === "any") return false;
  if (ps.every((p) => p.kind === "text")) return true;
  const first = ps[0];
  const last = ps[ps.length - 1];
  return !(first?.kind === "text" && /^\s/.test(first.value)) && !(last?.kind === "text" && /\s$/.test(last.value));
});
function spacedPattern(parts: readonly Part[]): boolean {
  return parts.some((p) => p.kind === "any") && parts.some((p) => p.kind === "text" && /\s/.test(p.value));
}
const textParts = text.map((value): Part[] => canonical([{ kind: "text", value }]));

const field = fc.oneof(fc.constantFrom("a", "process.name", "x y", "a:b", "null", "cannot", " sp", "process.*", "f(1)", "a\\b"), text).filter((f) => f !== "*");

function prefixFields(q: Query, prefix: string): Query {
  switch (q.kind) {
    case "match":
    case "exists":
    case "range":
      return { ...q, field: prefix + q.field };
    case "nested":
      return { ...q, path: prefix + q.path, query: prefixFields(q.query, prefix) };
    case "and":
    case "or":
      return { ...q, children: q.children.map((c) => prefixFields(c, prefix)) };
    case "not":
      return { ...q, child: prefixFields(q.child, prefix) };
    default:
      return q;
  }
}

const leaf: fc.Arbitrary<Query> = fc.oneof(
  // A pattern with inner whitespace is printable on a keyword field only (elsewhere Kibana splits it).
  { weight: 4, arbitrary: fc.record({ field, parts }).map(({ field, parts }): Query => ({ kind: "match", field: spacedPattern(parts) ? "process.name" : field, value: { kind: "string", parts }, caseSensitive: true })) },
  fc.record({ field }).map(({ field }): Query => ({ kind: "exists", field })),
  fc.record({ field, op: fc.constantFrom("lt" as const, "lte" as const, "gt" as const, "gte" as const), parts: textParts }).map(
    ({ field, op, parts }): Query => ({ kind: "range", field, op, value: { kind: "string", parts } }),
  ),
  // A bare value with a wildcard is a field-less query_string, which KQL printing refuses.
  fc.record({ parts: textParts }).map(({ parts }): Query => ({ kind: "keyword", value: { kind: "string", parts }, caseSensitive: false })),
  fc.constant<Query>({ kind: "all" }),
);

const { query } = fc.letrec<{ query: Query }>((tie) => ({
  query: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("query"), { minLength: 2, maxLength: 3 }).map((children): Query => ({ kind: "and", children })),
    fc.array(tie("query"), { minLength: 2, maxLength: 3 }).map((children): Query => ({ kind: "or", children })),
    tie("query").map((child): Query => ({ kind: "not", child })),
    fc.record({ path: fc.constantFrom("p", "a.b"), q: tie("query") }).map(({ path, q }): Query => ({ kind: "nested", path, query: prefixFields(q, `${path}.`) })),
  ),
}));

test("parseKql(printKql(ir)) equals ir (spans stripped, and/or flattened)", () => {
  fc.assert(
    fc.property(query, (ir) => {
      const printed = printKql(ir);
      // Under a nested path, process.name is no longer the ECS keyword field.
      fc.pre(!printed.issues.some((i) => i.code === "kql/wildcard-whitespace"));
      assert.equal(printed.issues, [], printed.text);
      const back = parseKql(printed.text);
      if (!back.ok) assert.unreachable(`${printed.text}: ${back.error.code} ${back.error.message} @${back.error.offset}`);
      if (back.ok) assert.equal(normalise(back.value), normalise(ir), printed.text);
    }),
    { seed: 42, numRuns: 300 },
  );
});

test.run();
