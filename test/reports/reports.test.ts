/** Report formats: the same findings as JSON, SARIF 2.1.0 and JUnit XML. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderReport } from "../../src/reports/render-report.js";
import { toEntries, type Report } from "../../src/reports/report-entry.js";

const rules = [
  { id: "r1", title: "A <b> & \"c\"", file: "rules/a.yaml", line: 1 },
  { id: "r2", title: "Clean", file: "rules/b.yaml", line: 1 },
];
const entries = toEntries(
  [
    { severity: "error", code: "schedule/interval-exceeds-lookback", message: "gap", file: "rules/a.yaml", line: 15, col: 1, ruleId: "r1", hint: "widen" },
    { severity: "warning", code: "attack/name-mismatch", message: "name", file: "rules/a.yaml", line: 39, col: 13, ruleId: "r1" },
  ],
  rules,
);
const report: Report = { command: "check", rules, entries, failOn: "error", summary: { errors: 1, warnings: 1 } };

test("entries carry every field a CI UI needs", () => {
  assert.equal(entries[0], { file: "rules/a.yaml", line: 15, column: 1, ruleId: "r1", title: 'A <b> & "c"', checkId: "schedule/interval-exceeds-lookback", severity: "error", message: "gap (hint: widen)" });
});

test("SARIF: levels, locations, one descriptor per check id", () => {
  const s = JSON.parse(renderReport("sarif", report, "1.2.3"));
  assert.is(s.version, "2.1.0");
  assert.equal(s.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ["attack/name-mismatch", "schedule/interval-exceeds-lookback"]);
  assert.equal(s.runs[0].results.map((r: { level: string; ruleIndex: number }) => [r.level, r.ruleIndex]), [["error", 1], ["warning", 0]]);
  assert.equal(s.runs[0].results[1].locations[0].physicalLocation.region, { startLine: 39, startColumn: 13 });
});

test("JUnit: one case per rule, failures at --fail-on, XML escaped", () => {
  const x = renderReport("junit", report, "1");
  assert.match(x, /<testsuite name="rulecast check" tests="2" failures="1" errors="0">/);
  assert.match(x, /name="A &lt;b&gt; &amp; &quot;c&quot; \[r1\]"/);
  assert.match(x, /<system-out>rules\/a\.yaml:39:13: warning attack\/name-mismatch: name<\/system-out>/);
  assert.match(x, /<testcase classname="rules\/b\.yaml" name="Clean \[r2\]"\/>/);
  const strict = renderReport("junit", { ...report, failOn: "warning" }, "1");
  assert.match(strict, /failures="1"/);
  assert.is((strict.match(/<failure /g) ?? []).length, 2);
});

test("JSON: findings and summary", () => {
  const j = JSON.parse(renderReport("json", report, "1"));
  assert.equal(j.summary, { errors: 1, warnings: 1 });
  assert.is(j.findings.length, 2);
});

test.run();
