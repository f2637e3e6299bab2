/**
 * The worker pool gives back what one thread makes: for every input file, in input order, the
 * same read failure or the same read diagnostics and rule results; a failure stops it where one
 * thread would have stopped.
 */
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule, leanResult } from "../../src/pipeline/convert.js";
import type { InputFile } from "../../src/pipeline/input-files.js";
import { AUTO_POOL_MIN_FILES, convertInPool, poolThreads, type FileConverted, type PoolSetup } from "../../src/pipeline/parallel-convert.js";
import { readInputFile } from "../../src/pipeline/read-input-file.js";
import { TARGET_NAMES, testContext } from "../helpers/convert-fixture.js";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".yml") ? [join(dir, e.name)] : []));
}

const ctx = testContext();
const setup = (targets: readonly string[]): PoolSetup => ({
  context: { maxTemplateBytes: 2 ** 20, mappings: {}, options: ctx.options, vars: {} },
  read: { maxInputSize: 2 ** 20, read: {}, defaults: { schedule: {}, indexPatterns: [] } },
  targets,
});
const input = (path: string): InputFile => ({ path, absolute: resolve(path) });

function oneThread(files: readonly InputFile[], s: PoolSetup): FileConverted[] {
  return files.map((f) => {
    const r = readInputFile(f, s.read);
    return "failure" in r ? { failure: r.failure } : { path: r.source.path, diagnostics: r.diagnostics, results: r.rules.map((rule) => leanResult(convertRule(rule, s.targets, ctx))) };
  });
}

test("two workers and one thread agree, file by file, on 600 corpus rules and a missing file", async () => {
  const files = walk("../shared/corpus/sigma/rules/windows").slice(0, 600).map(input);
  files.splice(300, 0, input("../shared/corpus/sigma/rules/no-such-rule.yml"));
  const s = setup(TARGET_NAMES);
  const got: { at: number; f: FileConverted }[] = [];
  await convertInPool(files, s, 2, (at, f) => got.push({ at, f }));
  assert.equal(
    got.map((g) => g.at),
    files.map((_, i) => i),
  );
  assert.ok("failure" in got[300]!.f);
  // Through a structured clone, as the pool's results are.
  assert.equal(
    got.map((g) => g.f),
    structuredClone(oneThread(files, s)),
  );
});

test("a conversion that throws stops the pool at that file, after the files before it", async () => {
  const files = walk("../shared/corpus/sigma/rules/linux").slice(0, 40).map(input);
  const given: number[] = [];
  let failure: unknown;
  try {
    await convertInPool(files, setup(["no-such-target"]), 2, (at) => given.push(at));
  } catch (e) {
    failure = e;
  }
  assert.instance(failure, Error);
  assert.match((failure as Error).message, "no target no-such-target is registered");
  // The first file's first rule throws: nothing is given back.
  assert.equal(given, []);
});

test("an error thrown while taking a result rejects with that error, and nothing after it is given", async () => {
  const files = walk("../shared/corpus/sigma/rules/linux").slice(0, 40).map(input);
  const given: number[] = [];
  const stop = new RangeError("disk full");
  let failure: unknown;
  try {
    await convertInPool(files, setup(["splunk"]), 2, (at) => {
      given.push(at);
      if (at === 17) throw stop;
    });
  } catch (e) {
    failure = e;
  }
  assert.is(failure, stop);
  assert.equal(given, [...Array(18).keys()]);
});

test("--jobs: a count is taken as it is; auto starts one worker per core, and only for large rule sets", () => {
  assert.is(poolThreads("1", 100_000), 1);
  assert.is(poolThreads("3", 5), 3);
  assert.is(poolThreads("auto", AUTO_POOL_MIN_FILES - 1), 1);
  assert.is(poolThreads("auto", AUTO_POOL_MIN_FILES), availableParallelism());
});

test.run();
