/**
 * Every conf file the corpus conversions write, read back with the conf reader: savedsearches.conf
 * for the SigmaHQ and Elastic corpora (and the golden cases and rules/), plus the Splunk app's
 * app.conf and default.meta, must hold exactly the intended stanzas, comments and keys, each search
 * exactly the rule's SPL. The corpora are real community content, so this is where a conf writer
 * slip on an odd title, description or reference shows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Rule } from "../../src/ir/rule.js";
import { convertRules, type ConvertResult } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { readConf } from "../../src/render/conf-reader.js";
import { loadTemplates } from "../../src/render/templates.js";
import type { OptionValue } from "../../src/options/option-spec.js";
import { splunkAppFiles } from "../../src/targets/splunk/splunk-app.js";
import { testContext, type TargetName } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []));
}

function read(paths: readonly string[]): Rule[] {
  return readRules(paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") }))).rules;
}

function convert(rules: readonly Rule[], targets: readonly TargetName[], options: Readonly<Record<string, OptionValue>> = {}): ConvertResult {
  return convertRules(rules, targets, testContext({ unmapped: "keep", ...options }));
}

function savedSearches(r: ConvertResult): string {
  const f = r.files.find((x) => x.target === "splunk" && x.path === "savedsearches.conf");
  assert.ok(f, "no savedsearches.conf");
  return f.content;
}

test("SigmaHQ corpus → savedsearches.conf (plain, and with --splunk-app and --splunk-index): exactly the intended stanzas and keys", () => {
  const rules = read(walk("../shared/corpus/sigma/rules", ".yml"));
  for (const options of [{}, { splunkApp: "soc_app", splunkIndex: "main" }] as Record<string, string>[]) {
    const r = convert(rules, ["splunk"], options);
    assert.is(readBackProblem(r.files), undefined);
    const stanzas = readConf(savedSearches(r)).stanzas.length;
    assert.ok(stanzas > 3000, `${stanzas} stanzas`);
    assert.is(stanzas, r.files.filter((f) => f.path.endsWith(".spl")).length);
  }
});

test("Elastic corpus → savedsearches.conf: exactly the intended stanzas and keys", () => {
  const r = convert(read(walk("../shared/corpus/elastic/rules", ".toml")), ["splunk"]);
  assert.is(readBackProblem(r.files), undefined);
  assert.ok(readConf(savedSearches(r)).stanzas.length >= 245);
});

test("golden cases and rules/ → every file of every target reads back as intended; the app's conf files too", () => {
  const inputs = [...walk("rules", ".yaml"), ...walk("test/golden/cases", ".yaml"), ...walk("test/golden/cases", ".yml")];
  const r = convert(read(inputs), ["sigma", "splunk", "elastic"], { splunkApp: "soc_app" });
  assert.is(readBackProblem(r.files), undefined);
  const app = splunkAppFiles("soc_app", "1.2.0", savedSearches(r), loadTemplates());
  const stanzas = (suffix: string) => {
    const c = readConf(app.find((f) => f.path.endsWith(suffix))!.content);
    assert.equal(c.problems, [], suffix);
    return c.stanzas.map((s) => [s.name, Object.fromEntries(s.keys)]);
  };
  assert.equal(stanzas("app.conf"), [
    ["install", { is_configured: "0", state: "enabled" }],
    ["package", { id: "soc_app", check_for_updates: "false" }],
    ["launcher", { author: "rulecast", version: "1.2.0", description: "Detection rules converted by rulecast (soc_app)" }],
    ["ui", { is_visible: "false", label: "soc_app" }],
  ]);
  assert.equal(stanzas("default.meta"), [
    ["", { access: "read : [ * ], write : [ admin ]", export: "system" }],
    ["savedsearches", { owner: "admin" }],
  ]);
});

test.run();
