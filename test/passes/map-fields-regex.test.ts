/**
 * A regular expression on a field that is part of another (issue 19.2): EQL `process.args regex R`
 * (one argument matches R whole) is `CommandLine` with a substring R matches, `file.name regex R` a
 * path whose last component R matches. Each matches every event the original matched and more, so
 * it carries a mapping/widened warning, and is refused where a match counts against the rule (under
 * a NOT, in a step that must be missing, under an upper bound on a count), and for PCRE.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { testContext } from "../helpers/convert-fixture.js";

const mapping = (category: string, product?: string) => ecsToSigmaFor(testContext().mappings, { category, ...(product ? { product } : {}) });
const re = (field: string, pattern: string, dialect: "lucene" | "pcre" = "lucene"): Query => ({ kind: "regex", field, pattern, dialect, caseSensitive: false });
const codes = (r: { problems: readonly { code: string }[] }) => r.problems.map((p) => p.code);

test("an argument's regex is searched in the command line, widened and warned", () => {
  const r = mapFields(re("process.args", "-[^-]*[uz][^-]*"), mapping("process_creation", "linux"), { product: "linux" });
  assert.equal(r.query, { ...re("CommandLine", ".*(-[^-]*[uz][^-]*).*") });
  assert.equal(codes(r), ["mapping/widened"]);
  // Every command line whose argument matched still matches; one that matched only across two arguments now does too.
  const before = compileQuery(re("process.args", "-[^-]*[uz][^-]*"));
  const after = compileQuery(r.query);
  assert.ok(before.ok && after.ok);
  assert.is(before.test({ process: { args: ["shred", "-fu", "x"] } }), true);
  assert.is(after.test({ CommandLine: "shred -fu x" }), true);
  assert.is(before.test({ process: { args: ["shred", "-f", "zz"] } }), false);
  assert.is(after.test({ CommandLine: "shred -f zz" }), true);
});

test("a name's regex is the path's last component, with the product's separators, or the path alone", () => {
  const win = mapFields(re("file.name", ".*\\.pdf\\.exe"), mapping("file_event", "windows"), { product: "windows" });
  assert.equal(win.query, re("TargetFilename", "(.*\\\\)?(.*\\.pdf\\.exe)"));
  assert.equal(codes(win), ["mapping/widened"]);
  const linux = mapFields(re("process.name", "php?[0-9]?"), mapping("process_creation", "linux"), { product: "linux" });
  assert.equal(linux.query, re("Image", "(.*/)?(php?[0-9]?)"));
  const any = mapFields(re("process.name", "a"), mapping("process_creation"), {});
  assert.equal(any.query, re("Image", "(.*[\\\\/])?(a)"));
  const after = compileQuery(win.query);
  assert.ok(after.ok);
  assert.is(after.test({ TargetFilename: "C:\\Users\\x\\bill.pdf.exe" }), true);
  assert.is(after.test({ TargetFilename: "bill.pdf.exe" }), true);
  assert.is(after.test({ TargetFilename: "C:\\Users\\x\\bill.exe" }), false);
});

test("refused where the match counts against the rule, and for PCRE (searched anywhere, anchored at the value's edges)", () => {
  const m = mapping("process_creation", "windows");
  const not = mapFields({ kind: "not", child: re("process.args", "-R.*") }, m, { product: "windows" });
  assert.equal(codes(not), ["mapping/transform-unsupported"]);
  assert.equal(not.query, { kind: "not", child: re("process.args", "-R.*") });
  // Two NOTs: it counts for the rule again.
  assert.equal(codes(mapFields({ kind: "not", child: { kind: "not", child: re("process.args", "-R.*") } }, m, { product: "windows" })), ["mapping/widened"]);
  assert.equal(codes(mapFields(re("process.args", "^-R", "pcre"), m, { product: "windows" })), ["mapping/transform-unsupported"]);
  const step = (query: Query, missing = false) => ({ query, by: [], ...(missing ? { missing: true } : {}) });
  const missing: Query = { kind: "sequence", by: [], steps: [step({ kind: "all" }), step(re("process.args", "-R.*"), true)] };
  assert.equal(codes(mapFields(missing, m, { product: "windows" })), ["mapping/transform-unsupported"]);
  const counted = (op: "gte" | "lt"): Query => ({ kind: "correlation", type: "event_count", groupBy: [], rules: [{ name: "r", query: re("process.args", "-R.*") }], condition: [{ op, value: 5 }] });
  assert.equal(codes(mapFields(counted("gte"), m, { product: "windows" })), ["mapping/widened"]);
  assert.equal(codes(mapFields(counted("lt"), m, { product: "windows" })), ["mapping/transform-unsupported"]);
});

test.run();
