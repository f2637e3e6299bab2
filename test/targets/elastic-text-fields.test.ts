/**
 * Analysed text fields (PowerShell script blocks, message, .text) hold words: EQL cannot search
 * them and KQL/Lucene match words, so a Sigma value on one is refused by name for Elastic in KQL
 * and Lucene, and an ES|QL rule (which compares the value's characters) with the default EQL,
 * while Splunk converts it; a KQL rule read from Kibana keeps its word match; a Sigma
 * keyword search, which KQL runs over text fields too, converts with a warning saying so.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const SIGMA = "../shared/corpus/sigma/rules/windows/powershell/powershell_script/posh_ps_susp_get_addefaultdomainpasswordpolicy.yml";
const KIBANA = "../shared/corpus/elastic/rules/windows/execution_posh_psreflect.toml";
const read = (path: string) => readRules([{ path, text: readFileSync(path, "utf8") }]).rules;

test("a Sigma script-block rule is refused for Elastic in KQL and Lucene, an ES|QL rule with the default EQL (issue 18), and converts for Splunk", () => {
  for (const elasticLanguage of ["kuery", "lucene"] as const) {
    const r = convertRules(read(SIGMA), ["splunk", "elastic"], testContext({ elasticLanguage }));
    assert.equal([r.outcomes[0]!.converted, r.outcomes[0]!.failed], [["splunk"], ["elastic"]], elasticLanguage);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    assert.equal(errors.map((d) => d.code), ["elastic/text-field"], elasticLanguage);
    assert.match(errors[0]!.message, "powershell.file.script_block_text");
  }
  const r = convertRules(read(SIGMA), ["splunk", "elastic"], testContext({ elasticLanguage: "eql" }));
  assert.equal([r.outcomes[0]!.converted, r.outcomes[0]!.failed], [["splunk", "elastic"], []]);
  const info = r.diagnostics.find((d) => d.code === "elastic/esql-instead");
  assert.ok(info);
  assert.is(info.severity, "info");
  assert.match(info.message, /EQL cannot say this query \(`powershell\.file\.script_block_text` is an analysed text field, which EQL cannot search.*\), nor can a KQL query rule \(.*\); it is an ES\|QL rule instead$/);
  const rule = JSON.parse(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content) as { type: string; query: string };
  assert.is(rule.type, "esql");
  assert.match(rule.query, "TO_LOWER(powershell.file.script_block_text) LIKE");
});

test("a Kibana KQL rule on the same field keeps its query for Elastic", () => {
  const r = convertRules(read(KIBANA), ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  assert.match(JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content).query, "powershell.file.script_block_text");
});

test("a Sigma keyword search becomes a KQL rule that says how text fields are searched", () => {
  const path = "../shared/corpus/sigma/rules/linux/builtin/lnx_shell_susp_rev_shells.yml";
  const r = convertRules(read(path), ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  const codes = r.diagnostics.map((d) => d.code);
  assert.ok(codes.includes("elastic/kql-instead"), codes.join());
  assert.ok(codes.includes("elastic/keyword-text-fields"), codes.join());
  assert.is(JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content).language, "kuery");
});

test("a Sigma keyword search with a wildcard is refused for Elastic, saying why neither EQL, KQL nor ES|QL can say it", () => {
  // `select * ` as a bare KQL value is a query_string over every field, split at whitespace; the
  // web server integrations keep no field with the access-log line for ES|QL to search instead
  // (test/targets/elastic-keywords-in-field.test.ts has the sources that do).
  const path = "../shared/corpus/sigma/rules/web/webserver_generic/web_sql_injection_in_access_logs.yml";
  const r = convertRules(read(path), ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.failed, ["elastic"]);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal([...new Set(errors.map((d) => d.code))], ["eql/keyword", "kql/keyword-wildcard", "esql/keyword"]);
  assert.match(errors.find((d) => d.code === "kql/keyword-wildcard")!.message, /^nor can a KQL query rule: .*query_string/);
  assert.match(errors.find((d) => d.code === "esql/keyword")!.message, /^nor can an ES\|QL rule: ES\|QL has no search for characters over every field .*, and no field is named where the rule's log source keeps the event's text/);
});

test("a wildcard with spaces on process.command_line is refused for KQL: Kibana would split it and match every bash start", () => {
  const path = "../shared/corpus/sigma/rules/linux/process_creation/proc_creation_lnx_bash_interactive_shell.yml";
  const kql = convertRules(read(path), ["elastic"], testContext({ elasticLanguage: "kuery" }));
  assert.equal(kql.outcomes[0]!.failed, ["elastic"]);
  assert.equal(kql.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["kql/wildcard-whitespace"]);
  assert.match(kql.diagnostics.find((d) => d.severity === "error")!.message, "`process.command_line` is an ECS wildcard field");
  // EQL says it exactly.
  assert.equal(convertRules(read(path), ["elastic"], testContext()).outcomes[0]!.converted, ["elastic"]);
});

test.run();
