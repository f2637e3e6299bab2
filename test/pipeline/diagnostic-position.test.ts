/**
 * A problem found after reading (an unmapped field, a value a target cannot say) names the line and
 * column of the field in the Sigma file, not the rule's first line.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const RULE = [
  "title: Position test",
  "id: 8f0f1c1e-1111-4a4a-9b9b-000000000001",
  "logsource:",
  "    product: zeek",
  "    service: dns",
  "detection:",
  "    selection:",
  "        query|endswith: '.onion'",
  "        Z: 0",
  "    condition: selection",
  "level: low",
  "",
].join("\n");

test("an unmapped Sigma field is reported at its own line and column", () => {
  const read = readRules([{ path: "rules/pos.yml", text: RULE }]);
  assert.equal(read.diagnostics, []);
  const res = convertRule(read.rules[0]!, ["elastic"], testContext());
  const d = res.diagnostics.find((x) => x.code === "mapping/unmapped-field");
  assert.ok(d, JSON.stringify(res.diagnostics));
  assert.is(d!.file, "rules/pos.yml");
  assert.is(d!.line, 9);
  assert.is(d!.col, 9);
  assert.match(d!.message, /`Z`/);
});

test.run();
