/**
 * Every output re-parses to the object it was meant to be, and validates against the target's
 * published schema: Sigma rules and correlations (Sigma JSON Schemas), Kibana rules (9.5 schema
 * of their type), savedsearches.conf (a conf reader: the search value is the SPL exactly).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertFiles } from "../helpers/convert-fixture.js";
import { parseConf } from "../helpers/conf-parser.js";
import { errorsText, kibanaValidator, sigmaValidators } from "../helpers/schemas.js";
import { parseLucene } from "../../src/query/lucene/lucene-parser.js";

const inputs = [
  ...readdirSync("rules").map((f) => join("rules", f)),
  ...readdirSync("test/golden/cases").map((f) => join("test/golden/cases", f)),
].filter((f) => f.endsWith(".yaml"));

const { result } = convertFiles(inputs);

test("every target produced files", () => {
  for (const t of ["sigma", "splunk", "elastic"]) assert.ok(result.files.some((f) => f.target === t), t);
});

test("Sigma files parse back to the intended documents and validate", () => {
  const { rule, correlation } = sigmaValidators();
  for (const f of result.files.filter((x) => x.target === "sigma")) {
    const docs = parseAllDocuments(f.content);
    assert.ok(Array.isArray(docs));
    const parsed = (docs as { toJS(): unknown; errors: unknown[] }[]).map((d) => {
      assert.equal(d.errors.length, 0, `${f.path}: YAML errors`);
      return d.toJS();
    });
    assert.equal(parsed, f.document, `${f.path} does not parse back to the intended documents`);
    for (const d of parsed as Record<string, unknown>[]) {
      const v = "correlation" in d ? correlation : rule;
      assert.ok(v(d), `${f.path}: ${errorsText(v)}`);
    }
  }
});

/**
 * The 9.5 schemas are detection-rules' (src/targets/elastic/kibana-fields.ts): they wrap a new-terms
 * rule's API keys in a `new_terms` object, whose history_window_start entries take only `field`.
 * Kibana's API takes the keys at the top level, as the target writes them: they are wrapped here
 * for the schema, after checking their shape the way the API schema does.
 */
function schemaShape(obj: Record<string, unknown>): Record<string, unknown> {
  if (obj["type"] !== "new_terms") return obj;
  const { new_terms_fields: fields, history_window_start: start, ...rest } = obj;
  assert.ok(Array.isArray(fields) && fields.length >= 1 && fields.length <= 3 && fields.every((x) => typeof x === "string" && x !== ""), "new_terms_fields: 1 to 3 field names");
  assert.ok(typeof start === "string" && start !== "", "history_window_start: date math");
  return { ...rest, new_terms: { field: "new_terms_fields", value: fields, history_window_start: [{ field: "history_window_start" }] } };
}

test("Elastic rule files parse back to the intended object and validate against Kibana 9.5", () => {
  const rules = result.files.filter((x) => x.target === "elastic" && x.path.endsWith(".json"));
  assert.ok(rules.length > 0);
  for (const f of rules) {
    const obj = JSON.parse(f.content) as { type: string };
    assert.equal(obj, f.document, `${f.path} does not parse back to the intended object`);
    const v = kibanaValidator(obj.type);
    assert.ok(v(schemaShape(obj)), `${f.path}: ${errorsText(v)}`);
  }
});

test("Sigma rules as Lucene query rules parse back, validate against Kibana 9.5, and read back as Lucene", () => {
  // The golden Sigma cases and every 40th SigmaHQ Windows process-creation rule.
  const dir = "../shared/corpus/sigma/rules/windows/process_creation";
  const corpus = readdirSync(dir).sort().filter((_, i) => i % 40 === 0).map((f) => join(dir, f));
  const sigmaCases = readdirSync("test/golden/cases").filter((f) => f.startsWith("sigma")).map((f) => join("test/golden/cases", f));
  const lucene = convertFiles([...sigmaCases, ...corpus], ["elastic"], { elasticLanguage: "lucene" }).result;
  const rules = lucene.files.filter((x) => x.path.endsWith(".json"));
  const queryRules = rules.filter((f) => (JSON.parse(f.content) as { language?: string }).language === "lucene");
  assert.ok(queryRules.length >= 20, `${queryRules.length} Lucene rules`);
  for (const f of queryRules) {
    const obj = JSON.parse(f.content) as { type: string; query: string };
    assert.equal(obj, f.document);
    assert.is(obj.type, "query");
    const v = kibanaValidator(obj.type);
    assert.ok(v(obj), `${f.path}: ${errorsText(v)}`);
    const back = parseLucene(obj.query);
    assert.ok(back.ok, `${f.path}: ${obj.query}`);
  }
});

test("rules.ndjson: one rule per line, each the rule file's object, no duplicate rule_id", () => {
  const bundle = result.files.find((x) => x.target === "elastic" && x.path === "rules.ndjson");
  assert.ok(bundle);
  assert.ok(bundle.content.endsWith("\n"));
  const lines = bundle.content.trimEnd().split("\n").map((l) => JSON.parse(l) as { rule_id: string });
  const files = result.files.filter((x) => x.target === "elastic" && x.path.endsWith(".json"));
  assert.equal(lines, files.map((f) => f.document));
  assert.equal(new Set(lines.map((l) => l.rule_id)).size, lines.length);
});

test("savedsearches.conf: every stanza's search is the rule's SPL exactly", () => {
  const conf = result.files.find((x) => x.target === "splunk" && x.path === "savedsearches.conf");
  assert.ok(conf);
  const parsed = parseConf(conf.content);
  const spls = result.files.filter((x) => x.target === "splunk" && x.path.endsWith(".spl"));
  assert.equal(parsed.size - 1, spls.length);
  const searches = [...parsed.values()].map((s) => s.get("search")).filter((s) => s !== undefined);
  assert.equal(searches, spls.map((f) => f.content.trimEnd()));
  for (const [name, s] of parsed) {
    if (name === "default") continue;
    assert.match(s.get("cron_schedule") ?? "", /^[\d*/ ,-]+$/);
    // Snapped windows that end an ingestion lag before the run (splunk-schedule.ts).
    assert.match(s.get("dispatch.earliest_time") ?? "", /^-\d+m@m$/);
    assert.match(s.get("dispatch.latest_time") ?? "", /^(-\d+m@m|@m)$/);
    assert.match(s.get("search") ?? "", /\n\| `[a-z0-9_]+_filter`$/);
    assert.equal(JSON.parse(s.get("action.correlationsearch.annotations") ?? "null").mitre_attack instanceof Array, true);
  }
});

test.run();
