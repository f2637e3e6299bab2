/**
 * Searches changed by data: a rule's field that the search command reads as a directive
 * (`earliest`, `index`, `tag`, `savedsearch`, ...) must stay a test of the event's field; an index
 * name from the command line, the environment or the config cannot add search terms or commands;
 * and two rules may not share a saved search name, which Splunk would merge into one search.
 */
import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../../src/config/config-file.js";
import { resolveSettings } from "../../src/config/settings.js";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { readConf } from "../../src/render/conf-reader.js";
import { isSearchDirective } from "../../src/query/spl/spl-search-modifiers.js";
import { renderSplQuery } from "../../src/query/spl/spl-printer.js";
import type { SearchNode } from "../oracles/spl/spl-ast.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { BUILTIN_CONFIG, BUILTIN_SETTINGS } from "../helpers/declarations.js";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";
import { testContext } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";

/** Time, scope and expansion directives of the search command, in the cases rules write them. */
const DIRECTIVES = [
  "earliest", "latest", "_index_earliest", "_index_latest", "EARLIEST", "Latest", "starttime", "endtime", "daysago", "timeformat",
  "index", "splunk_server", "splunk_server_group", "savedsearch", "savedsplunk", "eventtype", "eventtypetag", "hosttag", "tag",
  "tag::host", "a::b",
];

const text = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });

/** Every shape of condition a rule can put on a field. */
function shapes(f: string): Query[] {
  const eq: Query = { kind: "match", field: f, value: text("-3650d"), caseSensitive: false };
  return [
    eq,
    { kind: "match", field: f, value: text("-3650d"), caseSensitive: true },
    { kind: "match", field: f, value: { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: "365" }, { kind: "any" }] }, caseSensitive: false },
    { kind: "match", field: f, value: { kind: "number", value: 5, raw: "5" }, caseSensitive: true },
    { kind: "match", field: f, value: { kind: "null" }, caseSensitive: true },
    { kind: "exists", field: f },
    { kind: "range", field: f, op: "gt", value: { kind: "number", value: 3, raw: "3" } },
    { kind: "cidr", field: f, cidr: "10.0.0.0/8" },
    { kind: "not", child: eq },
    { kind: "and", children: [eq, { kind: "match", field: "other", value: text("y"), caseSensitive: false }] },
    { kind: "or", children: [eq, { kind: "match", field: "other", value: text("y"), caseSensitive: false }] },
  ];
}

const EVENTS = (f: string): Record<string, unknown>[] => [
  { [f]: "-3650d" },
  { [f]: "-3650D" },
  { [f]: 5 },
  { [f]: "10.1.2.3" },
  { [f]: null },
  {},
  { [f]: "x", other: "y" },
  { other: "y" },
];

function directiveTerms(n: SearchNode | undefined): string[] {
  if (!n) return [];
  switch (n.kind) {
    case "and":
    case "or":
      return n.children.flatMap(directiveTerms);
    case "not":
      return directiveTerms(n.child);
    case "compare":
    case "in":
      return isSearchDirective(n.field) ? [n.field] : [];
    case "term":
      return [];
  }
}

test("the SPL reader refuses a directive in the search part: it is not a field test", () => {
  for (const spl of ['earliest="-3650d"', 'a=1 index="*"', "NOT tag=x", "EARLIEST=-1d", 'tag::host="x"', "savedsearch IN (x)", 'b=2 OR (c=3 latest=now)']) {
    const p = parseSpl(spl);
    assert.ok(p.ok, spl);
    const r = evaluateSpl(p.value, {});
    assert.is(r.ok, false, spl);
  }
});

test(`${DIRECTIVES.length} directive names × 11 condition shapes: tested in | where only, and the SPL matches exactly what the IR matches`, () => {
  let cases = 0;
  for (const f of DIRECTIVES) {
    for (const q of shapes(f)) {
      cases++;
      const r = renderSplQuery(q);
      assert.equal(r.issues.filter((i) => i.severity === "error"), [], `${f}: ${JSON.stringify(q)}`);
      const spl = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
      const back = parseSpl(spl);
      if (!back.ok) throw new Error(`${spl}: ${back.error.message}`);
      assert.equal(directiveTerms(back.value.search), [], spl);
      const ir = compileQuery(q);
      if (!ir.ok) throw new Error(ir.reason);
      for (const e of EVENTS(f)) {
        const got = evaluateSpl(back.value, e);
        if (!got.ok) throw new Error(`${spl}: ${got.reason}`);
        assert.is(got.matched, ir.test(e), `${spl} on ${JSON.stringify(e)}`);
      }
    }
  }
  assert.is(cases, DIRECTIVES.length * 11);
});

