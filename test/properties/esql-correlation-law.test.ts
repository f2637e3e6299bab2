/**
 * The correlation law for ES|QL: the groups a correlation alerts on over a stream (the IR's stream
 * evaluator, no timespan: the whole stream is one run's look-back) are the groups the printed
 * `STATS … BY … | WHERE` returns. Held for the conditions whose measure only grows with more events
 * (`gt`/`gte` on event_count and value_count, extra measures of those bounded alike, and
 * `temporal`): for those, "some prefix of the run
 * met the bound", which the IR's evaluator reports, and "the whole run meets it" are the same.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runEsql } from "../../src/eval/esql-run.js";
import { compileQuery } from "../../src/eval/evaluate.js";
import { evaluateStream } from "../../src/eval/stream.js";
import type { CorrelationType, Query } from "../../src/ir/query.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";
import { printEsql } from "../../src/query/esql/esql-printer.js";
import { readEsql } from "../../src/query/esql/esql-read.js";
import { queryWhere, RUNS } from "./arbitraries.js";

const ruleQuery = queryWhere((l) => l.kind !== "keyword" && !("field" in l && (l.field === "n" || l.field === "ip")));
const KEYS = ["a", "process.name"] as const;
const VALUES = ["x", "y", "cmd", "CMD", "10"] as const;

const correlation: fc.Arbitrary<Query> = fc.record({
  type: fc.constantFrom<CorrelationType>("event_count", "value_count", "temporal"),
  rules: fc.array(ruleQuery, { minLength: 1, maxLength: 2 }),
  groupBy: fc.subarray([...KEYS]),
  op: fc.constantFrom<"gt" | "gte">("gt", "gte"),
  bound: fc.integer({ min: 0, max: 3 }),
  // Further measures of the same groups (what ES|QL's STATS bounds beside the first).
  extra: fc.array(fc.record({
    type: fc.constantFrom<"event_count" | "value_count">("event_count", "value_count"),
    field: fc.constantFrom("a", "b"),
    op: fc.constantFrom<"gt" | "gte">("gt", "gte"),
    bound: fc.integer({ min: 1, max: 3 }),
    filter: fc.option(ruleQuery, { nil: undefined, freq: 3 }),
  }), { maxLength: 2 }),
}).map(({ type, rules, groupBy, op, bound, extra }): Query => ({
  kind: "correlation",
  type,
  rules: rules.map((query, i) => ({ name: `r${i}`, query })),
  groupBy,
  condition: type === "temporal" ? [] : [{ op, value: bound }],
  ...(type === "value_count" ? { valueField: "b" } : {}),
  ...(type !== "temporal" && extra.length > 0
    ? { extraMeasures: extra.map((m) => ({ type: m.type, condition: [{ op: m.op, value: m.bound }], ...(m.type === "value_count" ? { valueField: m.field } : {}), ...(m.filter ? { filter: m.filter } : {}) })) }
    : {}),
}));

/** Single values (the printer warns on a key with several), of the types the mapping gives. */
const event = fc.record({
  a: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  b: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  pn: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
}).map((r) => {
  const e: Record<string, unknown> = {};
  if (r.a !== undefined) e["a"] = r.a;
  if (r.b !== undefined) e["b"] = r.b;
  if (r.pn !== undefined) e["process.name"] = r.pn;
  return e;
});

test("the groups an event_count/value_count (gt, gte, with extra measures) or temporal correlation alerts on = the rows of the printed STATS = those of the IR read back", () => {
  let checked = 0;
  let alerting = 0;
  let several = 0;
  fc.assert(
    fc.property(correlation, fc.array(event, { minLength: 1, maxLength: 12 }), (ir, events) => {
      if (ir.kind !== "correlation" || !ir.rules.every((r) => compileQuery(r.query).ok) || !(ir.extraMeasures ?? []).every((m) => !m.filter || compileQuery(m.filter).ok)) return;
      const printed = printEsql(ir, { fieldType: (f) => (f === "n" ? "number" : undefined) });
      if (printed.issues.some((i) => i.severity === "error")) return;
      const ast = parseEsqlAst(printed.text);
      if (!ast.ok) throw new Error(`${printed.text}\n${ast.error.message}`);
      const want = evaluateStream(ir, events);
      if (!want.ok) throw new Error(want.reason);
      const got = runEsql(ast.value, events);
      if (!got.ok) throw new Error(`${printed.text}\n${got.reason}`);
      const expected = [...new Set(want.matches.map((m) => JSON.stringify(m.key ?? [])))].sort();
      const actual = got.rows.map((row) => JSON.stringify(ir.groupBy.map((g) => row.get(g) ?? null))).sort();
      checked++;
      if (expected.length) alerting++;
      if (ir.extraMeasures && expected.length) several++;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`${printed.text}\nIR ${JSON.stringify(ir)}\nevents ${JSON.stringify(events)}\nIR groups ${expected.join(" ")}, ES|QL groups ${actual.join(" ")}`);
      }
      // Read back by the ES|QL reader, the correlation alerts on the same groups.
      const back = readEsql(printed.text);
      if (!back.ok || back.value.kind !== "ir") throw new Error(`${printed.text}\ndoes not read back: ${back.ok ? back.value.kind === "refused" && back.value.refusal.message : back.error.message}`);
      const again = evaluateStream(back.value.query, events);
      if (!again.ok) throw new Error(again.reason);
      const reread = [...new Set(again.matches.map((m) => JSON.stringify(m.key ?? [])))].sort();
      if (JSON.stringify(reread) !== JSON.stringify(expected)) {
        throw new Error(`${printed.text}\nread back as ${JSON.stringify(back.value.query)}\nIR groups ${expected.join(" ")}, read back ${reread.join(" ")}`);
      }
    }),
    { ...RUNS, numRuns: 1200 },
  );
  console.log(`ES|QL correlations: ${checked} checked, ${alerting} with groups that alert, ${several} of them with extra measures`);
  assert.ok(checked > 1000 && alerting > 200 && several > 25, `${checked} checked, ${alerting} alerting, ${several} with extra measures`);
});

test.run();
