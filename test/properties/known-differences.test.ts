/**
 * Each named known difference, reproduced by its minimal case. When an owner fixes one, its case
 * here fails: delete the case and the `Known` entry so the laws hold the fix.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { printKql } from "../../src/query/kql/kql-printer.js";
import { evaluateSpl } from "../../src/query/spl/spl-evaluate.js";
import { parseSpl } from "../../src/query/spl/spl-parser.js";
import { renderSplQuery } from "../../src/targets/splunk/spl-query.js";
import { BOOLEAN_STRING_CASE, KEYWORD_WIDENED, NULL_IN_ARRAY, NUMBER_EQ_NUMERIC, RANGE_ON_TEXT } from "./known-differences.js";
import type { Known } from "./law.js";

const str = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
const re: Query = { kind: "regex", field: "z", pattern: "cmd", dialect: "pcre", caseSensitive: true };

function spl(q: Query, e: Record<string, unknown>): boolean {
  const r = renderSplQuery(q);
  const text = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
  const p = parseSpl(text);
  if (!p.ok) throw new Error(p.error.message);
  const v = evaluateSpl(p.value, e);
  if (!v.ok) throw new Error(v.reason);
  return v.matched;
}

function kql(q: Query, e: Record<string, unknown>): boolean {
  const p = parseKql(printKql(q).text);
  if (!p.ok) throw new Error(p.error.message);
  const v = evaluate(p.value, e);
  return v.ok && v.matched;
}

function ir(q: Query, e: Record<string, unknown>): boolean {
  const v = evaluate(q, e);
  return v.ok && v.matched;
}

const cases: readonly { known: Known; q: Query; e: Record<string, unknown>; target: (q: Query, e: Record<string, unknown>) => boolean }[] = [
  { known: RANGE_ON_TEXT, q: { kind: "or", children: [{ kind: "range", field: "b", op: "lt", value: { kind: "number", value: 10, raw: "10" } }, re] }, e: { b: '"' }, target: spl },
  { known: KEYWORD_WIDENED, q: { kind: "keyword", value: str("*cmd"), caseSensitive: false }, e: { a: "cmd" }, target: spl },
  { known: NUMBER_EQ_NUMERIC, q: { kind: "or", children: [{ kind: "match", field: "n", value: { kind: "number", value: 10, raw: "10" }, caseSensitive: true }, re] }, e: { n: "10.0" }, target: spl },
  { known: BOOLEAN_STRING_CASE, q: { kind: "or", children: [{ kind: "match", field: "n", value: { kind: "boolean", value: true }, caseSensitive: true }, re] }, e: { n: "True" }, target: spl },
  { known: BOOLEAN_STRING_CASE, q: { kind: "match", field: "b", value: { kind: "boolean", value: true }, caseSensitive: true }, e: { b: "True" }, target: kql },
  { known: NULL_IN_ARRAY, q: { kind: "match", field: "b", value: { kind: "null" }, caseSensitive: true }, e: { b: ["cmd", null] }, target: kql },
  { known: NULL_IN_ARRAY, q: { kind: "match", field: "b", value: { kind: "null" }, caseSensitive: true }, e: { b: ["cmd", null] }, target: spl },
];

for (const c of cases) {
  test(`known difference still reproduces: ${c.known.name} (${c.target.name})`, () => {
    assert.is.not(c.target(c.q, c.e), ir(c.q, c.e), "fixed? remove this case and its Known entry");
    assert.ok(c.known.applies(c.q, c.e), "the Known predicate must explain its own minimal case");
  });
}

test.run();
