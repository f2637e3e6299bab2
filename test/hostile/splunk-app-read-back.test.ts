/**
 * The conf files of a Splunk app run, read back with the conf reader: savedsearches.conf for the
 * golden cases and rules/ (with an app prefix and an index), app.conf and default.meta hold exactly
 * the intended stanzas, comments and keys, each search exactly the rule's SPL. (The corpus
 * conversions' files are read back where they are made, in pipeline/corpus-conversion.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { readConf } from "../../src/render/conf-reader.js";
import { loadTemplates } from "../../src/render/templates.js";
import { splunkAppFiles } from "../../src/targets/splunk/splunk-app.js";
import { testContext } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";

const inputs = ["rules", "test/golden/cases"].flatMap((d) => readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)));

test("golden cases and rules/ with --splunk-app and --splunk-index: every file of every target reads back as intended, the app's conf files too", () => {
  const read = readRules(inputs.map((p) => ({ path: p, text: readFileSync(p, "utf8") })));
  const r = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext({ unmapped: "keep", splunkApp: "soc_app", splunkIndex: "main" }));
  assert.is(readBackProblem(r.files), undefined);
  const conf = r.files.find((x) => x.target === "splunk" && x.path === "savedsearches.conf");
  assert.ok(conf);
  assert.ok(readConf(conf.content).stanzas.every((s) => s.name.startsWith("soc_app - ") && s.keys.get("search")?.startsWith("index=main ")));
  const app = splunkAppFiles("soc_app", "1.2.0", conf.content, "", loadTemplates());
  const stanzas = (suffix: string) => {
    const c = readConf(app.find((f) => f.path.endsWith(suffix))!.content);
    assert.equal(c.problems, [], suffix);
    return c.stanzas.map((s) => [s.name, Object.fromEntries(s.keys)]);
  };
  assert.equal(stanzas("app.conf"), [
    ["install", { is_configured: "0", state: "enabled" }],
    ["package", { id: "soc_app", check_for_updates: "false" }],
    ["id", { name: "soc_app", version: "1.2.0" }],
    ["launcher", { author: "rulecast", version: "1.2.0", description: "Detection rules converted by rulecast (soc_app)" }],
    ["ui", { is_visible: "false", label: "soc_app" }],
  ]);
  assert.equal(stanzas("default.meta"), [
    ["", { access: "read : [ * ], write : [ admin ]", export: "system" }],
    ["savedsearches", { owner: "admin", export: "system" }],
    ["macros", { export: "system" }],
  ]);
  assert.is(app.find((f) => f.path.endsWith("savedsearches.conf"))!.content, conf.content);
});

test.run();
