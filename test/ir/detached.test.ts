/**
 * `detached` copies plain data equal to the original, and no string of the copy keeps the text
 * it was cut from alive (checked with a weak reference after a full collection).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { detached } from "../../src/ir/detached.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

test("equal plain data, nested objects and arrays copied, other values as structuredClone makes them", () => {
  const value = { id: "a".repeat(40), n: 3, no: undefined, list: [{ file: "rules/x.yml", line: 2 }], empty: null, ok: true, seen: new Set(["x"]) };
  const copy = detached(value);
  assert.equal(copy, value);
  assert.is.not(copy.list, value.list);
  assert.is.not(copy.list[0], value.list[0]);
  assert.ok("no" in copy);
  assert.is.not(copy.seen, value.seen);
  assert.equal([...copy.seen], ["x"]);
});

/** Live heap after a full collection, holding what `keep` returns for an id cut out of a 32 MB text. */
function heldWith(keep: (id: string) => unknown): { held: number; kept: unknown } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = (() => {
    // Made at run time, so it is a fresh flat string and the id a view into it.
    const text = `id: ${"x".repeat(64)}\n${"y".repeat(32 << 20)}${Math.random()}`;
    return keep(text.slice(4, 68));
  })();
  gc();
  return { held: process.memoryUsage().heapUsed - before, kept };
}

test("a substring's copy does not keep the text it was cut from alive", () => {
  // The premise: a plain substring keeps its whole text.
  const view = heldWith((id) => ({ id }));
  assert.ok(view.held > 16 << 20, `a view held ${view.held} bytes`);
  const copy = heldWith((id) => detached({ id }));
  assert.ok(copy.held < 1 << 20, `the copy held ${copy.held} bytes`);
  assert.equal(copy.kept, { id: "x".repeat(64) });
});

test.run();
