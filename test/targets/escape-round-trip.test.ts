/**
 * Escapes survive Elastic → Sigma → Elastic: a control or invisible format character written as an
 * escape in the source (`\u{202E}` in EQL, `\u0000` in KQL) is an escape in the Sigma YAML and in the
 * query that comes back, never the raw character.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

/** Control characters other than the line feeds of a YAML document, and invisible format characters. */
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}]/u;

function throughSigma(path: string, text: string, elasticLanguage: "eql" | "kuery"): { sigma: string; query: string } {
  const first = convertRules(readRules([{ path, text }]).rules, ["sigma"], testContext());
  const sigma = first.files.find((f) => f.path.endsWith(".yml"))?.content;
  assert.ok(sigma, first.diagnostics.map((d) => d.message).join("; "));
  const back = convertRules(readRules([{ path: "back.yml", text: sigma }]).rules, ["elastic"], testContext({ elasticLanguage, unmapped: "warning" }));
  const json = back.files.find((f) => f.path.endsWith(".json") && f.path !== "rules.ndjson")?.content;
  assert.ok(json, back.diagnostics.map((d) => d.message).join("; "));
  return { sigma, query: (JSON.parse(json) as { query: string }).query };
}

test("EQL `\\u{202E}` (right-to-left override) comes back escaped", () => {
  const path = "../shared/corpus/elastic/rules/windows/defense_evasion_right_to_left_override.toml";
  const { sigma, query } = throughSigma(path, readFileSync(path, "utf8"), "eql");
  assert.ok(!INVISIBLE.test(sigma), "raw character in the Sigma YAML");
  assert.match(sigma, "\\u202e");
  assert.ok(!INVISIBLE.test(query), `raw character in ${query}`);
  assert.match(query, "\\u{202e}");
});

test("KQL `\\u0000` comes back escaped, in EQL and in KQL", () => {
  const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
  const text = seed.replace(/^query: >-\n(  .*\n)+/m, 'query: \'event.category:network and process.name:"a\\u0000b"\'\n');
  for (const language of ["eql", "kuery"] as const) {
    const { sigma, query } = throughSigma("rules/a.yaml", text, language);
    assert.ok(!INVISIBLE.test(sigma), "raw character in the Sigma YAML");
    assert.match(sigma, "a\\u0000b");
    assert.ok(!INVISIBLE.test(query), `raw character in ${query}`);
    assert.match(query, language === "eql" ? "a\\u{00}b" : "a\\u0000b");
  }
});

test.run();
