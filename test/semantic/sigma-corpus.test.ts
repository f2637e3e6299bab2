import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tempTree } from "../helpers/cli.js";
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

test("the check reads KQL, Lucene and EQL as Elasticsearch does, by the ECS field's type: a quoted number EQL refuses is a disagreement", () => {
  // A Sigma file in ECS names whose literals are strings. KQL and Lucene send the text, which
  // Elasticsearch reads as the field's type ("3" is 3 for a long field); EQL verifies types first
  // and refuses a string for a numeric field (the Elastic target types the literals before
  // printing: typeEcsLiterals). Compared untyped, all three agreed with the IR on every event.
  const rule = [
    "title: Typed ECS fields",
    "id: 5f1d2c3a-1111-4e04-bb55-3a79b8c95261",
    "logsource:",
    "  category: process_creation",
    "  product: windows",
    "detection:",
    "  selection:",
    "    process.pid: '3'",
    "    process.code_signature.trusted: 'true'",
    "  condition: selection",
    "",
  ].join("\n");
  const dir = tempTree({ "typed.yml": rule });
  const report = newReport();
  checkFile(join(dir, "typed.yml"), report);
  const lines = formatReport(report).join("\n");
  assert.is(report.evaluable, 1, lines);
  for (const t of ["sigma", "spl", "kql", "lucene"] as const) assert.is(report.targets[t].disagreements.length, 0, `${t}\n${lines}`);
  const eql = report.targets.eql.disagreements;
  assert.ok(eql.length > 0 && eql.every((d) => d.actual === 'EQL refuses "3" for process.pid, a numeric field'), lines);
});

test.run();
