/**
 * A KQL field wildcard (`file.hash.*:x`, any field under file.hash) has no Sigma form: Sigma would
 * read the same text as one field of that name. Elastic keeps it; Sigma refuses it by name.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

test("a field wildcard is refused for Sigma and kept for Elastic", () => {
  const text = readFileSync("rules/unusual_process_network_connection.yaml", "utf8").replace(/^query: >-\n(  .*\n)+/m, "query: 'file.hash.*:abc'\n");
  const read = readRules([{ path: "rules/w.yaml", text }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  const r = convertRules(read.rules, ["sigma", "elastic"], testContext({ sigmaTaxonomy: "ecs" }));
  assert.equal(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["sigma/wildcard-field"]);
  assert.match(JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content).query, "file.hash.*:abc");
});

test.run();