test("a Sigma rule on earliest/latest/index/tag keeps the saved search's time range and scope (whole pipeline)", () => {
  const rule = SIGMA_RULE.replace("  category: process_creation\n  product: windows\n", "  product: acme\n").replace(
    "    Image|endswith: '\\whoami.exe'\n",
    "    earliest: '-3650d'\n    latest: 'now'\n    index: '*'\n    tag|contains: admin\n    savedsearch: x\n",
  );
  const read = readRules([{ path: "r.yml", text: rule }]);
  assert.is(read.rules.length, 1);
  const out = convertRules(read.rules, ["splunk"], testContext({ unmapped: "keep", splunkIndex: "main" }));
  assert.is(readBackProblem(out.files), undefined);
  const spl = out.files.find((f) => f.path.endsWith(".spl"))!.content.trim();
  const back = parseSpl(spl);
  if (!back.ok) throw new Error(back.error.message);
  // The one directive left is the configured index.
  assert.equal(directiveTerms(back.value.search), ["index"], spl);
  assert.match(spl, /^index=main /);
  const conf = readConf(out.files.find((f) => f.path === "savedsearches.conf")!.content);
  // The rule's own window (interval plus ingestion lag, snapped), never the one the field names.
  assert.match(conf.stanzas[0]!.keys.get("dispatch.earliest_time") ?? "", /^-\d+m@m$/);
  const event = { index: "anything", earliest: "-3650d", latest: "now", tag: "x-admin", savedsearch: "x" };
  const where = parseSpl(spl.replace(/^index=main /, ""));
  assert.ok(where.ok && evaluateSpl(where.value, event).ok && (evaluateSpl(where.value, event) as { matched: boolean }).matched);
});

const BAD_INDEXES = ["main | delete", "main delete", "main\n| delete", "main OR index=*", 'main"', "Main", "_internal", "-x", "a=b", "main,security", "(main)", "main`x`"];

test(`--splunk-index, RULECAST_SPLUNK_INDEX and splunk.index: ${BAD_INDEXES.length} bad names each are refused, naming the setting`, () => {
  for (const bad of BAD_INDEXES) {
    const flag = resolveSettings({ values: { splunkIndex: bad } }, {}, undefined, undefined, "/", BUILTIN_SETTINGS);
    assert.match("error" in flag ? flag.error : "", /^--splunk-index: .* Splunk index name/, bad);
    const env = resolveSettings({}, { RULECAST_SPLUNK_INDEX: bad }, undefined, undefined, "/", BUILTIN_SETTINGS);
    assert.match("error" in env ? env.error : "", /^RULECAST_SPLUNK_INDEX: .* Splunk index name/, bad);
    const config = parseConfig("rulecast.config.yaml", `splunk:\n  index: ${JSON.stringify(bad)}\n`, BUILTIN_CONFIG);
    assert.match("error" in config ? formatDiagnostic(config.error) : "", /^rulecast\.config\.yaml:2:10: error config\/invalid: splunk\.index: .* Splunk index name/, bad);
  }
  // The flag wins over the environment, and only the value used is checked.
  assert.ok("settings" in resolveSettings({ values: { splunkIndex: "main" } }, { RULECAST_SPLUNK_INDEX: "main | delete" }, undefined, undefined, "/", BUILTIN_SETTINGS));
});

