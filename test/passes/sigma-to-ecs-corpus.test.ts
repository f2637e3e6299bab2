import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { sigmaToEcs } from "../../src/passes/sigma-to-ecs.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { corpusFiles } from "../helpers/corpus-files.js";

const ROOT = "../shared/corpus/sigma/rules";
/** Measured on SigmaHQ: 2,932 of 3,141 rules, 2,405 of 2,407 Windows rules. The bounds only let the counts grow. */
const MIN_OK = 2932;
const MIN_WINDOWS_OK = 2405;

test("SigmaHQ rules map to ECS with no error problem", () => {
  const mapping = sigmaEcsMapping();
  const started = Date.now();
  const unmapped = new Map<string, number>();
  let all = 0;
  let ok = 0;
  let windows = 0;
  let windowsOk = 0;
  for (const f of corpusFiles(ROOT, ".yml")) {
    for (const rule of readSigmaFile(f, readFileSync(f, "utf8")).rules) {
      const r = sigmaToEcs(rule, mapping);
      const errors = r.problems.filter((p) => p.severity === "error");
      const isWindows = rule.logsource?.product === "windows";
      all++;
      if (isWindows) windows++;
      if (errors.length === 0) {
        ok++;
        if (isWindows) windowsOk++;
        assert.is(r.rule?.taxonomy, "ecs");
      }
      for (const e of errors) {
        const key = `${e.code} ${e.field} (${rule.logsource?.product ?? "-"}/${rule.logsource?.category ?? rule.logsource?.service ?? "-"})`;
        unmapped.set(key, (unmapped.get(key) ?? 0) + 1);
      }
    }
  }
  const ms = Date.now() - started;
  const pct = (a: number, b: number) => ((100 * a) / b).toFixed(1);
  console.log(`sigma → ecs: ${ok} of ${all} rules with no error (${pct(ok, all)} %), Windows ${windowsOk} of ${windows} (${pct(windowsOk, windows)} %), ${ms} ms`);
  const top = [...unmapped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 15);
  for (const [k, n] of top) console.log(`  ${n} × ${k}`);
  assert.ok(all >= 3000, `expected the SigmaHQ corpus at ${ROOT}, found ${all} rules`);
  assert.ok(ok >= MIN_OK, `${ok} rules mapped, fewer than the ${MIN_OK} measured`);
  assert.ok(windowsOk >= MIN_WINDOWS_OK, `${windowsOk} Windows rules mapped, fewer than the ${MIN_WINDOWS_OK} measured`);
  assert.ok(ok / all >= 0.9 && windowsOk / windows >= 0.95);
});

test.run();
