/**
 * A Sigma CIDR block on a Windows event field (`IpAddress|cidr`) lands on
 * `winlog.event_data.IpAddress`, which the Windows templates store as keyword text. EQL's cidrMatch
 * takes only ip fields and a KQL term `a.b.c.d/n` on a keyword is that literal text, but ES|QL reads
 * the text as an address: `CIDR_MATCH(TO_IP(f), …)`, with `TO_IP(f) IS NULL` beside a negated block
 * (text that is no address is in no block). So with the default EQL such a rule is an ES|QL rule,
 * and the ES|QL evaluator agrees with the IR on addresses, IPv4-mapped IPv6, placeholders and
 * missing values.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches } from "../../src/eval/esql-run.js";
import { compileQuery } from "../../src/eval/evaluate.js";
import { loadMappings } from "../../src/mapping/mappings.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { toTaxonomy } from "../../src/pipeline/to-taxonomy.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";
import { testContext } from "../helpers/convert-fixture.js";
import { checkEsql } from "../helpers/esql-oracle.js";

const RDP = "../shared/corpus/sigma/rules/windows/builtin/security/account_management/win_security_successful_external_remote_rdp_login.yml";
const read = () => readRules([{ path: RDP, text: readFileSync(RDP, "utf8") }]).rules;
const ruleJson = (r: ReturnType<typeof convertRules>) =>
  JSON.parse(r.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"))!.content) as { type: string; language: string; query: string };

test("with the default EQL, a CIDR block on winlog.event_data.IpAddress is an ES|QL rule that reads the text as an address, with an info line", () => {
  const r = convertRules(read(), ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  const info = r.diagnostics.find((d) => d.code === "elastic/esql-instead");
  assert.ok(info);
  assert.match(info.message, "EQL's cidrMatch takes only ip fields");
  const rule = ruleJson(r);
  assert.equal([rule.type, rule.language], ["esql", "esql"]);
  assert.match(rule.query, 'NOT CIDR_MATCH(TO_IP(winlog.event_data.IpAddress), "10.0.0.0/8") OR TO_IP(winlog.event_data.IpAddress) IS NULL');
  assert.is(checkEsql(rule.query, { release: true }).ok, true);
});

test("the ES|QL rule's verdicts are the IR's: private, loopback, link-local, IPv4-mapped, public, '-', text that is no address, missing", () => {
  const rule = read()[0]!;
  const ecs = toTaxonomy(rule, "ecs", loadMappings(), "error").rule!;
  const want = compileQuery(ecs.query);
  assert.ok(want.ok);
  const ast = parseEsqlAst(ruleJson(convertRules(read(), ["elastic"], testContext())).query);
  assert.ok(ast.ok);
  const base = { winlog: { channel: "Security", event_data: { LogonType: "10" } as Record<string, string> }, event: { code: "4624" } };
  const at = (ip: string | undefined) => ({ ...base, winlog: { ...base.winlog, event_data: { ...base.winlog.event_data, ...(ip === undefined ? {} : { IpAddress: ip }) } } });
  const cases: [string | undefined, boolean][] = [
    ["10.1.2.3", false], ["172.31.255.255", false], ["172.32.0.1", true], ["::1", false], ["fe80::1", false], ["fd12::5", false],
    ["::ffff:192.168.1.5", false], ["::ffff:8.8.8.8", true], ["8.8.8.8", true], ["2001:db8::1", true], ["-", false], ["localhost", true], [undefined, true],
  ];
  for (const [ip, alerts] of cases) {
    const event = at(ip);
    assert.is(want.test(event), alerts, `IR on ${ip}`);
    const got = esqlMatches(ast.value, event, { ecsMapped: true });
    assert.ok(got.ok, `ES|QL on ${ip}`);
    assert.is(got.matched, alerts, `ES|QL on ${ip}`);
  }
});

test("a KQL rule cannot say the block on keyword text: refused by name", () => {
  const r = convertRules(read(), ["elastic"], testContext({ elasticLanguage: "kuery" }));
  assert.equal(r.outcomes[0]!.failed, ["elastic"]);
  const error = r.diagnostics.find((d) => d.severity === "error");
  assert.is(error?.code, "elastic/cidr-on-text");
  assert.match(error!.message, "would match only its own text");
});

test.run();
