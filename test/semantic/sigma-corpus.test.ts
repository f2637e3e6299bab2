import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkFile, formatReport, newReport, TARGETS } from "./corpus-check.js";

const ROOT = "../shared/corpus/sigma/rules";
/** Every 25th file (sorted) keeps the test under a few seconds; scripts/semantic-check.mjs runs all. */
const EVERY = 25;
/** Disagreements not explained by a named known difference: pinned at zero. */
const PINNED = 0;

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".yml") ? [p] : [];
  });
}

test("Sigma corpus sample: IR and every target's rendering read back agree on events from the rules' own values", () => {
  const files = walk(ROOT).filter((_, i) => i % EVERY === 0);
  const report = newReport();
  for (const f of files) checkFile(f, report);
  const lines = formatReport(report);
  console.log(lines.join("\n"));
  assert.ok(report.evaluable > 100, `too few rules evaluated: ${report.evaluable}`);
  // KQL refuses a wildcard pattern with spaces on every field but a keyword one (Kibana would split
  // it at the spaces), and command lines are ECS wildcard fields: about a quarter of these rules.
  for (const t of TARGETS) assert.ok(report.targets[t].checked > report.evaluable * (t === "kql" ? 0.65 : 0.9), `${t} checked too few rules\n${lines.join("\n")}`);
  const total = TARGETS.reduce((n, t) => n + report.targets[t].disagreements.length, 0);
  assert.ok(total <= PINNED, lines.join("\n"));
});

test.run();
