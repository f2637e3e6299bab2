/**
 * A folder the run made itself holds nothing it did not put there: its output files are staged
 * without an lstat each (a SigmaHQ run into an empty --out made one per file), while every name
 * the run has put a file at, every folder it made, and every folder it did not make are still
 * looked at, so reruns, links and folders in the way are found as before. A plain relative name
 * is joined to the root without the path functions, to the same path they give.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { NODE_FS, OutputFolder, type OutputFs } from "../../src/pipeline/output-folder.js";
import { StagedOutput } from "../../src/pipeline/staged-output.js";
import { safeOutputPath } from "../../src/pipeline/write-output.js";

/** Node's fs, counting lstat calls per path. */
function countingFs(): { fs: OutputFs; lstats: string[] } {
  const lstats: string[] = [];
  const fs: OutputFs = {
    ...NODE_FS,
    lstatSync: ((path: string, opts?: object) => {
      lstats.push(path);
      return NODE_FS.lstatSync(path, opts as never);
    }) as OutputFs["lstatSync"],
  };
  return { fs, lstats };
}

const noLock = () => () => {};

test("files staged in a folder the run made cost no lstat each; a rerun over them still finds them unchanged", () => {
  const out = join(mkdtempSync(join(tmpdir(), "rulecast-fresh-")), "out");
  const first = countingFs();
  const staged = new StagedOutput(out, noLock, first.fs);
  for (let i = 0; i < 50; i++) staged.put({ path: `elastic/r${i}.json`, content: `{"n":${i}}\n` });
  // The first file's folder did not exist yet (one lstat of the folder said so), and later names are in a folder the run made.
  assert.equal(first.lstats.filter((p) => p.includes(`${join(out, "elastic")}/r`)), []);
  const report = staged.commit();
  assert.is(report.written.length, 50);
  assert.is(readFileSync(join(out, "elastic", "r7.json"), "utf8"), '{"n":7}\n');

  // The folder exists now: a new run did not make it, so it looks at every name again.
  const second = countingFs();
  const again = new StagedOutput(out, noLock, second.fs);
  for (let i = 0; i < 50; i++) again.put({ path: `elastic/r${i}.json`, content: i === 3 ? "changed\n" : `{"n":${i}}\n` });
  assert.is(second.lstats.filter((p) => p.includes(`${join(out, "elastic")}/r`)).length, 50);
  const rerun = again.commit();
  assert.equal(rerun.written, ["elastic/r3.json"]);
  assert.is(rerun.unchanged.length, 49);
});

test("in a folder it made, a name the folder object put a file at, and a folder it made, are what they are", () => {
  const root = mkdtempSync(join(tmpdir(), "rulecast-fresh-"));
  const folder = new OutputFolder(root, "write");
  folder.write("t/a.txt", Buffer.from("a"));
  assert.equal(folder.entry("t/a.txt"), { kind: "file", size: 1 });
  assert.equal(folder.entry("t/b.txt"), { kind: "missing" });
  const tmp = folder.writeTemp("t/b.txt", Buffer.from("bb"));
  assert.equal(folder.entry("t/b.txt"), { kind: "missing" });
  folder.commitTemp(tmp, "t/b.txt");
  assert.equal(folder.entry("t/b.txt"), { kind: "file", size: 2 });
  folder.write("t/sub/c.txt", Buffer.from("c"));
  assert.equal(folder.entry("t/sub"), { kind: "folder" });
  folder.remove("t/a.txt");
  assert.equal(folder.entry("t/a.txt"), { kind: "missing" });
});

test("a folder the run did not make is looked at name by name: a link or a folder in the way is refused", () => {
  const root = mkdtempSync(join(tmpdir(), "rulecast-fresh-"));
  mkdirSync(join(root, "elastic"));
  writeFileSync(join(root, "target.txt"), "secret");
  symlinkSync(join(root, "target.txt"), join(root, "elastic", "link.json"));
  mkdirSync(join(root, "elastic", "dir.json"));
  const staged = new StagedOutput(root, noLock);
  assert.throws(() => staged.put({ path: "elastic/link.json", content: "x" }), /link/);
  assert.throws(() => staged.put({ path: "elastic/dir.json", content: "x" }), /folder/);
  staged.discard();
  assert.is(readFileSync(join(root, "target.txt"), "utf8"), "secret");
});

test("a staged file whose write fails (a full disk) is one error naming the file, and leaves no temporary file", () => {
  const out = join(mkdtempSync(join(tmpdir(), "rulecast-fresh-")), "out");
  const full: OutputFs = {
    ...NODE_FS,
    writeFileSync: ((path: string, _data: unknown, opts: object) => {
      // Part of the text lands, then the disk is full.
      NODE_FS.writeFileSync(path, "{", opts as never);
      throw Object.assign(new Error("ENOSPC: simulated"), { code: "ENOSPC" });
    }) as OutputFs["writeFileSync"],
  };
  const staged = new StagedOutput(out, noLock, full);
  assert.throws(() => staged.put({ path: "elastic/r.json", content: '{"a":1}\n' }), (e: Error) => e.message === `cannot write ${join(out, "elastic", "r.json")}: no space left on the device`);
  assert.equal(readdirSync(join(out, "elastic")), []);
  staged.discard();
});

test("a plain relative name is the path resolve/relative/join give; anything else is left to them", () => {
  const root = resolve(mkdtempSync(join(tmpdir(), "rulecast-fresh-")));
  const folder = new OutputFolder(root, "write");
  const part = fc.constantFrom("a", "b.json", ".", "..", "...", "", ".x", "-", "_", "é", "\\", ":", "C:", " ");
  // An empty part makes `//`, a leading or trailing one `/a` or `a/`.
  const name = fc.array(part, { minLength: 1, maxLength: 4 }).map((ps) => ps.join("/"));
  fc.assert(
    fc.property(name, (p) => {
      const plain = folder.plainRel(p);
      if (plain === undefined) return;
      const abs = safeOutputPath(root, p);
      assert.ok(abs !== undefined, p);
      assert.is(plain, relative(root, abs).split(sep).join("/"));
      assert.is(folder.abs(plain), abs);
      assert.is(folder.abs(plain), join(root, ...plain.split("/")));
    }),
    { seed: 18, numRuns: 2000 },
  );
  // A root given otherwise than resolve gives it keeps every name on the slow path.
  assert.is(new OutputFolder(`${root}/./x`, "write").plainRel("a/b"), undefined);
  assert.is(new OutputFolder("rel/out", "write").plainRel("a/b"), undefined);
});

test.run();
