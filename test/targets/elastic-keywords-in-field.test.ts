/**
 * A Sigma keyword (a value without a field) means the whole event. KQL searches every field and
 * says it where it can; EQL and ES|QL cannot. Where KQL cannot either (a wildcard inside the value),
 * a log source whose text the mapping says is kept in one field (mappings/sigma-ecs.yaml
 * `keywords`, ECS `message`) is an ES|QL rule searching that field's characters, with the warning
 * esql/keyword-in-field saying it is narrower; any other source stays refused.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches } from "../../src/eval/esql-run.js";
import type { Query } from "../../src/ir/query.js";
import { findKeywordField, sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";
import { printEsql } from "../../src/query/esql/esql-printer.js";
import { testContext } from "../helpers/convert-fixture.js";
import { checkEsql } from "../helpers/esql-oracle.js";

const RULES = "../shared/corpus/sigma/rules/";
const read = (path: string) => readRules([{ path: RULES + path, text: readFileSync(RULES + path, "utf8") }]).rules;

function elasticRule(path: string, options: Parameters<typeof testContext>[0] = {}) {
  const r = convertRules(read(path), ["elastic"], testContext(options));
  const file = r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"));
  return { r, json: file ? (JSON.parse(file.content) as { type: string; language: string; query: string }) : undefined };
}

test("the table names a source's text field for that exact log source only", () => {
  const m = sigmaEcsMapping();
  assert.is(findKeywordField(m, { product: "linux" }), "message");
  assert.is(findKeywordField(m, { product: "linux", service: "clamav" }), "message");
  assert.is(findKeywordField(m, { product: "windows", service: "wmi" }), "message");
  // Other sources of the same product are read by integrations that parse their records.
  assert.is(findKeywordField(m, { category: "process_creation", product: "linux" }), undefined);
  assert.is(findKeywordField(m, { product: "linux", service: "auditd" }), undefined);
  assert.is(findKeywordField(m, { product: "windows" }), undefined);
  assert.is(findKeywordField(m, { category: "webserver" }), undefined);
  assert.is(findKeywordField(m, undefined), undefined);
  // A user's table: rows without a field are skipped.
  const own = sigmaEcsMapping({ keywords: [{ sigma: { product: "x" }, field: "" }, { sigma: { product: "x" }, field: "event.original" }] });
  assert.equal(own.keywords, [{ sigma: { product: "x" }, field: "event.original" }]);
});

test("ClamAV's keyword search is an ES|QL rule on `message`, warned, which Kibana parses and which matches the log line only", () => {
  const { r, json } = elasticRule("linux/builtin/clamav/lnx_clamav_relevant_message.yml");
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  assert.is(json!.type, "esql");
  assert.match(json!.query, 'TO_LOWER(message) LIKE "*trojan*found*"');
  const warned = r.diagnostics.filter((d) => d.code === "esql/keyword-in-field");
  assert.is(warned.length, 1);
  assert.is(warned[0]!.severity, "warning");
  assert.match(warned[0]!.message, /^ES\|QL cannot search every field: the rule's keywords are searched as characters in `message` only/);
  assert.ok(r.diagnostics.some((d) => d.code === "elastic/esql-instead" && d.severity === "info"));
  assert.ok(checkEsql(json!.query, { release: true }).ok);
  const ast = parseEsqlAst(json!.query);
  assert.ok(ast.ok);
  const matches = (event: Record<string, unknown>) => {
    const m = esqlMatches(ast.value, event);
    assert.ok(m.ok);
    return m.matched;
  };
  assert.ok(matches({ message: "/srv/www/up.php: Php.Webshell.Generic-1 FOUND" }));
  assert.ok(matches({ message: "/tmp/a.exe: Win.Trojan.Agent-123 FOUND" }));
  assert.not.ok(matches({ message: "/tmp/a.exe: OK" }));
  // The narrowing the warning names: the same text in another field is not searched.
  assert.not.ok(matches({ file: { path: "Trojan FOUND" } }));
});

test("each keyword rule of a listed source that KQL cannot say converts, the WMI rule's keywords beside its event codes", () => {
  for (const path of [
    "linux/builtin/lnx_apt_equationgroup_lnx.yml",
    "linux/builtin/lnx_shell_clear_cmd_history.yml",
    "linux/builtin/lnx_shell_susp_commands.yml",
    "linux/builtin/vsftpd/lnx_vsftpd_susp_error_messages.yml",
    "application/sql/app_sqlinjection_errors.yml",
    "windows/builtin/wmi/win_wmi_persistence.yml",
  ]) {
    const { r, json } = elasticRule(path);
    assert.equal(r.outcomes[0]!.converted, ["elastic"], path);
    assert.is(json!.type, "esql", path);
    assert.ok(r.diagnostics.some((d) => d.code === "esql/keyword-in-field"), path);
    const parsed = checkEsql(json!.query, { release: true });
    assert.ok(parsed.ok, `${path}: ${parsed.first?.message}`);
  }
  const { json } = elasticRule("windows/builtin/wmi/win_wmi_persistence.yml");
  assert.match(json!.query, 'event.code == "5861" AND (TO_LOWER(message) LIKE "*activescripteventconsumer*" OR ');
});

test("a keyword rule KQL can say stays a KQL rule over every field; as ES|QL it searches `message`, and an unlisted source is refused", () => {
  const kql = elasticRule("linux/builtin/lnx_shell_susp_rev_shells.yml");
  assert.is(kql.json!.language, "kuery");
  assert.not.ok(kql.r.diagnostics.some((d) => d.code === "esql/keyword-in-field"));
  const esql = elasticRule("linux/builtin/lnx_shell_susp_rev_shells.yml", { elasticLanguage: "esql" });
  assert.is(esql.json!.type, "esql");
  assert.match(esql.json!.query, "TO_LOWER(message) LIKE");
  assert.ok(esql.r.diagnostics.some((d) => d.code === "esql/keyword-in-field"));
  const cisco = elasticRule("network/cisco/aaa/cisco_cli_clear_logs.yml", { elasticLanguage: "esql" });
  assert.equal(cisco.r.outcomes[0]!.failed, ["elastic"]);
  assert.ok(cisco.r.diagnostics.some((d) => d.code === "esql/keyword" && d.severity === "error"));
});

test("the printer: a keyword with a text field is a contains on it, in its case rule, and its negation holds where the field is missing", () => {
  const kw = (value: string, caseSensitive: boolean): Query => ({ kind: "keyword", value: { kind: "string", parts: [{ kind: "text", value }] }, caseSensitive, textField: "message" });
  const print = (q: Query) => printEsql(q, { indices: ["logs-*"] });
  const plain = print(kw("Bad HTTP verb.", false));
  assert.match(plain.text, 'WHERE TO_LOWER(message) LIKE "*bad http verb.*"');
  assert.equal(plain.issues.map((i) => [i.severity, i.code]), [["warning", "esql/keyword-in-field"]]);
  assert.match(print(kw("Bad", true)).text, 'WHERE message LIKE "*Bad*"');
  const not = print({ kind: "not", child: kw("x", false) });
  assert.match(not.text, 'WHERE TO_LOWER(message) NOT LIKE "*x*" OR message IS NULL');
  // One warning per field, however many keywords.
  assert.is(print({ kind: "or", children: [kw("a", false), kw("b", false)] }).issues.length, 1);
  // Without a text field, still refused.
  const bare = print({ kind: "keyword", value: { kind: "string", parts: [{ kind: "text", value: "a" }] }, caseSensitive: false });
  assert.equal(bare.issues.map((i) => [i.severity, i.code]), [["error", "esql/keyword"]]);
});

test.run();
