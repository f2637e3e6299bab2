/**
 * The ES|QL round-trip law: for every event, evaluate(ir) = the ES|QL evaluator's verdict on
 * printEsql(ir), read back by rulecast's ES|QL parser into an ES|QL syntax tree (not the IR) and run
 * with ES|QL's null, type and multi-value rules. Events follow one mapping, as an index does: `a`,
 * `b`, `process.name` and `ip` hold text, `n` numbers; any field may be missing, null, or hold
 * several values. Kibana's own parser must accept every printed query.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches } from "../../src/eval/esql-run.js";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import { fieldValues } from "../../src/eval/field-values.js";
import type { Query } from "../../src/ir/query.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";
import { type EsqlFieldType, type EsqlPrintOptions, printEsql } from "../../src/query/esql/esql-printer.js";
import { readEsql } from "../../src/query/esql/esql-read.js";
import type { PrintIssue } from "../../src/query/print-result.js";
import { checkEsql } from "../helpers/esql-oracle.js";
import { queryWhere, RUNS } from "./arbitraries.js";
import { countKnown, disagreement, formatStats, type Known, newStats } from "./law.js";

const FIELD_TYPES: Readonly<Record<string, EsqlFieldType>> = { n: "number" };
const fieldType = (f: string): EsqlFieldType | undefined => FIELD_TYPES[f];

/** ES|QL has no search of every field's characters, so no `keyword` leaves. */
const esqlQuery = queryWhere((l) => l.kind !== "keyword");

const TEXT_PIECES = ["cmd", "CMD", "Cmd", ".exe", "x", "X", "*", "?", "\\", '"', "%", "_", "10", "a b", "é", "É"] as const;
const text = fc.array(fc.constantFrom(...TEXT_PIECES), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(""));
const textValue = fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 3, arbitrary: fc.constantFrom("10.0.0.1", "192.168.1.5", "::1", "true", "True", "", "b", "a", "c:d", "abc") },
  { weight: 2, arbitrary: fc.constantFrom("10", "10.0", "5", "05", "-1", "3.5", "3.50") },
);
const numberValue = fc.constantFrom(10, 5, -1, 3.5, 0, 11);

function valueOf<T>(scalar: fc.Arbitrary<T>, single: boolean): fc.Arbitrary<unknown> {
  if (single) return fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant(null) }), { maxLength: 3 }) },
  );
}

/** An event of the mapping above; `single`: no field holds several values. */
function typedEvent(single: boolean): fc.Arbitrary<Record<string, unknown>> {
  const field = (name: string) => fc.option(name === "n" ? valueOf(numberValue, single) : valueOf(textValue, single), { nil: undefined, freq: 3 });
  return fc.record({ a: field("a"), b: field("b"), pn: field("process.name"), ip: field("ip"), n: field("n"), nest: fc.boolean() }).map((r) => {
    const e: Record<string, unknown> = {};
    if (r.a !== undefined) e["a"] = r.a;
    if (r.b !== undefined) e["b"] = r.b;
    if (r.ip !== undefined) e["ip"] = r.ip;
    if (r.n !== undefined) e["n"] = r.n;
    if (r.pn !== undefined) {
      if (r.nest) e["process"] = { name: r.pn };
      else e["process.name"] = r.pn;
    }
    return e;
  });
}

const cases = (single: boolean) => fc.tuple(esqlQuery, fc.array(typedEvent(single), { minLength: 1, maxLength: 8 }));

/** Fields of the nodes the printer warned about (`esql/multi-value`: ES|QL tests one value). */
function warnedFields(issues: readonly PrintIssue[]): Set<string> {
  const out = new Set<string>();
  const add = (q: Query): void => {
    if ("field" in q && typeof q.field === "string") out.add(q.field);
    if (q.kind === "fieldref") out.add(q.other);
    if (q.kind === "compare" || q.kind === "predicate") for (const m of JSON.stringify(q).matchAll(/"field":"([^"]+)"/g)) out.add(m[1]!);
  };
  for (const i of issues) if (i.code === "esql/multi-value") add(i.node);
  return out;
}

