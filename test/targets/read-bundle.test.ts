/**
 * Reading back a bundle rulecast wrote (TargetSpec.readBundle, issue 17 item 8): the pieces read
 * from savedsearches.conf and rules.ndjson render the same bytes again, and an edit that would let
 * one stanza's or line's bytes reach another's is refused, never merged.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { elasticTarget } from "../../src/targets/elastic/index.js";
import { splunkTarget } from "../../src/targets/splunk/index.js";
import type { BundlePiece, TargetSpec } from "../../src/targets/target.js";
import { testContext } from "../helpers/convert-fixture.js";

const ctx = testContext();
const CONF = readFileSync("out/splunk/savedsearches.conf", "utf8");
const NDJSON = readFileSync("out/elastic/rules.ndjson", "utf8");

function read(target: TargetSpec, path: string, text: string): readonly BundlePiece[] | string {
  const r = target.readBundle!((p) => (p === path ? text : undefined), ctx);
  return "error" in r ? r.error : r;
}

test("the committed bundles read back as pieces that render the same bytes", () => {
  const stanzas = read(splunkTarget, "savedsearches.conf", CONF);
  assert.ok(Array.isArray(stanzas) && stanzas.length === 2, String(stanzas));
  assert.equal((stanzas as BundlePiece[]).map((p) => splunkTarget.pieceKey!(p)), ["PsExec Network Connection", "Unusual Process Network Connection"]);
  const files = splunkTarget.renderBundle(stanzas as BundlePiece[], ctx);
  assert.is(files.find((f) => f.path === "savedsearches.conf")!.content, CONF);
  assert.is(files.find((f) => f.path === "macros.conf")!.content, readFileSync("out/splunk/macros.conf", "utf8"));
  const lines = read(elasticTarget, "rules.ndjson", NDJSON) as BundlePiece[];
  assert.equal(lines.map((p) => elasticTarget.pieceKey!(p)), ["55d551c6-333b-4665-ab7e-5d14a59715ce", "610949a1-312f-4e04-bb55-3a79b8c95267"]);
  assert.is(elasticTarget.renderBundle(lines, ctx)[0]!.content, NDJSON);
  assert.equal(read(splunkTarget, "savedsearches.conf", "nothing"), "it does not begin with the header rulecast writes");
});

test("edited savedsearches.conf: stanzas run together, text outside a stanza, a repeated name, a continuation out of a stanza", () => {
  const second = CONF.indexOf("\n\n# rule_id: 610949a1");
  const edits: [string, string, RegExp][] = [
    ["the blank line between two stanzas removed", CONF.slice(0, second) + CONF.slice(second + 1), /2 stanzas between two blank lines/],
    ["a key after the stanza's comments moved above its header", CONF.replace("[PsExec Network Connection]\n", "action.script = x\n[PsExec Network Connection]\n"), /2 stanzas|text before/],
    ["a comment after the keys", CONF.replace("action.notable.param.severity = low\n\n#", "action.notable.param.severity = low\n# trailing\n\n#"), /comments after its header/],
    ["one stanza name twice", CONF.replace("[Unusual Process Network Connection]", "[PsExec Network Connection]"), /appears twice/],
    ["a backslash at a stanza's end", CONF.replace("action.notable.param.severity = low\n\n#", "action.notable.param.severity = low\\\n\n#"), /continues into nothing/],
  ];
  for (const [what, text, why] of edits) {
    const r = read(splunkTarget, "savedsearches.conf", text);
    assert.type(r, "string", what);
    assert.match(r as string, why, `${what}: ${String(r)}`);
  }
});

test("edited rules.ndjson: two objects on a line, another spelling, no rule_id, a repeated one, no final newline", () => {
  const [a, b] = NDJSON.trimEnd().split("\n") as [string, string];
  const edits: [string, string, RegExp][] = [
    ["two objects on a line", `${a}${b}\n`, /line 1 is not a rule/],
    ["spaces JSON.stringify does not write", `${a.replace(":", ": ")}\n${b}\n`, /line 1 is not written as rulecast writes a rule/],
    ["no rule_id", `{"name":"x"}\n${b}\n`, /line 1 has no rule_id/],
    ["a rule_id twice", `${a}\n${a}\n`, /line 2 repeats rule_id/],
    ["no final newline", `${a}\n${b}`, /does not end in a newline/],
  ];
  for (const [what, text, why] of edits) assert.match(String(read(elasticTarget, "rules.ndjson", text)), why, what);
});

test.run();
