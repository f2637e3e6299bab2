/**
 * The law that lets rulecast write YAML without the `yaml` package's document model:
 * parse(emit(x)) = x for any plain data, in both quoting modes.
 */
import fc from "fast-check";
import { parse } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { emitBlock, emitScalar } from "../../src/render/yaml-emit.js";

const tricky = fc.constantFrom(
  "", " ", "a ", " a", "true", "False", "null", "~", "yes", "no", "on", "1", "0x1F", "1e3", "1_000", ".5", "-", "- a", "? x",
  "a: b", "a:b", "a #c", "#x", "'", "\"", "\\", "\\*", "*x", "&a", "!tag", "|", ">", "%", "@", "`", "[a]", "{a}", "a,b",
  "line\nbreak", "trailing\n", "two\n\n", "\ttab", "cr\r", "\u0085", "\u2028", "\ufeff", "\u202e", "a\u200bb", "\u{e0001}", "\u0000", "é ü 漢字", "12:30", "C:\\Windows\\",
);
const str = fc.oneof(tricky, fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
const scalar = fc.oneof(str, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small" }, scalar, tie("list"), tie("map")),
  list: fc.array(tie("tree"), { maxLength: 4 }),
  map: fc.dictionary(str.filter((k) => k !== "__proto__"), tie("tree"), { maxKeys: 4 }),
}));

/** The value under `root:` in a document, as a YAML reader sees it. */
function roundTrip(v: unknown, quoteStrings: boolean): unknown {
  const text = `root:${emitBlock(v, 4, { quoteStrings })}\n`;
  return (parse(text, { version: "1.2" }) as { root: unknown }).root;
}

test("control and invisible format characters are written as escapes, never raw", () => {
  assert.is(emitScalar("a\u202eb"), '"a\\u202eb"');
  assert.is(emitScalar("\u0000"), '"\\u0000"');
  assert.is(emitScalar("x\u{e0001}"), '"x\\U000e0001"');
  assert.is(parse(`v: ${emitScalar("x\u{e0001}\u200b")}`).v, "x\u{e0001}\u200b");
});

/** -0 is written as 0; YAML has no negative zero in its core schema. */
function normalise(v: unknown): unknown {
  if (typeof v === "number" && Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

test("parse(emit(x)) = x for plain data", () => {
  fc.assert(
    fc.property(tree, fc.boolean(), (v, quote) => {
      assert.equal(roundTrip(v, quote), normalise(v));
    }),
    { seed: 20261125, numRuns: 2000 },
  );
});

test("scalars that YAML would read as other types are quoted", () => {
  for (const s of ["true", "null", "~", "1.5", "0x10", "yes", "", " x"]) {
    assert.is((parse(`k: ${emitScalar(s)}`) as { k: unknown }).k, s, s);
  }
  assert.is(emitScalar("attack.execution"), "attack.execution");
  assert.is(emitScalar("it's"), "it's");
  assert.is(emitScalar("'quoted'"), "'''quoted'''");
});

test("multi-line strings become literal blocks when that is exact", () => {
  assert.is(emitBlock("a\nb", 4), " |-\n    a\n    b");
  assert.is(emitBlock("a\nb\n", 4), " |\n    a\n    b");
  assert.is(emitBlock("a \nb", 4), ' "a \\nb"');
});

test.run();
