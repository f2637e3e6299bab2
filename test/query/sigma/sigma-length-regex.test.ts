/**
 * ES|QL's `LENGTH(f) > n` (the IR's charLength) is written to Sigma as `f|re: '^[\s\S]{n+1,}'`
 * with a warning (engines that count bytes match more; a multi-valued field matches on one long
 * value, where LENGTH is null); upper bounds and EQL's length stay refused.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../../src/eval/evaluate.js";
import type { CompareOp, Query } from "../../../src/ir/query.js";
import { convertRule } from "../../../src/pipeline/convert.js";
import { readRules } from "../../../src/pipeline/read-rules.js";
import { renderSigmaDetection } from "../../../src/query/sigma/sigma-detection-printer.js";
import { testContext } from "../../helpers/convert-fixture.js";
import { readBackSigma, sigmaYaml } from "../../properties/sigma-document.js";

const num = (value: number) => ({ kind: "literal", value: { kind: "number", value, raw: String(value) } }) as const;
const len = (name: string, field = "cmd") => ({ kind: "call", name, caseInsensitive: false, args: [{ kind: "field", field, optional: false }] }) as const;
const cmp = (op: CompareOp, n: number, name = "charLength", flipped = false): Query =>
  flipped ? { kind: "compare", op, left: num(n), right: len(name) } : { kind: "compare", op, left: len(name), right: num(n) };

test("a lower bound is a regex of that many characters, with a warning; it matches the values the bound does", () => {
  for (const [q, min] of [[cmp("gt", 5), 6], [cmp("gte", 5), 5], [cmp("lt", 5, "charLength", true), 6], [cmp("gte", 4.5), 5], [cmp("gt", -3), 0]] as const) {
    const d = renderSigmaDetection(q);
    assert.equal(d.issues.map((i) => [i.severity, i.code]), [["warning", "sigma/length-regex"]]);
    assert.equal(d.detection, { selection: { "cmd|re": `^[\\s\\S]{${min},}` }, condition: "selection" });
    const back = readBackSigma(sigmaYaml(d.detection));
    if (!back.ok) return assert.unreachable(back.reason);
    for (const cmd of ["", "abcd", "abcde", "ab\ncde", "abcdef", "a\r\nb\u2028cdé", undefined]) {
      const event = cmd === undefined ? {} : { cmd };
      const want = evaluate(q, event);
      const got = evaluate(back.query, event);
      assert.ok(want.ok && got.ok);
      if (want.ok && got.ok) assert.is(got.matched, want.matched, `${JSON.stringify(q)} on ${JSON.stringify(cmd)}`);
    }
    const notBack = readBackSigma(sigmaYaml(renderSigmaDetection({ kind: "not", child: q }).detection));
    if (!notBack.ok) return assert.unreachable(notBack.reason);
    const long = { cmd: "x".repeat(min + 1) };
    assert.is((evaluate(notBack.query, long) as { matched: boolean }).matched, false);
  }
});

test("upper bounds, equality, a bound past PCRE's repeat limit and EQL's length stay refused", () => {
  for (const q of [cmp("lt", 5), cmp("lte", 5), cmp("eq", 5), cmp("gt", 70000), cmp("gt", 5, "length")]) {
    const d = renderSigmaDetection(q);
    assert.equal(d.issues.map((i) => [i.severity, i.code]), [["error", "sigma/expression"]], JSON.stringify(q));
  }
});

test("an Elastic ES|QL rule bounding LENGTH reaches Sigma with the warning", () => {
  const path = "../shared/corpus/elastic/rules/cross-platform/defense_evasion_long_base64_encoded_interpreter_command_line.toml";
  const read = readRules([{ path, text: readFileSync(path, "utf8") }]);
  const result = convertRule(read.rules[0]!, ["sigma"], testContext({ sigmaTaxonomy: "auto" }));
  assert.is(result.outcome.converted.length, 1, JSON.stringify(result.diagnostics));
  assert.ok(result.diagnostics.some((d) => d.severity === "warning" && d.code === "sigma/length-regex"));
});

test.run();
