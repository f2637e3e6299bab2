/**
 * mergeBundle (issue 17, item 8): which pieces a run over some of the rules keeps, replaces and
 * drops, and where a new rule file's pieces go.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mergeBundle, walkOrder, type BundleMerge } from "../../src/pipeline/bundle-merge.js";
import type { BundlePiece } from "../../src/targets/target.js";

const p = (key: string, v = 1): BundlePiece => ({ text: `${key}@${v}`, name: key });
const key = (x: BundlePiece) => x.name;

function merged(m: Omit<BundleMerge, "key">): string[] | string {
  const r = mergeBundle({ ...m, key });
  return r.kind === "ok" ? r.pieces.map((x) => `${x.piece.text}<${x.source ?? "?"}`) : `${r.key}: ${r.source} vs ${r.owner}`;
}

const owners = new Map([
  ["A", "r/a.yml"],
  ["B", "r/b.yml"],
  ["C", "r/sub/c.yml"],
]);
const old = [p("A"), p("B"), p("C")];

test("this run's file replaces its pieces in place; the others stay", () => {
  assert.equal(merged({ old, owners, fresh: [{ piece: p("B", 2), source: "r/b.yml" }], replaces: (s) => s === "r/b.yml" }), ["A@1<r/a.yml", "B@2<r/b.yml", "C@1<r/sub/c.yml"]);
});

test("a renamed piece takes its old one's place; a file of this run that wrote nothing loses its pieces", () => {
  assert.equal(merged({ old, owners, fresh: [{ piece: p("B2"), source: "r/b.yml" }], replaces: (s) => s === "r/b.yml" }), ["A@1<r/a.yml", "B2@1<r/b.yml", "C@1<r/sub/c.yml"]);
  assert.equal(merged({ old, owners, fresh: [], replaces: (s) => s === "r/b.yml" }), ["A@1<r/a.yml", "C@1<r/sub/c.yml"]);
});

test("a new file goes where a folder walk reaches it: name by name, a folder's files where its name sorts", () => {
  const fresh = [{ piece: p("N"), source: "r/s.yml" }];
  // "r/s.yml" comes before "r/sub/c.yml" in a walk ("s.yml" < "sub"), though "/" sorts after "."
  assert.equal(merged({ old, owners, fresh, replaces: (s) => s === "r/s.yml" }), ["A@1<r/a.yml", "B@1<r/b.yml", "N@1<r/s.yml", "C@1<r/sub/c.yml"]);
  assert.ok(walkOrder("r/s-1.yml", "r/s/x.yml") > 0 && "r/s-1.yml" < "r/s/x.yml", "walk order is not string order");
});

test("a key a kept file owns is a collision; a piece no file owns is replaced by this run's of that key", () => {
  assert.is(merged({ old, owners, fresh: [{ piece: p("A", 2), source: "r/b.yml" }], replaces: (s) => s === "r/b.yml" }), "A: r/b.yml vs r/a.yml");
  assert.equal(merged({ old, owners: new Map(), fresh: [{ piece: p("B", 2), source: "r/b.yml" }], replaces: () => true }), ["A@1<?", "B@2<r/b.yml", "C@1<?"]);
});

test.run();