test("through the CLI a bad index name is exit 2 and one line, from each source", () => {
  const dir = tempTree({ "r.yml": SIGMA_RULE });
  const cfg = tempTree({ "r.yml": SIGMA_RULE, "rulecast.config.yaml": 'splunk:\n  index: "main | delete"\n' });
  for (const [r, setting] of [
    [rulecast(["convert", "r.yml", "--to", "splunk", "--splunk-index=main | delete"], dir), "--splunk-index"],
    [rulecast(["convert", "r.yml", "--to", "splunk"], dir, { env: { RULECAST_SPLUNK_INDEX: "main\n| delete" } }), "RULECAST_SPLUNK_INDEX"],
    [rulecast(["convert", "r.yml", "--to", "splunk"], cfg), "rulecast.config.yaml:2:10: error config/invalid: splunk.index"],
  ] as const) {
    assert.is(r.code, 2, r.stderr);
    assert.ok(r.stderr.startsWith(`rulecast: ${setting}: `), r.stderr);
    assert.is(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
    assert.is(r.stdout, "");
  }
});

test("good index names (wildcards included) are written as given, from each source", () => {
  const dir = tempTree({ "r.yml": SIGMA_RULE });
  for (const good of ["main", "win*", "*", "security-2", "os_windows"]) {
    const r = rulecast(["convert", "r.yml", "--to", "splunk", "--splunk-index", good], dir);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^search = index=${good.replace("*", "\\*")} `, "m"));
  }
  const env = rulecast(["convert", "r.yml", "--to", "splunk"], dir, { env: { RULECAST_SPLUNK_INDEX: "edr" } });
  assert.match(env.stdout, /^search = index=edr /m);
});

const second = (title: string, n: number) =>
  SIGMA_RULE.replace("title: Whoami Execution", `title: ${JSON.stringify(title)}`).replace("8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f60", `8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f6${n}`);

test("two rules that name one saved search: output/name-collision for the second, for Splunk only", () => {
  for (const [a, b] of [
    ["Whoami Execution", "Whoami Execution"],
    ["Whoami [x]", "Whoami ]x["],
    ["Whoami\nExecution", "Whoami Execution"],
    ["Whoami Execution ", "Whoami Execution"],
  ] as const) {
    const read = readRules([{ path: "a.yml", text: second(a, 1) }, { path: "b.yml", text: second(b, 2) }]);
    const out = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
    const errors = out.diagnostics.filter((d) => d.severity === "error");
    assert.equal(errors.map((d) => [d.code, d.file, d.ruleId]), [["output/name-collision", "b.yml", "8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f62"]], `${a} / ${b}`);
    assert.match(errors[0]!.message, /^splunk: a\.yml:1 already has the splunk name /);
    assert.equal(out.outcomes.map((o) => [o.converted, o.failed]), [[["sigma", "splunk", "elastic"], []], [["sigma", "elastic"], ["splunk"]]]);
    assert.is(readBackProblem(out.files), undefined);
    assert.is(out.files.filter((f) => f.path.endsWith(".spl")).length, 1);
    assert.is(out.files.filter((f) => f.target === "sigma").length, 2);
  }
  // Splunk stanza names are case-sensitive: these are two saved searches.
  const read = readRules([{ path: "a.yml", text: second("Whoami", 1) }, { path: "b.yml", text: second("WHOAMI", 2) }]);
  assert.equal(convertRules(read.rules, ["splunk"], testContext()).diagnostics.filter((d) => d.severity === "error"), []);
});

test("three rules of one title through the CLI: two collisions, exit 1, nothing written; --skip-errors writes one stanza", () => {
  const dir = tempTree({ "rules/a.yml": second("Same", 1), "rules/b.yml": second("Same", 2), "rules/c.yml": second("Same", 3) });
  const r = rulecast(["convert", "rules", "--to", "splunk,sigma", "--out", "out"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr.match(/^rules\/[bc]\.yml:1:1: error output\/name-collision: splunk: /gm)?.length, 2, r.stderr);
  assert.match(r.stderr, /nothing written/);
  const s = rulecast(["convert", "rules", "--to", "splunk,sigma", "--out", "out", "--skip-errors", "--splunk-app", "soc"], dir);
  assert.is(s.code, 1, s.stderr);
  const conf = readConf(readFileSync(`${dir}/out/splunk/savedsearches.conf`, "utf8"));
  assert.equal(conf.problems, []);
  assert.equal(conf.stanzas.map((x) => x.name), ["soc - Same - Rule"]);
  assert.is(readdirSync(`${dir}/out/sigma`).length, 3);
});

/** A Sigma correlation whose group-by and measured field try to end the stats command. */
const correlationNamed = (groupBy: string, field: string) => `title: Failed logon
id: 3e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
status: test
logsource: {product: windows, service: security}
detection:
    selection: {EventID: 4625}
    condition: selection
level: low
---
title: Measured
id: 3e95725d-7320-415d-80f7-004da920fc12
status: test
correlation:
    type: value_count
    rules: [failed_logon]
    group-by: ['${groupBy}']
    timespan: 10m
    condition: {gte: 50, field: '${field}'}
level: high
`;

test("a correlation's group-by or measured field cannot add a command to the stats search: refused by name", () => {
  const cases: [string, string, string][] = [
    ["TargetUserName | delete", "SubjectLogonId", "the key field `TargetUserName | delete` cannot be written in a stats `by` clause"],
    ["TargetUserName", "SubjectLogonId) as x | delete | stats count(x", "the measured field `SubjectLogonId) as x | delete | stats count(x` cannot be written in a stats function"],
    ["TargetUserName, x", "SubjectLogonId", "the key field `TargetUserName, x` cannot be written in a stats `by` clause"],
  ];
  for (const [groupBy, field, message] of cases) {
    const read = readRules([{ path: "c.yml", text: correlationNamed(groupBy, field) }]);
    const out = convertRules(read.rules, ["splunk"], testContext());
    assert.equal(out.files.filter((f) => f.path.endsWith(".spl")), [], groupBy);
    const errors = out.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
    assert.equal(errors, [`splunk/field-name: splunk: ${message}`], groupBy);
  }
  // An EQL sequence's join key is written in `streamstats … by` the same way.
  const sequence = `rule_id: 55d551c6-333b-4665-ab7e-5d14a59715cf
name: Sequence by a hostile key
description: x
type: eql
language: eql
index: [logs-*]
severity: low
risk_score: 21
interval: 5m
from: now-9m
query: |
  sequence by \`host.id | delete\` with maxspan=1m
    [process where process.name == "a.exe"]
    [process where process.name == "b.exe"]
`;
  const seq = convertRules(readRules([{ path: "s.yaml", text: sequence }]).rules, ["splunk"], testContext({ unmapped: "warning" }));
  assert.equal(seq.files.filter((f) => f.path.endsWith(".spl")), []);
  assert.equal(seq.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`), ["splunk/field-name: splunk: the key field `host.id | delete` cannot be written in a stats `by` clause"]);
  // The same rule with plain names converts.
  const plain = convertRules(readRules([{ path: "c.yml", text: correlationNamed("TargetUserName", "SubjectLogonId") }]).rules, ["splunk"], testContext());
  assert.match(plain.files.find((f) => f.path.endsWith(".spl"))?.content ?? "", "dc(SubjectLogonId) as rc_count by TargetUserName\n");
});

test.run();
