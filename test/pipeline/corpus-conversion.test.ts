/**
 * Whole-corpus conversion figures, pinned so they cannot get worse unseen: the SigmaHQ rules to
 * Splunk and Elastic, and the Elastic detection rules to Sigma and Splunk. Every failure names its
 * reason (an error diagnostic); the counts by reason are printed. The Splunk and Sigma conversions
 * are then assembled as a run writes them, and every file must read back as intended:
 * savedsearches.conf with exactly the intended stanzas, comments and keys.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assembleResults, convertRule, type RuleResult } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import type { OptionValue } from "../../src/options/option-spec.js";
import { testContext, type TargetName } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";
import { kibanaKqlProblems } from "../helpers/kql-oracle.js";
import { checkEsql } from "../helpers/esql-oracle.js";

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []));
}

/** Each corpus is read once; the figures convert the same rules under different options. */
const reads = new Map<string[], ReturnType<typeof readRules>>();
function readOnce(paths: string[]): ReturnType<typeof readRules> {
  let read = reads.get(paths);
  if (!read) reads.set(paths, (read = readRules(paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") })))));
  return read;
}

function figures(paths: string[], target: TargetName, filter: (language: string, kind: string) => boolean, options: Readonly<Record<string, OptionValue>> = {}) {
  const read = readOnce(paths);
  const ctx = testContext(options);
  const rules = read.rules.filter((r) => filter(r.language, r.query.kind));
  const reasons = new Map<string, number>();
  const kql: { id: string; query: string }[] = [];
  const esql: { id: string; query: string }[] = [];
  let ok = 0;
  let unnamed = 0;
  const results: RuleResult[] = [];
  for (const r of rules) {
    const res = convertRule(r, [target], ctx);
    results.push(res);
    for (const f of res.files) {
      const doc = f.document as { language?: string; query?: string } | undefined;
      if (f.target === "elastic" && doc?.language === "kuery" && typeof doc.query === "string") kql.push({ id: r.source.file, query: doc.query });
      if (f.target === "elastic" && doc?.language === "esql" && typeof doc.query === "string") esql.push({ id: r.source.file, query: doc.query });
    }
    if (res.outcome.converted.length === 1) ok++;
    else {
      const first = res.diagnostics.find((d) => d.severity === "error");
      if (!first) unnamed++;
      const key = first?.code ?? "no reason";
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(", ");
  console.log(`${target}${options.unmapped ? ` (unmapped ${options.unmapped})` : ""}${options.elasticLanguage ? ` (${options.elasticLanguage})` : ""}: ${ok} of ${rules.length} (${((ok / rules.length) * 100).toFixed(1)} %)${top ? `; failures: ${top}` : ""}`);
  return { ok, total: rules.length, unnamed, kql, esql, reasons, readErrors: read.diagnostics.filter((d) => d.severity === "error").length, target, results, ctx };
}

/** The ES|QL queries Kibana's parser (release grammar) refuses, with the first error of each. */
function kibanaEsqlProblems(queries: readonly { id: string; query: string }[]): string[] {
  return queries.flatMap(({ id, query }) => {
    const c = checkEsql(query, { release: true });
    return c.ok ? [] : [`${id}: ${c.first?.line}:${c.first?.column} ${c.first?.message}`];
  });
}

/** The files a run of these results writes (bundles included), read back: the first that differs from its intent. */
function writtenProblem(f: { target: TargetName; results: RuleResult[]; ctx: ReturnType<typeof testContext> }): string | undefined {
  return readBackProblem(assembleResults(f.results, [f.target], f.ctx).files);
}

const sigmaFiles = walk("../shared/corpus/sigma/rules", ".yml");
const elasticFiles = walk("../shared/corpus/elastic/rules", ".toml");
const any = () => true;
const kqlOrEql = (language: string, kind: string) => (language === "kuery" || language === "eql") && kind !== "opaque";

test("SigmaHQ corpus to Splunk: every rule converts", () => {
  const f = figures(sigmaFiles, "splunk", any);
  assert.is(f.readErrors, 0);
  assert.is(f.unnamed, 0);
  assert.is(f.ok, f.total);
  assert.is(writtenProblem(f), undefined);
});

// Six rules fewer than before: their KQL fallback had field-less or whitespace-split wildcards.
// Issue 18: a rule neither EQL nor KQL says exactly (the PowerShell script-block text, correlations
// Kibana's threshold cannot hold) is an ES|QL rule: 2,843 → 3,031 of 3,141 (90.5 → 96.5 %);
// the other 110 are 97 rules with fields the ECS mapping lacks, 8 keyword searches KQL cannot say
// exactly and ES|QL not at all, 4 CIDR blocks on text fields, 1 unmapped value.
// Issue 18 (mapping): 3,031 → 3,058 (97.4 %). CloudTrail's requestParameters / responseElements /
// additionalEventData subfields map to the AWS integration's flattened fields, which only KQL can
// search (7 rules, KQL fallbacks 77 → 84); Azure sign-in Status Success/Failure → event.outcome
// (3); a field under a log source no integration ingests (no mapping entry: generic antivirus,
// Azure PIM, OneLogin) keeps its Sigma name with a warning (17). The other 83: 68 fields the
// integrations do not name (25 Azure `properties.message`, 16 RPC Firewall insertion strings, …),
// 8 keyword searches, 4 CIDR blocks on text, 2 unmapped values, 1 field reference.
// Issue 18 (rest named): 3,058 → 3,079 (98.0 %). The 4 CIDR blocks on winlog.event_data text are
// ES|QL rules (CIDR_MATCH(TO_IP(f), …); ES|QL fallbacks 188 → 192); RPC Firewall's InterfaceUuid /
// OpNum match both names Winlogbeat gives an unnamed insertion string (16 rules, + 1 whose only
// other problem was OpNum). The other 62 (first reason): 25 Azure `properties.message` (22 audit,
// 1 activity, 2 sign-in: no single Entra ID field holds what the rules test), 26 other vendor
// fields, 8 keyword searches, 2 values, 1 field reference.
// Issue 18 (listed values): 3,079 → 3,094 (98.5 %). Azure audit properties.message is the
// operation name for values that are activity names in Microsoft's reference (13 rules, 2 of them
// with audit Status Success/failure → event.outcome), sign-in "Device Code"/"ROPC" the
// authentication protocol (2), each with a mapping/field-reading warning; 10 properties.message
// rules stay refused (no activity name, or a pattern: an unmapped field, so kept with a warning
// under --unmapped warning, 3,130 there as before).
// → 3,096: proxy cs-uri (the W3C name of the requested URI) is url.original as c-uri is (2 rules);
// auditd a0-a7 are text, a number compared as its decimal text (EQL refused keyword == 40000) and a
// regex kept on the text (lnx_auditd_hidden_files_directories, refused by the change before this).
// → 3,097: CloudTrail `status` success/failure read as event.outcome, with a warning.
// → 3,099: Azure activity ResourceProviderValue as the operation name's first segment, with a warning.
// → 3,106: a keyword search KQL cannot say is an ES|QL rule on `message` where the source keeps its
// text there (mappings/sigma-ecs.yaml `keywords`: Linux lines, ClamAV, vsftpd, application error
// logs, Windows WMI-Activity), with the warning esql/keyword-in-field (7 rules; ES|QL fallbacks
// 192 → 199). The web server one stays refused: those integrations keep no field with the line.
// → 3,109: GCP authorizationInfo.* is the nested gcp.audit.authorization_info, one nested KQL clause
// per test (KQL fallbacks 84 → 85); Azure audit `Status` / `failure_status_reason` values that are
// the status reasons Microsoft's guide names read as resultReason, with a warning (2).
// → 3,110 (99.0 %, the issue's goal): firewall `blocked` false/true read as ECS event.type
// allowed/denied, with a warning.
test("SigmaHQ corpus to Elastic: at least the measured 3,110 rules with unmapped fields as errors; each failure names its reason; Kibana reads every KQL fallback as meant and parses every ES|QL one", () => {
  const f = figures(sigmaFiles, "elastic", any);
  assert.is(f.unnamed, 0);
  assert.ok(f.ok >= 3110, `${f.ok} converted`);
  assert.ok(f.ok / f.total >= 0.99, `${f.ok} of ${f.total}`);
  assert.ok(f.kql.length >= 85, `${f.kql.length} KQL fallbacks`);
  assert.ok(f.esql.length >= 199, `${f.esql.length} ES|QL fallbacks`);
  assert.ok(!f.reasons.has("mapping/cidr-on-text"), "a CIDR block on keyword text was refused");
  assert.ok(!f.reasons.has("elastic/text-field"), "a text-field rule was refused");
  assert.equal(kibanaKqlProblems(f.kql), []);
  assert.equal(kibanaEsqlProblems(f.esql), []);
  assert.is(writtenProblem(f), undefined);
});

// Issue 18 (mapping): 2,035 → 2,061 (the CloudTrail subfields, Azure sign-in Status, fields of sources no integration ingests);
// → 2,078 (RPC Firewall's insertion strings); → 2,097 (listed values: Azure properties.message and
// Status, CloudTrail status, ResourceProviderValue, proxy cs-uri); → 2,100 (GCP authorizationInfo
// as nested clauses, Azure audit status reasons); → 2,101 (firewall `blocked`).
test("SigmaHQ corpus to Elastic as KQL: at least the measured 2,101 rules, each a query Kibana reads as meant (no whitespace-split or field-less query_string)", () => {
  const f = figures(sigmaFiles, "elastic", any, { elasticLanguage: "kuery" });
  assert.is(f.unnamed, 0);
  assert.ok(f.ok >= 2101, `${f.ok} converted`);
  assert.is(f.kql.length, f.ok);
  assert.equal(kibanaKqlProblems(f.kql), []);
});

// Issue 18 (mapping): 3,128 → 3,126. Two rules converted before only because their unknown field kept
// a name no event has: aws_update_login_profile compares userIdentity.arn with requestParameters.userName,
// now a flattened field that EQL (the only language with field references) cannot search; and
// azure_mfa_denies's `Status|contains: MFA Denied` is now refused by the Status value table.
// → 3,130: the 4 CIDR blocks on keyword text are ES|QL rules.
// → 3,137: the 7 keyword searches on a source's `message` (above).
test("SigmaHQ corpus to Elastic with unmapped fields as warnings: at least the measured 3,137 rules (99.9 %; 2,939 before ES|QL)", () => {
  const f = figures(sigmaFiles, "elastic", any, { unmapped: "warning" });
  assert.is(f.unnamed, 0);
  assert.ok(f.ok >= 3137, `${f.ok} converted`);
  assert.ok(f.ok / f.total >= 0.99, `${f.ok} of ${f.total}`);
  assert.equal(kibanaKqlProblems(f.kql), []);
  assert.equal(kibanaEsqlProblems(f.esql), []);
});

// Kibana's parser takes ~10 ms a query: every 10th is parsed here; test/query/esql/esql-sigma-corpus
// parses the printer's query for every rule of this corpus already.
// Issue 18 (mapping): 2,954 → 2,974 (the 8 CloudTrail flattened-field rules are refused by name in ES|QL: elastic/flattened-field);
// → 2,995 (CIDR blocks on keyword text 4, RPC Firewall 17); → 3,015 (listed values, as for EQL: 20);
// → 3,048 (keyword searches on `message` where the source keeps its text there: 33, warned);
// → 3,050 (Azure audit status reasons; GCP's nested authorizationInfo is refused: esql/nested);
// → 3,051 (firewall `blocked`).
test("SigmaHQ corpus to Elastic as ES|QL: at least the measured 3,051 rules, all ES|QL rules; Kibana's parser reads a sample of every 10th", () => {
  const f = figures(sigmaFiles, "elastic", any, { elasticLanguage: "esql" });
  assert.is(f.unnamed, 0);
  assert.ok(f.ok >= 3051, `${f.ok} converted`);
  assert.is(f.esql.length, f.ok);
  assert.equal(kibanaEsqlProblems(f.esql.filter((_, i) => i % 10 === 0)), []);
});

test("Elastic corpus (KQL and EQL rules) to Sigma and Splunk: at least the measured figures", () => {
  const s = figures(elasticFiles, "sigma", kqlOrEql);
  const p = figures(elasticFiles, "splunk", kqlOrEql);
  assert.is(s.unnamed + p.unnamed, 0);
  assert.is(writtenProblem(s) ?? writtenProblem(p), undefined);
  // 1,012 before issue 17.6: 15 lifts are now refused (mapping/logsource-contradiction), such as
  // `process where event.type == "change"` lifted to process_creation, which Elastic reads back
  // with event.type:start: the query asked for start and change at once.
  assert.ok(s.ok >= 1000, `Sigma: ${s.ok} converted`);
  // Splunk: 466 before issue 19's host.id-beside-entity-id join keys and Kibana filters that hid a
  // query's source conditions from the lift (478 after); 245 before issue 15. 516 with issue 15's
  // exact homes (Defend network actions as Sysmon Initiated, steps renamed per log source, ps_script
  // UserID, Security event codes with their category, auditd record types). 524 with a script
  // block's file.directory as Path, EQL `length(F) > 0`, and Sysmon 10 (event.code 10 under
  // event.category process) as process_access, less the lifts whose EventCode contradicted the
  // query's (a search that matched nothing, now refused as mapping/logsource-contradiction). 539
  // measured before EQL `with runs=N` was written as N steps, 540 after. 627 with issue 19's rows of
  // the same stop (regexes on arguments and names, host.id keys as Computer, service-account SIDs,
  // lifts that leave events of another kind out, each warned).
  assert.ok(p.ok >= 627, `Splunk: ${p.ok} converted`);
});

test.run();
