/**
 * EQL `[ ... ] with runs=N` in Splunk, both taxonomies: the step N times in a row (expandRuns),
 * each repeat's flag copied from its first occurrence so the condition is written once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { NodeOf, Query } from "../../src/ir/query.js";
import { expandRuns } from "../../src/ir/sequence-runs.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { renderSplSequence } from "../../src/query/spl/spl-sequence.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";

const a: Query = { kind: "match", field: "a", value: { kind: "string", parts: [{ kind: "text", value: "1" }] }, caseSensitive: false };
const b: Query = { ...a, field: "b" } as Query;

test("expandRuns: a step with runs=N is N copies of it, without runs; other steps as they were", () => {
  const q: NodeOf<"sequence"> = { kind: "sequence", by: ["k"], steps: [{ query: a, by: [], runs: 3 }, { query: b, by: ["j"] }] };
  assert.equal(expandRuns(q).steps, [{ query: a, by: [] }, { query: a, by: [] }, { query: a, by: [] }, { query: b, by: ["j"] }]);
  const plain: NodeOf<"sequence"> = { kind: "sequence", by: [], steps: [{ query: a, by: [] }, { query: b, by: [] }] };
  assert.is(expandRuns(plain), plain);
});

test("SPL: a repeated step copies the flag of its first occurrence; each repeat is still its own stage", () => {
  const step = (condition: string) => ({ search: "x=*", condition, keys: ["k"] });
  const spl = renderSplSequence({ steps: [step("a==1"), step("a==1"), step("b==1")] }).split("\n");
  assert.equal(spl.slice(1, 4), ["| eval rc_m1=if(a==1, 1, 0), rc_m3=if(b==1, 1, 0)", "| eval rc_m2=rc_m1", "| where rc_m1=1 OR rc_m3=1"]);
  assert.ok(spl.includes("| eval rc_s2=if(rc_m2=1 AND isnotnull(rc_p1), rc_p1, null())"));
  assert.ok(spl.includes("| where isnotnull(rc_s3)"));
});

const RULE = ruleText({
  id: "5c1c3d5e-0f0a-4c4b-9a53-6a4c0b6f0d11",
  name: "Repeated nslookup",
  query: 'sequence by process.parent.entity_id with maxspan=5m [process where event.type == "start" and process.name : "nslookup.exe"] with runs=3',
});

for (const taxonomy of ["sigma", "cim"] as const) {
  test(`--splunk-taxonomy ${taxonomy}: a sequence with runs=3 is three steps`, () => {
    const read = readRules([{ path: "r.yaml", text: RULE }]);
    const r = convertRules(read.rules, ["splunk"], testContext({ splunkTaxonomy: taxonomy }));
    assert.equal(r.outcomes[0]!.converted, ["splunk"], r.diagnostics.map((d) => d.message).join("\n"));
    assert.not.ok(r.diagnostics.some((d) => d.code === "splunk/cim-fallback"));
    const spl = r.files.find((f) => f.path.endsWith(".spl"))!.content;
    assert.match(spl, "| eval rc_m2=rc_m1, rc_m3=rc_m1\n");
    assert.match(spl, "| where isnotnull(rc_s3)\n");
    assert.not.match(spl, "rc_s4");
    // One warning per finding, however often the step repeats.
    const messages = r.diagnostics.map((d) => d.message);
    assert.is(new Set(messages).size, messages.length, messages.join("\n"));
  });
}

test.run();
