import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../../src/diagnostics/diagnostic.js";
import { readSigmaFile } from "../../../src/sources/sigma/index.js";
import { ruleText } from "./sigma-helpers.js";

// ruleText puts `detection:` on line 6, so the first detection line is line 7, column 5.
function errors(detection: string, opts = {}): string[] {
  const r = readSigmaFile("t.yml", ruleText(detection), opts);
  assert.is(r.rules.length, 0, "a rule with errors is not returned");
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code}`);
}

test("unknown modifier", () => {
  assert.equal(errors("sel:\n    A|contain: x\ncondition: sel"), ["8:9 sigma/unknown-modifier"]);
});

test("re with contains / startswith is refused", () => {
  assert.equal(errors("sel:\n    A|re|contains: x\ncondition: sel"), ["8:9 sigma/invalid-modifier-combination"]);
  assert.equal(errors("sel:\n    A|startswith|re: x\ncondition: sel"), ["8:9 sigma/invalid-modifier-combination"]);
});

test("a regex no engine accepts (a Sigma wildcard under re) is a read error; valid PCRE without a JS form is not", () => {
  assert.equal(errors("sel:\n    A|re: '*evil*'\ncondition: sel"), ["8:9 sigma/invalid-regex"]);
  assert.equal(errors("sel:\n    A|re: 'a(b'\ncondition: sel"), ["8:9 sigma/invalid-regex"]);
  const possessive = readSigmaFile("t.yml", ruleText("sel:\n    A|re: 'a++b'\ncondition: sel"));
  assert.is(possessive.rules.length, 1);
});

test("cidr on a number, comparison on a string", () => {
  assert.equal(errors("sel:\n    A|cidr: 10\ncondition: sel"), ["8:9 sigma/invalid-value-type"]);
  assert.equal(errors("sel:\n    A|cidr: 10.0.0.0/33\ncondition: sel"), ["8:9 sigma/invalid-cidr"]);
  assert.equal(errors("sel:\n    A|gt: abc\ncondition: sel"), ["8:9 sigma/invalid-value-type"]);
});

test("all on a single value", () => {
  assert.equal(errors("sel:\n    A|contains|all: x\ncondition: sel"), ["8:9 sigma/all-on-single-value"]);
});

test("wildcards cannot be base64-encoded", () => {
  assert.equal(errors("sel:\n    A|base64: 'x*'\ncondition: sel"), ["8:9 sigma/wildcard-in-base64"]);
});

test("i/m/s without re", () => {
  assert.equal(errors("sel:\n    A|i: x\ncondition: sel"), ["8:9 sigma/invalid-modifier-combination"]);
});

test("null inside a list", () => {
  assert.equal(errors("sel:\n    A:\n        - x\n        - null\ncondition: sel"), ["10:15 sigma/null-in-list"]);
});

test("condition naming a missing selection, with its column in the file", () => {
  assert.equal(errors("sel:\n    A: x\ncondition: sel and filter"), ["9:24 sigma/unknown-selection"]);
  assert.equal(errors("sel:\n    A: x\ncondition: 'sel or 1 of filter_*'"), ["9:24 sigma/unknown-selection"]);
});

test("condition syntax error points into the condition", () => {
  assert.equal(errors("sel:\n    A: x\ncondition: sel AND sel"), ["9:20 sigma/condition-unexpected-token"]);
  assert.equal(errors("sel:\n    A: x\ncondition: sel | count() > 4"), ["9:20 sigma/condition-pipe"]);
});

test("empty detection and missing condition", () => {
  assert.equal(errors("condition: sel"), ["7:5 sigma/empty-detection"]);
  assert.equal(errors("sel:\n    A: x"), ["7:5 sigma/missing-condition"]);
});

test("exists needs a boolean", () => {
  assert.equal(errors("sel:\n    A|exists: yes\ncondition: sel"), ["8:9 sigma/invalid-value-type"]);
});

test("duplicate keys are errors for that document only", () => {
  const text = `${ruleText("sel:\n    A: x\n    A: y\ncondition: sel")}---\n${ruleText("sel:\n    A: x\ncondition: sel")}`;
  const r = readSigmaFile("t.yml", text);
  assert.is(r.rules.length, 1);
  assert.is(r.rules[0]?.source.line, 12);
  assert.equal(
    r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic),
    ["t.yml:9:9: error sigma/duplicate-key: Map keys must be unique [rule 11111111-2222-4333-8444-555555555555] (hint: each key may appear once per mapping)"],
  );
});

test("YAML syntax error", () => {
  const r = readSigmaFile("t.yml", "title: x\ndetection: [\n");
  assert.is(r.rules.length, 0);
  assert.is(r.diagnostics[0]?.code, "sigma/yaml-syntax");
  assert.ok(r.diagnostics[0]?.line !== undefined && r.diagnostics[0]?.hint);
});

test("missing title and missing detection", () => {
  const r = readSigmaFile("t.yml", "id: x\nlogsource: {product: windows}\n");
  assert.equal(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code}`), [
    "1:1 sigma/missing-title",
    "1:1 sigma/missing-detection",
  ]);
  assert.is(r.diagnostics[0]?.ruleId, "x");
});

test.run();
