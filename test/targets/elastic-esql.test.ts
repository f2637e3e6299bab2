/**
 * Elastic `esql` rules (issue 18): with `--elastic-language esql` every Sigma rule is a Kibana
 * `type: "esql"` rule, and with the default EQL a rule EQL cannot say exactly falls back to one.
 * Each written rule reads back as the intended object, validates against Kibana 9.5's esql schema,
 * has no `index` (FROM names the rule's), and its query parses with Kibana's ES|QL parser.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { convertFiles, testContext } from "../helpers/convert-fixture.js";
import { checkEsql } from "../helpers/esql-oracle.js";
import { errorsText, kibanaValidator } from "../helpers/schemas.js";

interface KibanaRule {
  readonly rule_id: string;
  readonly name: string;
  readonly type: string;
  readonly language?: string;
  readonly query?: string;
  readonly index?: string[];
  readonly from: string;
}

const sigmaCases = readdirSync("test/golden/cases").filter((f) => f.startsWith("sigma")).map((f) => join("test/golden/cases", f));
const scriptDir = "../shared/corpus/sigma/rules/windows/powershell/powershell_script";
const scriptRules = readdirSync(scriptDir).sort().filter((_, i) => i % 15 === 0).map((f) => join(scriptDir, f));

/** Every Elastic rule file written, checked as the header says; returns them with their diagnostics. */
function esqlRules(paths: readonly string[], options: Readonly<Record<string, string>> = {}) {
  const run = convertFiles(paths, ["elastic"], options).result;
  const files = run.files.filter((f) => f.target === "elastic" && f.path.endsWith(".json"));
  const rules: KibanaRule[] = [];
  for (const f of files) {
    const obj = JSON.parse(f.content) as KibanaRule;
    assert.equal(obj, f.document, `${f.path} does not parse back to the intended object`);
    if (obj.type !== "esql") continue;
    const v = kibanaValidator("esql");
    assert.ok(v(obj), `${f.path}: ${errorsText(v)}`);
    assert.is(obj.language, "esql");
    assert.is(obj.index, undefined, `${f.path}: an ES|QL rule names its indices in FROM`);
    const c = checkEsql(obj.query ?? "", { release: true });
    assert.ok(c.ok, `${f.path}: ${c.first?.line}:${c.first?.column} ${c.first?.message}\n${obj.query}`);
    rules.push(obj);
  }
  const bundle = run.files.find((f) => f.target === "elastic" && f.path === "rules.ndjson");
  assert.ok(bundle);
  assert.equal(bundle.content.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown), files.map((f) => f.document));
  return { rules, diagnostics: run.diagnostics };
}

test("--elastic-language esql: every Sigma rule that converts is an esql rule with FROM, METADATA when it does not aggregate, and STATS for correlations", () => {
  const { rules, diagnostics } = esqlRules([...sigmaCases, ...scriptRules], { elasticLanguage: "esql" });
  assert.ok(rules.length >= 15, `${rules.length} ES|QL rules`);
  const converted = new Set(rules.map((r) => r.rule_id));
  // Only the ordered temporal correlation is not ES|QL: it is an EQL sequence.
  const others = diagnostics.filter((d) => d.severity === "error");
  assert.equal(others.map((d) => d.code), []);
  for (const r of rules) {
    const q = r.query ?? "";
    assert.ok(q.startsWith("FROM "), q);
    const aggregates = /\n\| STATS /.test(q);
    assert.is(/^FROM [^\n]* METADATA _id, _index, _version\n/.test(q), !aggregates, `${r.name}: ${q}`);
  }
  const byName = new Map(rules.map((r) => [r.name, r]));
  const brute = byName.get("Brute force against one account");
  assert.ok(brute, [...converted].join(", "));
  assert.is(brute.from, "now-5m");
  assert.match(brute.query ?? "", /\| STATS Esql\.event_count = COUNT\(\*\) BY [^\n]+\n\| WHERE Esql\.event_count >= 10$/);
  const spray = byName.get("Password spraying from one address");
  assert.ok(spray);
  assert.match(spray.query ?? "", /COUNT_DISTINCT\(winlog\.event_data\.TargetUserName\)/);
  assert.is(spray.from, "now-1h");
  // The indices of the rule are FROM's.
  const script = rules.find((r) => /powershell\.file\.script_block_text/.test(r.query ?? ""));
  assert.ok(script);
  assert.match(script.query ?? "", /^FROM logs-windows\.powershell_operational-\*, winlogbeat-\* METADATA/);
});

test("default EQL: a script-block rule falls back to ES|QL with an info line; a rule EQL says stays EQL", () => {
  const { rules, diagnostics } = esqlRules([...sigmaCases, ...scriptRules]);
  assert.ok(rules.length >= scriptRules.length, `${rules.length} ES|QL rules`);
  const infos = diagnostics.filter((d) => d.code === "elastic/esql-instead");
  assert.ok(infos.length >= rules.length, `${infos.length} info lines`);
  assert.ok(infos.every((d) => d.severity === "info"));
  assert.ok(infos.some((d) => /analysed text field/.test(d.message)), infos.map((d) => d.message).join("\n"));
  // Correlations a threshold cannot hold (a `lt` condition, a value_sum) are ES|QL; the others thresholds.
  const names = new Set(rules.map((r) => r.name));
  assert.ok(names.has("Rarely used account"));
  assert.ok(names.has("Many failed logon sessions per account"));
  assert.not.ok(names.has("Brute force against one account"));
  assert.equal(diagnostics.filter((d) => d.severity === "error").map((d) => d.code), []);
});

test("a rule neither EQL, KQL nor ES|QL can say is refused with each language's reason", () => {
  // A keyword (free-text) search inside a script-block rule: EQL has no free text, KQL matches words
  // of the text field, ES|QL has no free text.
  const yaml = [
    "title: Script block keyword",
    "id: 5a3c0a53-8c62-4d7e-9d32-3f7f0a1e2b11",
    "status: test",
    "logsource: { product: windows, category: ps_script }",
    "detection:",
    "  sel: { ScriptBlockText|contains: Invoke-Mimikatz }",
    "  kw: [ 'sekurlsa' ]",
    "  condition: sel and kw",
    "level: high",
  ].join("\n");
  const read = readRules([{ path: "kw.yml", text: yaml }]);
  assert.is(read.rules.length, 1);
  const out = convertRules(read.rules, ["elastic"], testContext());
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  assert.ok(errors.some((d) => /nor can an ES\|QL rule/.test(d.message)), errors.map((d) => `${d.code} ${d.message}`).join("\n"));
  assert.is(out.files.filter((f) => f.path.endsWith(".json")).length, 0);
});

test.run();
