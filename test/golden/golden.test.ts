/**
 * Golden outputs per input and target: the seed rules in rules/ and the cases in test/golden/cases.
 * A mismatch prints a unified diff; UPDATE_GOLDEN=1 rewrites (read the diff before committing).
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectGolden } from "../helpers/golden.js";
import { convertFiles } from "../helpers/convert-fixture.js";

const inputs = [
  ...readdirSync("rules").filter((f) => f.endsWith(".yaml")).map((f) => join("rules", f)),
  ...readdirSync("test/golden/cases").filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).map((f) => join("test/golden/cases", f)),
].sort();

for (const input of inputs) {
  const name = basename(input).replace(/\.ya?ml$/, "");
  test(`golden: ${input}`, () => {
    const { result, lines } = convertFiles([input]);
    const dir = join("test/golden/expected", name);
    // Bundles hold every converted rule of the run: with one input they hold just this rule.
    for (const f of result.files) expectGolden(join(dir, f.target, f.path), f.content);
    expectGolden(join(dir, "diagnostics.txt"), lines.join("\n") + "\n");
    const expected = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== "diagnostics.txt")
      .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
      .sort();
    const produced = result.files.map((f) => `${f.target}/${f.path}`).sort();
    assert.equal(produced, expected, "the set of output files changed");
  });
}

test("the seed rules convert to every target without errors", () => {
  const { result } = convertFiles(["rules/unusual_process_network_connection.yaml", "rules/psexec_network_connection.yaml"]);
  assert.equal(result.outcomes.map((o) => [o.rule.name, o.converted, o.failed]), [
    ["Unusual Process Network Connection", ["sigma", "splunk", "elastic"], []],
    ["PsExec Network Connection", ["sigma", "splunk", "elastic"], []],
  ]);
});

test.run();