/** The warned difference itself: ES|QL's test is NULL where a warned field holds several values. */
function multiValueKnown(fields: ReadonlySet<string>): Known {
  return {
    name: "a test of a field holding several values (printer warning esql/multi-value)",
    applies: (_ir, e) => [...fields].some((f) => fieldValues(e, f).filter((v) => v !== null).length > 1),
  };
}

function law(label: string, single: boolean, options: EsqlPrintOptions): void {
  test(`${label}: evaluate(ir) = ES|QL evaluation of printEsql(ir) read back`, () => {
    const stats = newStats();
    const refusals = new Map<string, number>();
    fc.assert(
      fc.property(cases(single), ([ir, events]) => {
        stats.cases++;
        if (!compileQuery(ir).ok) {
          stats.unevaluable++;
          return;
        }
        const printed = printEsql(ir, options);
        const errors = printed.issues.filter((i) => i.severity === "error");
        if (errors.length > 0) {
          stats.refused++;
          for (const e of errors) refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
          return;
        }
        if (printed.issues.length > 0) stats.changed++;
        const back = parseEsqlAst(printed.text);
        if (!back.ok) throw new Error(`${printed.text}\n${back.error.code} ${back.error.message} at ${back.error.offset}`);
        const known = [multiValueKnown(warnedFields(printed.issues))];
        const msg = disagreement(ir, (e) => esqlMatches(back.value, e), events, printed.text, known, countKnown(stats));
        if (msg) throw new Error(msg);
      }),
      RUNS,
    );
    console.log(formatStats(label, stats), [...refusals].map(([c, n]) => `${c}: ${n}`).join(", "));
    assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.15, formatStats(label, stats));
  });
}

// Every field may hold several values: MV_EXPAND, MV_MAX/MV_MIN, or a warning per test.
law("ES|QL, any field multi-valued", false, { fieldType, multiValued: () => true });
// The default: fields outside the ECS array fields hold one value (the events here do).
law("ES|QL, single-valued fields", true, { fieldType });

test("Kibana's parser accepts every printed query (release grammar)", () => {
  let checked = 0;
  fc.assert(
    fc.property(esqlQuery, fc.boolean(), (ir, multi) => {
      const printed = printEsql(ir, { fieldType, indices: ["logs-*", "winlogbeat-*"], ...(multi ? { multiValued: () => true } : {}) });
      if (printed.issues.some((i) => i.severity === "error")) return;
      checked++;
      const r = checkEsql(printed.text, { release: true });
      if (!r.ok) throw new Error(`${printed.text}\nKibana: ${r.first?.line}:${r.first?.column} ${r.first?.message}`);
    }),
    { ...RUNS, numRuns: 400 },
  );
  assert.ok(checked > 300, `only ${checked} queries printed without error`);
});

test("parse(print(ir)) means ir: the ES|QL reader gives back an IR with the same verdicts (single values)", () => {
  const stats = newStats();
  fc.assert(
    fc.property(cases(true), ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const printed = printEsql(ir, { fieldType });
      if (printed.issues.some((i) => i.severity === "error")) {
        stats.refused++;
        return;
      }
      const back = readEsql(printed.text);
      if (!back.ok) throw new Error(`${printed.text}\n${back.error.message}`);
      if (back.value.kind !== "ir") throw new Error(`${printed.text}\nrefused: ${back.value.refusal.code} ${back.value.refusal.message}`);
      const read = back.value.query;
      const msg = disagreement(ir, (e) => evaluate(read, e), events, printed.text);
      if (msg) throw new Error(`${msg}\nread back as ${JSON.stringify(read)}`);
    }),
    RUNS,
  );
  console.log(formatStats("ES|QL read back", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.15, formatStats("ES|QL read back", stats));
});

test.run();
