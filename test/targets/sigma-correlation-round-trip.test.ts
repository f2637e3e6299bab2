/**
 * Sigma correlations written by the Sigma target read back to the same correlation: type, rules
 * (their queries and log sources), group-by, aliases, timespan, condition and value field.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const CASES = ["test/golden/cases/sigma_correlations.yml"];

/** What a correlation means, without names, spans or ids (which the writer is free to choose). */
function meaning(q: Query): unknown {
  if (q.kind !== "correlation") return q.kind;
  const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "span" ? undefined : v)));
  return {
    type: q.type,
    groupBy: q.groupBy,
    timespan: q.timespan,
    condition: q.condition,
    valueField: q.valueField,
    rules: q.rules.map((r) => ({ query: strip(r.query), logsource: r.logsource, aliases: r.aliases })),
  };
}

test("every correlation of the case files reads back from its Sigma output with the same meaning", () => {
  let checked = 0;
  for (const path of CASES) {
    const read = readRules([{ path, text: readFileSync(path, "utf8") }]);
    const correlations = read.rules.filter((r) => r.query.kind === "correlation");
    assert.ok(correlations.length >= 5, "the case file holds the correlation types");
    const out = convertRules(correlations, ["sigma"], testContext());
    for (const rule of correlations) {
      const file = out.files.find((f) => f.path.endsWith(".yml") && f.content.includes(`id: ${rule.id}`));
      assert.ok(file, rule.name);
      const back = readRules([{ path: "back.yml", text: file!.content }]);
      assert.equal(back.diagnostics.filter((d) => d.severity === "error"), [], rule.name);
      const again = back.rules.find((r) => r.id === rule.id);
      assert.equal(meaning(again!.query), meaning(rule.query), rule.name);
      checked++;
    }
  }
  assert.ok(checked >= 5);
});

test.run();
