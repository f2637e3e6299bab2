/**
 * Several bounded measures → a chain of Sigma correlations, and back. An ES|QL rule that bounds a
 * count, a distinct count, a count over a subset and an OR of two more is written as one correlation
 * per bound joined by temporal correlations (warned: the chain matches more), and the Sigma file reads
 * back (warned: the reading matches less) to a correlation that matches exactly what the rule read
 * from ES|QL matches, on random event streams. Chains of other shapes are refused by name.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { NodeOf } from "../../src/ir/query.js";
import { runCorrelation } from "../../src/eval/correlation.js";
import { orderEvents } from "../../src/eval/stream-events.js";
import { readEsqlRule } from "../../src/passes/read-esql-rule.js";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { admitsZero } from "../../src/targets/sigma/sigma-measure-chain.js";
import { testContext } from "../helpers/convert-fixture.js";

const ruleFile = (query: string) =>
  [
    "rule_id: 5e0c1b7a-0000-4000-8000-00000000c4a1",
    "name: Spray from one source",
    "description: Failed logons from one address.",
    "type: esql",
    "language: esql",
    "severity: medium",
    "risk_score: 47",
    "interval: 5m",
    "from: now-10m",
    "query: |",
    ...query.split("\n").map((l) => `  ${l}`),
    "",
  ].join("\n");

const MEASURES = `FROM logs-*
| WHERE event.outcome == "failure"
| STATS n = COUNT(*), users = COUNT_DISTINCT(user.name), remote = COUNT(*) WHERE source.port > 1024, hosts = COUNT_DISTINCT(host.name) BY source.ip
| WHERE n >= 4 AND users >= 2 AND remote >= 2 AND (hosts >= 2 OR n <= 6)`;

const OPTIONS = { sigmaTaxonomy: "ecs", sigmaCase: "exact" } as const;

function source(query: string) {
  const read = readRules([{ path: "rules/spray.yaml", text: ruleFile(query) }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  return read.rules[0]!;
}

function chainOf(query: string, options: Record<string, string> = OPTIONS) {
  const rule = source(query);
  const res = convertRule(rule, ["sigma"], testContext(options));
  return { rule, res, file: res.files.find((f) => f.path.endsWith(".yml")) };
}

const event = fc.record({
  outcome: fc.constantFrom("failure", "failure", "success"),
  user: fc.constantFrom("ann", "bob", "cy"),
  port: fc.constantFrom(443, 50000),
  host: fc.constantFrom("h1", "h2"),
  ip: fc.constantFrom("10.0.0.1", "10.0.0.2"),
  gap: fc.integer({ min: 0, max: 240 }),
});

test("the measures are a chain of correlations, warned, that reads back to a correlation matching what the ES|QL rule matches", () => {
  const { rule, res, file } = chainOf(MEASURES);
  assert.ok(file, JSON.stringify(res.diagnostics));
  assert.ok(res.diagnostics.some((d) => d.code === "sigma/chained-measures" && d.severity === "warning"));
  // main, users, remote (a subset rule), hosts and n <= 6 (the OR), two conjunctions, the OR: 9 documents.
  assert.match(file!.content, /type: temporal\n/);
  assert.match(file!.content, /condition:\n {8}gte: 1\n/);
  const back = readRules([{ path: "spray.yml", text: file!.content }]);
  assert.equal(back.diagnostics.filter((d) => d.severity === "error"), []);
  assert.ok(back.diagnostics.some((d) => d.code === "sigma/chain-narrowed" && d.severity === "warning"));
  const generated = back.rules.filter((r) => r.custom["sigma.generate"] !== false);
  assert.is(generated.length, 1, "only the outermost correlation fires");
  const got = generated[0]!.query as NodeOf<"correlation">;
  const esql = readEsqlRule(rule);
  assert.ok("rule" in esql);
  if (!("rule" in esql)) return;
  const want = esql.rule.query as NodeOf<"correlation">;
  assert.is(got.kind, "correlation");
  assert.equal(got.timespan, want.timespan);
  assert.is(got.extraMeasures?.length ?? 0, 0, "the OR holds the further bounds, in each of its sets");
  assert.is(got.anyOf?.length, 2);
  let matched = 0;
  fc.assert(
    fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (rows) => {
      let t = Date.UTC(2026, 0, 1);
      const events = rows.map((r) => {
        t += r.gap * 1000;
        return {
          "@timestamp": new Date(t).toISOString(),
          event: { outcome: r.outcome },
          user: { name: r.user },
          source: { ip: r.ip, port: r.port },
          host: { name: r.host },
        };
      });
      const ordered = orderEvents(events, "@timestamp", true);
      assert.ok(ordered.ok);
      if (!ordered.ok) return;
      const a = runCorrelation(want, ordered.events);
      const b = runCorrelation(got, ordered.events);
      assert.ok(a.ok && b.ok, JSON.stringify([a, b]));
      if (a.ok && b.ok) assert.equal(b.matches, a.matches);
      if (a.ok && a.matches.length > 0) matched++;
    }),
    { seed: 20261204, numRuns: 400 },
  );
  assert.ok(matched > 20, `only ${matched} streams matched`);
});

test("some streams match: the law above is not about empty results", () => {
  const { rule } = chainOf(MEASURES);
  const esql = readEsqlRule(rule);
  if (!("rule" in esql)) return assert.unreachable();
  const rows = [
    ["ann", 50000, "h1"],
    ["bob", 50000, "h2"],
    ["cy", 443, "h1"],
    ["ann", 443, "h1"],
  ].map(([user, port, host], i) => ({ "@timestamp": new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), event: { outcome: "failure" }, user: { name: user }, source: { ip: "10.0.0.1", port }, host: { name: host } }));
  const ordered = orderEvents(rows, "@timestamp", true);
  if (!ordered.ok) return assert.unreachable();
  const r = runCorrelation(esql.rule.query as NodeOf<"correlation">, ordered.events);
  assert.ok(r.ok && r.matches.length === 1);
});

test("--sigma-measures refuse refuses, by name", () => {
  const { res, file } = chainOf(MEASURES, { ...OPTIONS, sigmaMeasures: "refuse" });
  assert.is(file, undefined);
  assert.ok(res.diagnostics.some((d) => d.code === "sigma/several-measures" && d.severity === "error"));
});

test("a bound over a subset that holds when the subset is empty cannot be chained: refused", () => {
  const { res, file } = chainOf(`FROM logs-*
| WHERE event.outcome == "failure"
| STATS n = COUNT(*), ok = COUNT(*) WHERE source.port > 1024 BY source.ip
| WHERE n >= 4 AND ok == 0`);
  assert.is(file, undefined);
  const e = res.diagnostics.find((d) => d.severity === "error");
  assert.is(e?.code, "sigma/several-measures");
  assert.match(e!.message, /holds where no event of the subset exists/);
});

test("admitsZero: whether a count of 0 passes every bound", () => {
  assert.ok(admitsZero([{ op: "eq", value: 0 }]));
  assert.ok(admitsZero([{ op: "lt", value: 5 }]));
  assert.ok(admitsZero([{ op: "gte", value: 0 }, { op: "lte", value: 3 }]));
  assert.not.ok(admitsZero([{ op: "gte", value: 1 }]));
  assert.not.ok(admitsZero([{ op: "gt", value: 0 }]));
  assert.not.ok(admitsZero([{ op: "neq", value: 0 }]));
  assert.not.ok(admitsZero([{ op: "lt", value: 5 }, { op: "gt", value: 1 }]));
});

const base = (name: string, value: string) => `title: Base ${name}
id: 00000000-0000-4000-8000-00000000000${name.length}
name: ${name}
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: ${value}
    condition: selection
`;
const corr = (name: string, id: string, body: string) => `title: Correlation ${name}
id: ${id}
name: ${name}
correlation:
${body}`;

test("chains of other shapes are refused by name", () => {
  const measures = [
    base("failed_logon", "4625"),
    corr("count_of_failed", "00000000-0000-4000-8000-0000000000a1", "    type: event_count\n    rules: [failed_logon]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: {gte: 10}\n"),
    corr("users_of_failed", "00000000-0000-4000-8000-0000000000a2", "    type: value_count\n    rules: [failed_logon]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: {gte: 3, field: TargetUserName}\n"),
  ];
  const cases: [string, RegExp][] = [
    ["    type: temporal\n    rules: [count_of_failed, users_of_failed]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: {gte: 2}\n", /^$/],
    ["    type: event_count\n    rules: [count_of_failed, users_of_failed]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: {gte: 2}\n", /event_count correlation of correlations/],
    ["    type: temporal\n    rules: [count_of_failed, failed_logon]\n    group-by: [IpAddress]\n    timespan: 5m\n", /also names base rules/],
    ["    type: temporal\n    rules: [count_of_failed, users_of_failed]\n    group-by: [IpAddress]\n    timespan: 10m\n", /differ from it in group-by or timespan/],
    ["    type: temporal\n    rules: [count_of_failed, users_of_failed]\n    group-by: [TargetUserName]\n    timespan: 5m\n", /differ from it in group-by or timespan/],
  ];
  for (const [body, want] of cases) {
    const text = [...measures, corr("the_chain_here", "00000000-0000-4000-8000-0000000000a9", body)].join("---\n");
    const read = readRules([{ path: "chain.yml", text }]);
    const errors = read.diagnostics.filter((d) => d.severity === "error");
    if (want.source === "^$") {
      assert.equal(errors, [], body);
      const rule = read.rules.find((r) => r.id === "00000000-0000-4000-8000-0000000000a9")!;
      const q = rule.query as NodeOf<"correlation">;
      assert.is(q.type, "event_count");
      assert.equal(q.extraMeasures, [{ type: "value_count", condition: [{ op: "gte", value: 3 }], valueField: "TargetUserName" }]);
      continue;
    }
    assert.is(errors.length, 1, body);
    assert.is(errors[0]!.code, "sigma/chained-correlation");
    assert.match(errors[0]!.message, want);
  }
});

test.run();
