/**
 * The Sigma sharing profile (issue 19.4, the default) against the lossless one, and the issue's
 * done-when figures over the Elastic corpus: never an empty log source, script-block rules under
 * ps_script, no `|cased` on a value without letters, every file valid against the Sigma JSON
 * schemas with no custom attribute.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, parseAllDocuments } from "yaml";
import { convertRule, convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import type { OptionValue } from "../../src/options/option-spec.js";
import { testContext } from "../helpers/convert-fixture.js";
import { errorsText, sigmaValidators } from "../helpers/schemas.js";

const SCHEMAS = "../shared/reference/schemas/sigma";
const defined = (file: string) => new Set(Object.keys((JSON.parse(readFileSync(join(SCHEMAS, file), "utf8")) as { properties: object }).properties));
const RULE_KEYS = defined("sigma-detection-rule-schema.json");
const CORRELATION_KEYS = defined("sigma-correlation-rules-schema.json");

function one(path: string, text: string, options: Readonly<Record<string, OptionValue>> = {}) {
  const read = readRules([{ path, text }]);
  const r = convertRules(read.rules, ["sigma"], testContext(options));
  assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
  return { doc: parse(r.files[0]!.content) as Record<string, any>, diagnostics: r.diagnostics };
}

const ELASTIC = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

test("sharing (default) writes no elastic: block; lossless does; --sigma-custom lets one through", () => {
  assert.not.ok("elastic" in one("rules/p.yaml", ELASTIC).doc);
  assert.ok("elastic" in one("rules/p.yaml", ELASTIC, { sigmaProfile: "lossless" }).doc);
  assert.ok("elastic" in one("rules/p.yaml", ELASTIC, { sigmaCustom: ["elastic"] }).doc);
});

test("sharing: EventID is a number, search names come from content, and/or mixes are parenthesised", () => {
  const text = ELASTIC.replace(/^query: [\s\S]*?(?=^\w)/m, 'query: \'event.code:"4688" and (process.command_line:*x* and process.command_line:*y* or process.parent.name:b.exe)\'\n');
  const { doc } = one("rules/p.yaml", text);
  const det = doc.detection as Record<string, any>;
  const all = Object.values(det).filter((v) => typeof v === "object").map((v) => v as Record<string, unknown>);
  assert.ok(all.some((m) => m.EventID === 4688), JSON.stringify(det));
  assert.not.ok(Object.keys(det).some((k) => /^selection_\d+$/.test(k)), Object.keys(det).join(" "));
  assert.is(det.condition, "selection_eventid and ((selection_commandline and selection_commandline_2) or selection_parentimage)");
});

test("registry value set (19.2): registry.value is TargetObject's last part under registry_set, and nowhere else", () => {
  const q = (query: string) => one("rules/p.yaml", ELASTIC.replace(/^query: [\s\S]*?(?=^\w)/m, `query: '${query}'\n`));
  const set = q("event.category:registry and event.type:change and registry.value:Debugger and registry.data.strings:x");
  assert.equal(set.doc.logsource, { category: "registry_set", product: "windows" });
  assert.equal(set.doc.detection.selection, { "TargetObject|endswith": "\\Debugger", Details: "x" });
  assert.ok(set.diagnostics.some((d) => d.code === "mapping/logsource-narrowed"), "key renames (Sysmon 14) are change events too: a warning says so");
  // Under registry_event a key named Debugger would match TargetObject|endswith too: the ECS name stays.
  const any = q("event.category:registry and registry.value:Debugger");
  assert.is(any.doc.taxonomy, "ecs");
  assert.equal(any.doc.logsource, { category: "registry_event", product: "windows" });
});

test("sharing: a Sigma rule's tags come back exactly; lossless adds nothing either", () => {
  const text = readFileSync("test/golden/cases/sigma_network.yml", "utf8");
  const { doc } = one("test/golden/cases/sigma_network.yml", text);
  assert.equal(doc.tags, ["attack.lateral-movement", "attack.t1021.002"]);
});

test("sharing: an id that is no UUID becomes a derived UUID, with a warning", () => {
  const { doc, diagnostics } = one("rules/p.yaml", ELASTIC.replace(/^rule_id: .*$/m, "rule_id: 7eb54028-ca72-4eb7-8185-b6864572347db"));
  assert.match(doc.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(diagnostics.some((d) => d.code === "sigma/derived-id"));
});

const walk = (d: string, out: string[] = []): string[] => {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".toml")) out.push(p);
  }
  return out;
};
const corpus = readRules(walk("../shared/corpus/elastic/rules").map((path) => ({ path, text: readFileSync(path, "utf8") }))).rules;

function sigmaDocs(options: Readonly<Record<string, OptionValue>>, every = 1) {
  const ctx = testContext(options);
  const out: { rule: (typeof corpus)[number]; path: string; content: string; docs: Record<string, any>[] }[] = [];
  corpus.forEach((rule, i) => {
    if (i % every !== 0) return;
    for (const f of convertRule(rule, ["sigma"], ctx).files) out.push({ rule, path: f.path, content: f.content, docs: parseAllDocuments(f.content).map((d) => d.toJS() as Record<string, any>) });
  });
  return out;
}
let defaults: ReturnType<typeof sigmaDocs> | undefined;

test("over the Elastic corpus, default output: a log source always, ps_script for script blocks, valid, no custom attribute, no |cased", () => {
  const files = (defaults ??= sigmaDocs({}));
  assert.ok(files.length > 900, String(files.length));
  const { rule: ruleSchema, correlation } = sigmaValidators();
  const problems: string[] = [];
  for (const f of files) {
    for (const d of f.docs) {
      const isCorrelation = "correlation" in d;
      const v = isCorrelation ? correlation : ruleSchema;
      if (!v(d)) problems.push(`${f.path}: ${errorsText(v)}`);
      const extra = Object.keys(d).filter((k) => !(isCorrelation ? CORRELATION_KEYS : RULE_KEYS).has(k));
      if (extra.length > 0) problems.push(`${f.path}: custom attribute(s) ${extra.join(", ")}`);
      if (isCorrelation) continue;
      const ls = d.logsource as Record<string, string> | undefined;
      if (!ls || !(ls.category || ls.product || ls.service)) problems.push(`${f.path}: empty log source`);
      if (/script_block_text/.test(f.rule.queryText) && ls?.category !== "ps_script") problems.push(`${f.path}: script-block rule under ${JSON.stringify(ls)}`);
      if (/\|cased/.test(JSON.stringify(Object.keys(d.detection)) + JSON.stringify(d.detection))) problems.push(`${f.path}: |cased`);
    }
  }
  assert.equal(problems.slice(0, 10), []);
});

test("over the Elastic corpus, sigma_case exact: |cased only on values with a letter", () => {
  const bad: string[] = [];
  for (const f of sigmaDocs({ sigmaCase: "exact" }, 3)) {
    for (const d of f.docs) {
      for (const [name, s] of Object.entries((d.detection ?? {}) as Record<string, unknown>)) {
        if (name === "condition" || !s || typeof s !== "object" || Array.isArray(s)) continue;
        for (const [k, v] of Object.entries(s)) {
          if (k.includes("|cased") && !k.includes("|fieldref") && (Array.isArray(v) ? v : [v]).some((x) => !/\p{L}/u.test(String(x)))) bad.push(`${f.path}: ${k}: ${JSON.stringify(v)}`);
        }
      }
    }
  }
  assert.equal(bad.slice(0, 10), []);
});

test("read back (issue 19.6): every Sigma file written from the Elastic corpus reads again, ECS names included", () => {
  const files = (defaults ??= sigmaDocs({}));
  const ctx = testContext();
  const problems: string[] = [];
  let ecsFiles = 0;
  for (const f of files) {
    const read = readRules([{ path: `out/sigma/${f.path}`, text: f.content }]);
    for (const d of read.diagnostics.filter((x) => x.severity === "error")) problems.push(`${f.path}: read: ${d.code} ${d.message}`);
    const base = f.docs.filter((d) => !("correlation" in d));
    const taxonomy = base[0]?.taxonomy ?? "sigma";
    if (taxonomy === "ecs") ecsFiles++;
    for (const r of read.rules) {
      if (r.taxonomy !== taxonomy) problems.push(`${f.path}: read as taxonomy ${r.taxonomy}, written as ${taxonomy}`);
      if (r.query.kind !== "correlation" && base.length === 1 && JSON.stringify(r.logsource) !== JSON.stringify(base[0]!.logsource)) problems.push(`${f.path}: log source read back differs`);
      // ECS names need no field mapping back to Elastic: none may be reported unmapped.
      if (taxonomy === "ecs") {
        for (const d of convertRule(r, ["elastic"], ctx).diagnostics) if (d.code === "mapping/unmapped-field") problems.push(`${f.path}: ${d.message}`);
      }
    }
  }
  assert.equal(problems.slice(0, 10), []);
  // Issue 19.2: files left in ECS names, where a field has no Sigma name under the rule's log source
  // (host.id in a condition, user.id outside an exclusion, an exact process.args_count, event.action
  // subtypes). Measured 37.4 % (383 of 1,024) with both of this stop's #19 branches (field rows and log-source lifts);
  // 41.1 % (421 of 1,024) since excluding a Windows service account by SID
  // (`not user.id : "S-1-5-18"`) excludes its names in Sysmon's User (some languages', widened,
  // warned); 42.2 % (432 of 1,024) since a lower bound on process.args_count is blanks in
  // the command line (widened, warned); 43.3 % (443 of 1,024) since an exclusion on Defend's earlier name of a file
  // (file.Ext.original.*, absent from Sigma's file_event) is dropped there, warned; 43.9 % (450 of 1,024) since a Lucene regex on an argument or a name is one on
  // the command line or path (widened, warned; refused under a NOT); 44.8 % (459 of 1,024) since host.id is Computer as a join key or group-by
  // (key-only, warned) and a step's own host key beside entity ids is dropped; 46.0 % (471 of 1,024) since an extension's or an argument's absence test is
  // refused (it was `TargetFilename: null`, matching no file); 45.9 % (470 of 1,024) since CloudTrail event.outcome is errorCode/errorMessage
  // (the log-source branch alone: 43.4 %, 444 of 1,024, since lifts leave out events of another kind the
  // query allows, with a warning naming them: driver loads beside library loads, renames beside
  // creations, forks beside execs, Packetbeat's network_traffic beside endpoint connections, Zeek's
  // data sets ORed in)
  // presence, a script block's file.directory a Path regex, Windows event.provider Provider_Name with
  // Sysmon's own events by code lifted to their log sources, and Windows user.domain the domain part of
  // Sysmon's User; 47.9 % (491 of 1,024) since issue 15's exact ECS -> Sigma rows (Defend's network actions as
  // Sysmon's Initiated, a script block's user.id as UserID, Security event codes with their pipeline
  // category, Auditbeat's anomaly actions as linux:audit types) and the three ES|QL rules that reach
  // Sigma since REPLACE counts and a Lucene `@` were read; 51.3 % (524 of 1,021) since `not
  // event.action:deletion` is lifted with file_event (Defend never types a deletion creation) and a
  // step of nothing but source conditions keeps its implied ones (one more rule converts, in ECS
  // names); 51.6 % (526 of 1,020) since a remaining condition that allows every value the log
  // source's read-back pins its field to is lifted with it (`host.os.type:(linux or macos)` under
  // product linux, `event.type:(creation or change)` under file_event); 53.1 % (542 of 1,020 with the
  // ES|QL rule issue 18 reads since RLIKE classes; 541 of 1,019 before it; 53.9 % before host.id
  // beside entity ids was dropped from
  // join keys and a rule's Kibana filters stopped hiding its source conditions, with 3 files back in
  // ECS names when the wrong user.domain -> SubjectDomainName row went; the 20 ES|QL rules that reach
  // Sigma all keep ECS names; 55.4 % before the Windows Security event IDs and the lifts of `not
  // event.type:deletion`, the image-load idiom and `Process Create*`; 75.7 % before issue 19); the
  // goal is 40 %. 39.0 % (413 of 1,059) since the 35 ES|QL rules that bound several measures reach
  // Sigma as chains of correlations, all in ECS names (alert-index and integration fields Sigma has
  // no names for); 39.1 % (414 of 1,060) since the RMM vendors rule is read. `node scripts/sigma-share-figures.mjs --fields` says which fields keep the rest.
  const share = ecsFiles / files.length;
  console.log(`  Sigma files in ECS names: ${ecsFiles} of ${files.length} (${(share * 100).toFixed(1)} %)`);
  assert.ok(ecsFiles > 100 && share <= 0.391, `${ecsFiles} of ${files.length}`);
});

test.run();
