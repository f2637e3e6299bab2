/**
 * Guard for lifts that leave events of another kind out (issue 19.2; the `narrows` of mappings/
 * ecs-sigma.yaml and its foreign_datasets): for every such mapping entry, a rule that allows the
 * left-out values goes Elastic → Sigma → Elastic, and
 * - a mapping/logsource-narrowed warning names every left-out value the rule allowed;
 * - on events made from both queries' values, every event the rule matched and the read-back does
 *   not carries a value a warning names (nothing else is dropped without a word);
 * - the read-back matches no event the rule did not (nothing widens without a word).
 * A new entry fails here until it has a case below.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigma } from "../../src/mapping/mapping-table.js";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleEvents } from "../semantic/rule-events.js";

/** Every mapping entry that leaves values out, by a name the cases below use. */
function entries(): Map<string, Readonly<Record<string, readonly string[]>>> {
  const m = ecsToSigma();
  const out = new Map<string, Readonly<Record<string, readonly string[]>>>();
  for (const r of m.implied ?? []) if (r.narrows) out.set(`implied ${r.category}`, r.narrows.ecs);
  for (const r of m.alternatives ?? []) if (r.narrows) out.set(`alternative ${r.logsource.category}`, r.narrows.ecs);
  for (const r of m.logsources) if (r.narrows) out.set(`logsource ${r.logsource.category}`, r.narrows.ecs);
  for (const r of m.foreignDatasets ?? []) out.set(`foreign ${r.datasets.join(",")}`, { "data_stream.dataset": r.datasets });
  return out;
}

/** A concrete value for a listed one (`network_traffic.*` → `network_traffic.flow`). */
const concrete = (v: string) => (v.endsWith("*") ? `${v.slice(0, -1)}flow` : v);

/** Per entry: the rule's query (KQL, or EQL with `eql`) for a left-out value `field:value`, and its OS. */
const CASES: Record<string, { os: string; eql?: boolean; query: (field: string, value: string) => string }> = {
  "implied process_creation": { os: "linux", query: (f, v) => `event.category:process and event.type:start and host.os.type:linux and ${f}:(exec or "${v}") and process.executable:/tmp/x` },
  "implied file_event": { os: "linux", query: (f, v) => `event.category:file and event.type:creation and host.os.type:linux and ${f}:(creation or "${v}") and file.path:/etc/cron.d/x` },
  "alternative image_load": {
    os: "windows",
    eql: true,
    query: (f, v) => `any where host.os.type == "windows" and (event.category == "library" or ${f} == "${v}" or (event.category == "process" and event.action : "Image loaded*")) and dll.path : "C:\\\\x.dll"`,
  },
  "logsource network_connection": { os: "linux", query: (f, v) => `(event.category:network or ${f}:"${v}") and event.type:start and host.os.type:linux and destination.port:4444` },
  "foreign zeek.*": { os: "linux", query: (f, v) => `event.category:network and event.type:start and host.os.type:linux and (destination.port:3389 or ${f}:"${v}")` },
};

function rule(query: string, os: string, eql = false): string {
  return [
    "rule_id: 610949a1-312f-4e04-bb55-3a79b8c952a9",
    "description: x",
    "name: Left-out guard",
    `type: ${eql ? "eql" : "query"}`,
    `language: ${eql ? "eql" : "kuery"}`,
    "index: [logs-endpoint.events.*]",
    `tags: [${os === "windows" ? "Windows" : "Linux"}]`,
    "severity: low",
    "risk_score: 21",
    `query: '${query.replace(/'/g, "''")}'`,
    "",
  ].join("\n");
}

function roundTrip(query: string, os: string, eql = false) {
  const ctx = testContext();
  const original = readRules([{ path: "r.yaml", text: rule(query, os, eql) }]).rules[0]!;
  const toSigma = convertRule(original, ["sigma"], ctx);
  const yml = toSigma.files.find((f) => f.path.endsWith(".yml"))!.content;
  const sigma = readRules([{ path: "r.yml", text: yml }]).rules[0]!;
  const k = JSON.parse(convertRule(sigma, ["elastic"], ctx).files.find((f) => f.path.endsWith(".json"))!.content) as { query: string; language: string };
  const back = (k.language === "eql" ? parseEql(k.query) : parseKql(k.query)) as { ok: true; value: Query };
  return { original: original.query, back: back.value, yml, diagnostics: toSigma.diagnostics };
}

/** The `field:value` terms the left-out warnings name. */
function named(diagnostics: readonly { code: string; message: string }[]): string[] {
  return diagnostics
    .filter((d) => d.code === "mapping/logsource-narrowed")
    .flatMap((d) => {
      const leaves = /leaves out (.*?): /.exec(d.message)?.[1];
      if (leaves) return [...leaves.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const left = /`([^`]+)` is left out/.exec(d.message)?.[1];
      return left ? [left] : [];
    });
}

test("every entry that leaves values out has a case here", () => {
  assert.equal([...entries().keys()].filter((k) => !(k in CASES)), []);
});

for (const [name, ecs] of entries()) {
  const c = CASES[name];
  if (!c) continue;
  for (const [field, values] of Object.entries(ecs)) {
    for (const listed of values) {
      const value = concrete(listed);
      test(`${name}: \`${field}:${value}\` is left out with a warning naming it, and the read-back drops nothing else`, () => {
        const r = roundTrip(c.query(field, value), c.os, c.eql);
        const terms = named(r.diagnostics);
        assert.ok(terms.includes(`${field}:${value}`), `${terms.join(", ")}\n${r.diagnostics.map((d) => d.message).join("\n")}`);
        assert.not.match(r.yml, /taxonomy: ecs/);
        const before = compileQuery(r.original);
        const after = compileQuery(r.back);
        if (!before.ok || !after.ok) throw new Error("not compiled");
        const carriesNamed = (e: Record<string, unknown>) => terms.some((t) => {
          const i = t.indexOf(":");
          const v = e[t.slice(0, i)];
          return (Array.isArray(v) ? v : [v]).some((x) => String(x ?? "").toLowerCase() === t.slice(i + 1).toLowerCase());
        });
        const events = [...ruleEvents(r.original), ...ruleEvents(r.back)].filter((e) => !e.construct.endsWith(" case")).map((e) => ({ ...e.event, "host.os.type": c.os }));
        const dropped = events.filter((e) => before.test(e) && !after.test(e) && !carriesNamed(e));
        assert.equal(dropped.slice(0, 3), [], "events dropped without a warning naming them");
        // Implied rows and alternatives lift by a premise (every event of the category has one of
        // the row's values; Sysmon 7 via Winlogbeat is always process + `Image loaded*`), so the
        // read-back's events without it are no widening; the other entries must not widen.
        const widened = r.diagnostics.some((d) => d.code === "mapping/logsource-widened");
        if (!widened && !/^(implied|alternative) /.test(name)) assert.equal(events.filter((e) => !before.test(e) && after.test(e)).slice(0, 3), [], "events added without a warning");
      });
    }
  }
}

test.run();
