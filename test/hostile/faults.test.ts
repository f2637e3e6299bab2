/**
 * Faults: a writer killed at any moment leaves every output file either its old or its new whole
 * version; a folder that cannot be written gives one clear line and exit 2; reruns are identical.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { OutputWriteError, writeOutput } from "../../src/pipeline/write-output.js";
import { rulecast, tempTree } from "../helpers/cli.js";

const WRITER = resolve("dist/src/pipeline/write-output.js");
const FILES = 40;

/** Big enough that a kill often lands inside a write: 400 KB of one repeated letter per file. */
function version(letter: string): { path: string; content: string }[] {
  return Array.from({ length: FILES }, (_, i) => ({ path: `t/f${i}.txt`, content: `${letter}${i}\n${letter.repeat(400_000)}\n` }));
}

/** A child that rewrites the folder with version A and B in turn until it is killed. */
const CHILD = `
import { writeOutput } from ${JSON.stringify(WRITER)};
const [out] = process.argv.slice(2);
const v = (l) => Array.from({ length: ${FILES} }, (_, i) => ({ path: "t/f" + i + ".txt", content: l + i + "\\n" + l.repeat(400000) + "\\n" }));
process.stdout.write("ready\\n");
for (let n = 0; ; n++) writeOutput(out, v(n % 2 ? "b" : "a"), { managedDirs: ["t"], removeStale: true, removeLeftovers: true });
`;

function killAfter(script: string, out: string, ms: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, out], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), ms));
    child.on("exit", () => done());
  });
}

test("a writer killed mid-run leaves every file whole, old or new (SIGKILL at 12 moments)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-kill-"));
  const script = join(dir, "child.mjs");
  writeFileSync(script, CHILD);
  const out = join(dir, "out");
  writeOutput(out, version("a"), { managedDirs: ["t"], removeStale: true, removeLeftovers: true });
  const whole = new Set([...version("a"), ...version("b")].map((f) => f.content));
  for (const ms of [0, 5, 10, 20, 35, 50, 80, 120, 170, 230, 300, 400]) {
    await killAfter(script, out, ms);
    for (let i = 0; i < FILES; i++) {
      const text = readFileSync(join(out, "t", `f${i}.txt`), "utf8");
      assert.ok(whole.has(text) && text.startsWith(`${text[0]}${i}\n`), `f${i}.txt is torn after a kill at ${ms} ms (${text.length} bytes)`);
    }
  }
  // Temporary files a kill leaves behind are removed by the next clean run.
  writeOutput(out, version("a"), { managedDirs: ["t"], removeStale: true, removeLeftovers: true });
  assert.equal(readdirSync(join(out, "t")).filter((f) => f.includes("rulecast-tmp")), []);
});

test("the CLI killed mid-run leaves each output file old or new, whole", async () => {
  const dir = tempTree({});
  cpSync("rules", join(dir, "rules"), { recursive: true });
  const first = rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], dir);
  assert.is(first.code, 0, first.stderr);
  const names = readdirSync(join(dir, "out"), { recursive: true, encoding: "utf8" }).filter((f) => f.includes(".")).sort();
  const before = new Map(names.map((f) => [f, readFileSync(join(dir, "out", f), "utf8")]));
  // The new version: the same rules with another name, so every file changes.
  for (const f of readdirSync(join(dir, "rules"))) {
    const p = join(dir, "rules", f);
    writeFileSync(p, readFileSync(p, "utf8").replace(/^name: (.*)$/m, "name: $1 v2").replace(/^version: (\d+)$/m, (_m, v: string) => `version: ${Number(v) + 1}`));
  }
  const after = mkdtempSync(join(tmpdir(), "rulecast-new-"));
  cpSync(join(dir, "rules"), join(after, "rules"), { recursive: true });
  assert.is(rulecast(["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], after).code, 0);
  for (const ms of [30, 60, 90, 120, 150, 200]) {
    await new Promise<void>((done) => {
      const child = spawn(process.execPath, [resolve("dist/src/cli/main.js"), "convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"], { cwd: dir, stdio: "ignore" });
      setTimeout(() => child.kill("SIGKILL"), ms);
      child.on("exit", () => done());
    });
    for (const f of readdirSync(join(dir, "out"), { recursive: true, encoding: "utf8" }).filter((x) => x.includes(".") && !x.includes("rulecast-tmp"))) {
      const text = readFileSync(join(dir, "out", f), "utf8");
      const fresh = existsSync(join(after, "out", f)) ? readFileSync(join(after, "out", f), "utf8") : undefined;
      assert.ok(text === before.get(f) || text === fresh, `${f} is neither the old nor the new version after a kill at ${ms} ms`);
    }
  }
});

test("an output folder that cannot be written: one clear line naming the file, exit 2", () => {
  const dir = tempTree({ out: "a file where the output folder should be\n" });
  cpSync("rules", join(dir, "rules"), { recursive: true });
  const r = rulecast(["convert", "rules", "--to", "sigma", "--out", "out/sub"], dir);
  assert.is(r.code, 2, r.stderr);
  const line = r.stderr.trim().split("\n").pop() ?? "";
  // The output folder itself cannot be made: the line names it.
  assert.match(line, /cannot write .*out\/sub: a file stands where a folder is needed$/);
  assert.throws(() => writeOutput(join(dir, "out", "x"), [{ path: "a.txt", content: "x" }]), (e: unknown) => e instanceof OutputWriteError);
});

test("reruns are byte-identical and rewrite nothing", () => {
  const dir = tempTree({});
  cpSync("rules", join(dir, "rules"), { recursive: true });
  const args = ["convert", "rules", "--to", "sigma,splunk,elastic", "--out", "out"];
  assert.is(rulecast(args, dir).code, 0);
  const snapshot = (): string => readdirSync(join(dir, "out"), { recursive: true, encoding: "utf8" }).sort().filter((f) => f.includes(".")).map((f) => `${f}\n${readFileSync(join(dir, "out", f), "utf8")}`).join("\n");
  const first = snapshot();
  assert.is(rulecast(args, dir).code, 0);
  assert.is(snapshot(), first);
});

test.run();
