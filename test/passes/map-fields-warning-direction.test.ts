/**
 * A transform that makes a match wider (one argument searched as a substring of the command line, a
 * wildcard inside a file name searched in the whole path) widens the rule only where the match
 * counts for it. Under a NOT the rule excludes more and matches less: the warning must say which
 * way the rule moves (it said "matches more" on both sides before).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { testContext } from "../helpers/convert-fixture.js";

const mapping = ecsToSigmaFor(testContext().mappings, { category: "process_creation", product: "windows" });
const text = (value: string) => ({ kind: "string" as const, parts: [{ kind: "text" as const, value }] });
const arg: Query = { kind: "match", field: "process.args", value: text("-enc"), caseSensitive: false };
const name: Query = { kind: "match", field: "process.name", value: { kind: "string", parts: [{ kind: "text", value: "a" }, { kind: "any" }, { kind: "text", value: ".exe" }] }, caseSensitive: false };
const image: Query = { kind: "match", field: "process.executable", value: text("C:\\x\\y.exe"), caseSensitive: false };

function warnings(q: Query): { code: string; message: string }[] {
  return mapFields(q, mapping, { product: "windows" }).problems.map((p) => ({ code: p.code, message: p.message }));
}

for (const [label, match] of [["an argument", arg], ["a wildcard name", name]] as const) {
  test(`${label} made wider: widened where it counts for the rule, narrowed under a NOT`, () => {
    const plain = warnings(match);
    assert.equal(plain.map((w) => w.code), ["mapping/widened"]);
    assert.match(plain[0]!.message, /matches more/);
    const negated = warnings({ kind: "and", children: [image, { kind: "not", child: match }] });
    assert.equal(negated.map((w) => w.code), ["mapping/narrowed"]);
    assert.match(negated[0]!.message, /excludes more and the mapped query matches less/);
  });
}

test("the narrowing is real: an exclusion by substring drops an event the argument test kept", () => {
  const query: Query = { kind: "and", children: [image, { kind: "not", child: arg }] };
  const mapped = mapFields(query, mapping, { product: "windows" }).query;
  const before = compileQuery(query);
  const after = compileQuery(mapped);
  assert.ok(before.ok && after.ok);
  // `-encoded` is not the argument `-enc`, so the ECS rule matches; its command line holds `-enc`.
  assert.is(before.test({ process: { executable: "C:\\x\\y.exe", args: ["y.exe", "-encoded"] } }), true);
  assert.is(after.test({ Image: "C:\\x\\y.exe", CommandLine: "y.exe -encoded" }), false);
});

test.run();
