/**
 * The four unmapped-field policies: `error` fails the rule for that target, `warning` and `keep`
 * keep the field's name (a warning, an info line), `skip` leaves the rule out of that target
 * without a failure. Every policy reports the field, at its line.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import type { UnmappedPolicy } from "../../src/diagnostics/mapping-diagnostics.js";
import { testContext } from "../helpers/convert-fixture.js";

const RULE = [
  "title: Unmapped field",
  "id: 8f0f1c1e-1111-4a4a-9b9b-000000000002",
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

function run(unmapped: UnmappedPolicy) {
  const read = readRules([{ path: "rules/u.yml", text: RULE }]);
  const res = convertRule(read.rules[0]!, ["splunk", "elastic"], testContext({ unmapped }));
  const d = res.diagnostics.filter((x) => x.code === "mapping/unmapped-field");
  return { res, d };
}

test("error: the rule fails for Elastic, still converts for Splunk", () => {
  const { res, d } = run("error");
  assert.equal(res.outcome.failed, ["elastic"]);
  assert.equal(res.outcome.converted, ["splunk"]);
  assert.equal(d.map((x) => [x.severity, x.line]), [["error", 9]]);
});

test("warning and keep: the field keeps its name; a warning or an info line", () => {
  for (const [policy, severity] of [["warning", "warning"], ["keep", "info"]] as const) {
    const { res, d } = run(policy);
    assert.equal(res.outcome.converted, ["splunk", "elastic"], policy);
    assert.equal(d.map((x) => x.severity), [severity], policy);
    const json = res.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"));
    assert.match(json?.content ?? "", /Z == 0|Z : 0|`Z`/, policy);
  }
});

test("skip: left out of Elastic without a failure; a rule skipped for every target counts as skipped", () => {
  const { res, d } = run("skip");
  assert.equal(res.outcome.failed, []);
  assert.equal(res.outcome.skippedFor, ["elastic"]);
  assert.equal(res.outcome.converted, ["splunk"]);
  assert.is(res.outcome.skipped, false);
  assert.equal(d.map((x) => x.severity), ["warning"]);
  assert.match(d[0]!.hint ?? "", /left out/);
  const read = readRules([{ path: "rules/u.yml", text: RULE }]);
  const only = convertRule(read.rules[0]!, ["elastic"], testContext({ unmapped: "skip" }));
  assert.is(only.outcome.skipped, true);
  assert.equal(only.files, []);
});

const NO_SOURCE_RULE = [
  "title: Antivirus signature",
  "id: 8f0f1c1e-1111-4a4a-9b9b-000000000003",
  "logsource:",
  "    category: antivirus",
  "detection:",
  "    selection:",
  "        Signature|startswith: PWS",
  "    condition: selection",
  "level: low",
  "",
].join("\n");

test("a log source with no mapping entry keeps the field's name: a warning by default, an info line under keep, left out under skip", () => {
  const read = readRules([{ path: "rules/av.yml", text: NO_SOURCE_RULE }]);
  const seen = (unmapped: UnmappedPolicy) => {
    const res = convertRule(read.rules[0]!, ["elastic"], testContext({ unmapped }));
    const d = res.diagnostics.filter((x) => x.code === "mapping/unmapped-source-field");
    return { res, severities: d.map((x) => x.severity), hint: d[0]?.hint ?? "" };
  };
  for (const policy of ["error", "warning"] as const) {
    const { res, severities } = seen(policy);
    assert.equal(res.outcome.converted, ["elastic"], policy);
    assert.equal(severities, ["warning"], policy);
  }
  const keep = seen("keep");
  assert.equal(keep.res.outcome.converted, ["elastic"]);
  assert.equal(keep.severities, ["info"]);
  const skip = seen("skip");
  assert.equal(skip.res.outcome.converted, []);
  assert.equal(skip.res.outcome.failed, []);
  assert.equal(skip.res.outcome.skippedFor, ["elastic"]);
  assert.match(skip.hint, /left out/);
});

test.run();
