/**
 * An argument count in Sigma (issue 19.2): Sigma has no field for ECS process.args_count, but N
 * arguments are a command line with at least N-1 blanks. A lower bound is said so, widened and
 * warned; an exact count, an upper bound, or a lower bound where a match counts against the rule is
 * refused (the rule keeps ECS names). Checked against the evaluator on both sides.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query, RangeOp } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { testContext } from "../helpers/convert-fixture.js";

const m = () => ecsToSigmaFor(testContext().mappings, { category: "process_creation", product: "linux" });
const range = (op: RangeOp, value: number, field = "process.args_count"): Query => ({ kind: "range", field, op, value: { kind: "number", value, raw: String(value) } });
const codes = (r: { problems: readonly { code: string }[] }) => r.problems.map((p) => p.code);

test("at least N arguments: at least N-1 blanks in the command line, widened and warned", () => {
  const r = mapFields(range("gte", 3), m(), { product: "linux" });
  assert.equal(codes(r), ["mapping/widened"]);
  assert.equal(r.query, { kind: "regex", field: "CommandLine", pattern: "([^ \t]*[ \t]){2}.*", dialect: "lucene", caseSensitive: false });
  assert.equal(mapFields(range("gt", 2), m(), { product: "linux" }).query, r.query);
  assert.equal(mapFields(range("gte", 1), m(), { product: "linux" }).query, { kind: "exists", field: "CommandLine" });
  const parent = mapFields(range("gte", 2, "process.parent.args_count"), m(), { product: "linux" });
  assert.equal(parent.query.kind === "regex" ? parent.query.field : "", "ParentCommandLine");
  const after = compileQuery(r.query);
  const before = compileQuery(range("gte", 3));
  assert.ok(after.ok && before.ok);
  // Every command line of three arguments, joined by blanks, matches; one argument with blanks of its own matches too.
  for (const args of [["nc", "-l", "4444"], ["sh", "-c", "id"], ["a", "b", "c", "d"]]) {
    assert.is(before.test({ process: { args_count: args.length } }), true);
    assert.is(after.test({ CommandLine: args.join(" ") }), true, args.join(" "));
  }
  assert.is(after.test({ CommandLine: "nc\t-l 4444" }), true);
  assert.is(after.test({ CommandLine: "nc -l" }), false);
  // Two arguments, the first with a blank of its own: matched, the widening the warning names.
  assert.is(after.test({ CommandLine: "/opt/my app/run -x" }), true);
});

test("an exact count, an upper bound, a fraction, or a bound that counts against the rule: refused", () => {
  const exact: Query = { kind: "match", field: "process.args_count", value: { kind: "number", value: 2, raw: "2" }, caseSensitive: true };
  assert.equal(codes(mapFields(exact, m(), { product: "linux" })), ["mapping/transform-unsupported"]);
  assert.equal(codes(mapFields(range("lte", 3), m(), { product: "linux" })), ["mapping/transform-unsupported"]);
  assert.equal(codes(mapFields(range("gte", 2.5), m(), { product: "linux" })), ["mapping/transform-unsupported"]);
  const not = mapFields({ kind: "not", child: range("gte", 3) }, m(), { product: "linux" });
  assert.equal(codes(not), ["mapping/transform-unsupported"]);
  assert.equal(not.query, { kind: "not", child: range("gte", 3) });
  assert.equal(codes(mapFields({ kind: "exists", field: "process.args_count" }, m(), { product: "linux" })), ["mapping/transform-unsupported"]);
});

test.run();
