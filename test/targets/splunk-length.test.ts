/**
 * EQL's `length(F) > 0` in SPL (issue 15): F holds a non-empty value. The search part is `F=*`
 * (wider: an empty value has a value too) and `| where` says it exactly with mvfind, whose
 * per-value meaning Splunk documents, as EQL's length maps over the values of a multi-valued
 * field (expr-eval.ts). Checked against the IR evaluator with the SPL oracle, then in a tstats
 * search, where the field is grouped. Other lengths stay refused by name (EQL counts UTF-16 units,
 * Splunk characters).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../src/eval/evaluate.js";
import type { CompareOp, Expr, Query } from "../../src/ir/query.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { renderSplQuery } from "../../src/query/spl/spl-printer.js";
import { testContext } from "../helpers/convert-fixture.js";
import { evaluateSpl, evaluateSplSearch } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";

const len: Expr = { kind: "call", name: "length", caseInsensitive: false, args: [{ kind: "field", field: "Details", optional: false }] };
const num = (n: number): Expr => ({ kind: "literal", value: { kind: "number", value: n, raw: String(n) } });
const cmp = (op: CompareOp, left: Expr, right: Expr): Query => ({ kind: "compare", op, left, right });
const named: Query = { kind: "match", field: "EventCode", value: { kind: "number", value: 13, raw: "13" }, caseSensitive: false };

const NON_EMPTY: readonly [string, Query][] = [
  ["length(Details) > 0", cmp("gt", len, num(0))],
  ["length(Details) >= 1", cmp("gte", len, num(1))],
  ["0 < length(Details)", cmp("lt", num(0), len)],
];
const EVENTS: readonly Record<string, unknown>[] = [{}, { Details: "" }, { Details: "x" }, { Details: ["", "x"] }, { Details: [""] }, { Details: [] }, { Details: 5 }, { Details: null }, { Details: "\n" }];

for (const [label, q] of NON_EMPTY) {
  for (const [form, query] of [
    [label, { kind: "and", children: [named, q] }],
    [`not ${label}`, { kind: "and", children: [named, { kind: "not", child: q }] }],
  ] as const) {
    test(`SPL says ${form} exactly (IR evaluator = SPL oracle), its search part a superset`, () => {
      const r = renderSplQuery(query as Query);
      assert.equal(r.issues, []);
      if (form === label) assert.ok(r.search.includes("Details=*"), r.search);
      const text = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
      assert.ok(text.includes('mvfind(Details, "(?s).")'), text);
      const parsed = parseSpl(text);
      assert.ok(parsed.ok, text);
      for (const e of EVENTS) {
        const event = { EventCode: 13, ...e };
        const want = evaluate(query as Query, event);
        const got = parsed.ok ? evaluateSpl(parsed.value, event) : undefined;
        const head = parsed.ok ? evaluateSplSearch(parsed.value, event) : undefined;
        assert.ok(want.ok && got?.ok && head?.ok, JSON.stringify({ want, got, head }));
        assert.is(got.ok && got.matched, want.ok && want.matched, `${form} on ${JSON.stringify(e)}: ${text}`);
        if (want.ok && want.matched) assert.ok(head.ok && head.matched, `search part loses ${JSON.stringify(e)}`);
      }
    });
  }
}

test("other lengths are refused by name (EQL counts UTF-16 units, Splunk characters)", () => {
  for (const q of [cmp("gt", len, num(50)), cmp("gte", len, num(0)), cmp("eq", len, num(0)), cmp("neq", len, num(0))]) {
    const r = renderSplQuery(q);
    assert.ok(r.issues.some((i) => i.code === "splunk/expression"), JSON.stringify(q));
  }
});

const REGISTRY_RULE = [
  "rule_id: 0a1b2c3d-0000-4000-8000-000000000152",
  "name: Registry length test",
  "description: registry length test",
  "type: eql",
  "language: eql",
  'index: ["logs-endpoint.events.registry-*"]',
  "severity: low",
  "risk_score: 21",
  `query: ${JSON.stringify('registry where host.os.type == "windows" and event.type == "change" and registry.value : "Debugger" and length(registry.data.strings) > 0')}`,
].join("\n");

test("in a tstats search the field is tested in `where` (no null group) and grouped for the exact `| where`", () => {
  const read = readRules([{ path: "rules/reg.yaml", text: REGISTRY_RULE }]);
  const out = convertRules(read.rules, ["splunk"], testContext({ splunkTaxonomy: "cim" }));
  assert.equal(out.diagnostics.filter((d) => d.severity === "error" || d.code === "splunk/cim-fallback"), []);
  const spl = out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  const lines = spl.split("\n");
  // event.type change (a value set) is CIM action=modified (ecs-cim.yaml, as sigma-cim.yaml's registry_set).
  assert.match(lines[0]!, /from datamodel=Endpoint\.Registry where Registry\.action="modified" .*Registry\.registry_value_data=\* by /);
  assert.match(lines[0]!, / by .*Registry\.registry_value_data/);
  assert.ok(lines.some((l) => l.startsWith("| where ") && l.includes('isnotnull(mvfind(registry_value_data, "(?s)."))')), spl);
});

test("raw events (Sysmon names): Details=* in the search, the exact test in `| where`", () => {
  const read = readRules([{ path: "rules/reg.yaml", text: REGISTRY_RULE }]);
  const out = convertRules(read.rules, ["splunk"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const spl = out.files.find((f) => f.path.endsWith(".spl"))?.content ?? "";
  assert.match(spl, /EventCode=13 .*Details=\*/);
  assert.match(spl, /isnotnull\(mvfind\(Details, "\(\?s\)\."\)\)/);
});

test.run();
