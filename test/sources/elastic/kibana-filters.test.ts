/**
 * Kibana `filters` beside a rule's query: read exactly where their meaning is exact, ANDed (negated
 * where the pill says so) into the query for Sigma and Splunk, kept verbatim for Kibana.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../../src/eval/evaluate.js";
import { convertRules } from "../../../src/pipeline/convert.js";
import { readRules } from "../../../src/pipeline/read-rules.js";
import { readKibanaFilters } from "../../../src/sources/elastic/kibana-filters.js";
import { testContext } from "../../helpers/convert-fixture.js";

const wildcard = (field: string, value: string, extra: Record<string, unknown> = {}) => ({ query: { wildcard: { [field]: { value, case_insensitive: true } } }, ...extra });

test("wildcard (with escapes), term and exists filters; negate; disabled ones apply to nothing", () => {
  const r = readKibanaFilters([
    wildcard("file.path", "?:\\\\Temp\\\\*.ps1", { meta: { negate: true } }),
    { query: { term: { "user.id": "S-1-5-18" } }, meta: { negate: true } },
    { query: { exists: { field: "process.parent.name" } } },
    wildcard("file.name", "ignored", { meta: { disabled: true } }),
  ]);
  assert.ok(r?.query);
  const hit = (e: Record<string, unknown>) => {
    const v = evaluate(r!.query!, e);
    return v.ok && v.matched;
  };
  const ok = { file: { path: "D:\\Work\\x.ps1" }, user: { id: "S-1-5-21" }, process: { parent: { name: "cmd.exe" } } };
  assert.ok(hit(ok));
  assert.not.ok(hit({ ...ok, file: { path: "c:\\temp\\run.PS1" } }), "case-insensitive wildcard, excluded");
  assert.ok(hit({ ...ok, file: { path: "c:\\temp\\sub\\*.ps2" } }));
  assert.not.ok(hit({ ...ok, user: { id: "S-1-5-18" } }));
  assert.not.ok(hit({ file: ok.file, user: ok.user }), "exists");
  assert.is(readKibanaFilters([wildcard("a", "b", { meta: { disabled: true } })]), undefined);
  assert.is(readKibanaFilters([]), undefined);
});

test("other filter forms are named, not guessed", () => {
  assert.match(readKibanaFilters([{ query: { match_phrase: { message: "x" } } }])?.unsupported ?? "", "`match_phrase` filter");
  assert.match(readKibanaFilters([{ query: { bool: { should: [] } } }])?.unsupported ?? "", "`bool` filter");
  assert.match(readKibanaFilters([{ query: { wildcard: { f: { value: "x", boost: 2 } } } }])?.unsupported ?? "", "options rulecast does not read");
});

test("Elastic corpus: a rule's filter exclusion reaches Sigma; Kibana keeps its filters; an unreadable filter refuses the rule", () => {
  const path = "../shared/corpus/elastic/rules/windows/execution_posh_psreflect.toml";
  const text = readFileSync(path, "utf8");
  const r = convertRules(readRules([{ path, text }]).rules, ["sigma", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  assert.match(r.files.find((f) => f.target === "sigma")!.content, "file.path: '?:\\ProgramData\\MaaS360\\Cloud Extender\\AR\\Scripts\\ASModuleCommon.ps1'");
  const kibana = JSON.parse(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content) as { filters: unknown[]; query: string };
  assert.is(kibana.filters.length, 1);
  assert.not.match(kibana.query, "MaaS360");
  const odd = text.replace('[rule.filters.query.wildcard."file.path"]', '[rule.filters.query.prefix."file.path"]');
  const refused = convertRules(readRules([{ path, text: odd }]).rules, ["sigma", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  assert.equal(refused.outcomes[0]!.converted, ["elastic"]);
  assert.ok(refused.diagnostics.some((d) => d.code === "rule/kibana-type" && d.message.includes("`prefix` filter")));
});

test("exception lists live in Kibana: Sigma and Splunk warn that the rule matches what they exclude; Kibana keeps them", () => {
  const rule = {
    rule_id: "5b6e8a3c-7d2f-4e1a-9c0b-2f4d6e8a0c1e",
    name: "Whoami",
    description: "whoami ran",
    type: "query",
    language: "kuery",
    query: "event.category:process and event.type:start and host.os.type:windows and process.name:whoami.exe",
    risk_score: 21,
    severity: "low",
    exceptions_list: [{ id: "x", list_id: "endpoint_list", namespace_type: "agnostic", type: "endpoint" }],
  };
  const read = readRules([{ path: "r.json", text: JSON.stringify(rule) }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  const r = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["sigma", "splunk", "elastic"]);
  const warnings = r.diagnostics.filter((d) => d.code === "rule/kibana-exceptions");
  assert.is(warnings.length, 1, "one line for both targets");
  assert.match(warnings[0]!.message, "exclusions kept in Kibana (exception list endpoint_list) are not converted");
  assert.match(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content, '"list_id": "endpoint_list"');
});

test.run();
