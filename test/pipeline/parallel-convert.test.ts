/**
 * The worker pool gives the same result as one thread: same files in the same order, same
 * outcomes, same diagnostics.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { createConversionPool } from "../../src/pipeline/parallel-convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { TARGET_NAMES, testContext } from "../helpers/convert-fixture.js";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".yml") ? [join(dir, e.name)] : []));
}

test("two workers and one thread agree on 600 corpus rules", async () => {
  const sources = walk("../shared/corpus/sigma/rules/windows").slice(0, 600).map((path) => ({ path, text: readFileSync(path, "utf8") }));
  const ctx = testContext();
  const read = readRules(sources);
  const one = convertRules(read.rules, TARGET_NAMES, ctx);
  const pool = createConversionPool({ options: ctx.options }, 2);
  try {
    const two = await pool.convert(sources, TARGET_NAMES, ctx);
    assert.is(two.ruleCount, read.rules.length);
    assert.equal(two.readDiagnostics, read.diagnostics);
    assert.equal(two.result.files.map((f) => [f.target, f.path, f.content]), one.files.map((f) => [f.target, f.path, f.content]));
    assert.equal(two.result.outcomes, one.outcomes);
    assert.equal(two.result.diagnostics, one.diagnostics);
  } finally {
    await pool.close();
  }
});

test.run();
