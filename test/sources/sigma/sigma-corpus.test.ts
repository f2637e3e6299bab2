import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSigmaFile } from "../../../src/sources/sigma/index.js";

const ROOT = "../shared/corpus/sigma/rules";
/** Measured: 0 of 3,141 SigmaHQ files fail. The bound only lets the count shrink, never grow. */
const MAX_FAILURES = 0;

function ymlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? ymlFiles(p) : e.name.endsWith(".yml") ? [p] : [];
  });
}

test("every SigmaHQ rule reads into a rule without error diagnostics", () => {
  const files = ymlFiles(ROOT).sort();
  assert.ok(files.length >= 3000, `expected the SigmaHQ corpus at ${ROOT}, found ${files.length} files`);
  const started = Date.now();
  const reasons = new Map<string, number>();
  let failures = 0;
  let rules = 0;
  for (const f of files) {
    const r = readSigmaFile(f, readFileSync(f, "utf8"));
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    rules += r.rules.length;
    if (errors.length === 0 && r.rules.length > 0) continue;
    failures++;
    for (const e of errors.length ? errors : [{ code: "no-rule" }]) reasons.set(e.code, (reasons.get(e.code) ?? 0) + 1);
  }
  const ms = Date.now() - started;
  const top = [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
  console.log(`sigma corpus: ${files.length} files, ${rules} rules, ${failures} failed (${((100 * (files.length - failures)) / files.length).toFixed(2)} % ok) in ${ms} ms`);
  for (const [code, n] of top) console.log(`  ${n} × ${code}`);
  assert.ok(failures <= MAX_FAILURES, `${failures} files failed, more than the ${MAX_FAILURES} measured`);
  assert.ok((files.length - failures) / files.length >= 0.999);
});

test("placeholder rules fail only for missing placeholders, and read once values are given", () => {
  const files = ymlFiles("../shared/corpus/sigma/rules-placeholder").sort();
  assert.ok(files.length > 0);
  // Any placeholder name gets one value, so every `expand` resolves.
  const anyName = new Proxy({} as Record<string, string[]>, { get: (_t, k) => (typeof k === "string" ? [`v_${k}`] : undefined) });
  let expanded = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const bare = readSigmaFile(f, text).diagnostics.filter((d) => d.severity === "error");
    assert.equal([...new Set(bare.map((d) => d.code))].filter((c) => c !== "sigma/missing-placeholder"), [], f);
    const filled = readSigmaFile(f, text, { placeholders: anyName });
    assert.equal(filled.diagnostics.filter((d) => d.severity === "error"), [], f);
    assert.is(filled.rules.length, 1, f);
    if (bare.length) expanded++;
  }
  assert.ok(expanded > 0, "some placeholder rules need values");
});

test.run();
