/**
 * Concurrent runs and leftovers: two runs into one `--out` never interleave (a lock on the
 * folder; the second run waits, bounded, or refuses with one line), a killed run's temporary
 * files and lock are cleaned up by the next run (`--skip-errors` runs and `splunk-app/`
 * included), and every write error, the app `.tgz` included, is one `cannot write …` line with
 * exit 2 and no temporary file left. No assertion here depends on how long anything takes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { describeFsError, OutputError } from "../../src/pipeline/output-errors.js";
import { NODE_FS, type OutputFs } from "../../src/pipeline/output-folder.js";
import { lockOutput, LOCK_NAME } from "../../src/pipeline/output-lock.js";
import { writeOutput } from "../../src/pipeline/write-output.js";
import { CLI, rulecastInProcess, seedVariant, tempTree } from "../helpers/cli.js";
import { leftovers, snapshot } from "../helpers/folder-snapshot.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const BROKEN = seedVariant(seed, 9999, (t) => t.replace(/^query: >-\n(?: {2}.*\n)+/m, "query: 'event.category:(network'\n"));
const ALL = ["--to", "sigma,splunk,elastic"];

/**
 * `count` rules numbered from `from`: two sets of the same size take about as long to convert.
 * A long description makes each output file large, so writing takes long enough for two runs
 * started together to overlap there (without the lock, most rounds end as a mix).
 */
function ruleSet(from: number, count: number, descriptionWords = 0): Record<string, string> {
  const long = (t: string) => t.replace(/^description: >-\n/m, `description: >-\n  ${"word ".repeat(descriptionWords)}\n`);
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`r${from + i}.yaml`, seedVariant(seed, from + i, descriptionWords ? long : undefined)]));
}

function tree(sets: Record<string, Record<string, string>>): string {
  const files: Record<string, string> = {};
  for (const [folder, rules] of Object.entries(sets)) for (const [name, text] of Object.entries(rules)) files[`${folder}/${name}`] = text;
  return tempTree(files);
}

/** The CLI as a child process, started now; resolves when it exits. */
function start(args: readonly string[], cwd: string, env: Record<string, string> = {}, onErr?: (text: string) => void): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
      onErr?.(stderr);
    });
    child.on("exit", (code) => done({ code: code ?? -1, stderr }));
  });
}

test("two runs started together into one --out: the folder ends as one run after the other, never interleaved", async () => {
  const dir = tree({ a: ruleSet(1, 40, 3000), b: ruleSet(1001, 40, 3000) });
  // Each run keeps the other's rule files and bundle entries (the manifest says they are not its
  // inputs'), so either order ends in the same folder; an interleaving would lose one run's entries.
  for (const [first, second] of [["a", "b"], ["b", "a"]]) {
    for (const set of [first, second]) assert.is((await rulecastInProcess(["convert", set!, ...ALL, "--out", `ref-${second}`], dir)).code, 0);
  }
  const refs = { a: snapshot(join(dir, "ref-a")), b: snapshot(join(dir, "ref-b")) };
  assert.equal(refs.a, refs.b, "the two orders end the same");
  assert.ok(Object.keys(refs.a).some((f) => f.endsWith("savedsearches.conf") || f.endsWith("rules.ndjson")), "with bundles");
  for (let round = 0; round < 3; round++) {
    rmSync(join(dir, "out"), { recursive: true, force: true });
    const [ra, rb] = await Promise.all([start(["convert", "a", ...ALL, "--out", "out"], dir), start(["convert", "b", ...ALL, "--out", "out"], dir)]);
    for (const r of [ra, rb]) {
      assert.is(r.code, 0, `round ${round}: ${r.stderr}`);
      assert.not.match(r.stderr, /internal error|cannot write|ENOENT/);
    }
    const out = snapshot(join(dir, "out"));
    const whose = Object.entries(refs).find(([, ref]) => JSON.stringify(ref) === JSON.stringify(out))?.[0];
    assert.ok(whose, `round ${round}: the folder is a mix (${Object.keys(out).length} entries; a: ${Object.keys(refs.a).length}, b: ${Object.keys(refs.b).length})`);
    // The run that wrote last waited for the other (or found it done), and said so if it waited.
    for (const r of [ra, rb]) assert.not.match(r.stderr, /gave up/);
  }
});

test("the lock appears whole or not at all: a record left by a run killed before linking it is removed by the next run, which takes the lock", () => {
  const dir = tree({ rules: ruleSet(1, 1) });
  mkdirSync(join(dir, "out"));
  // What a run killed between writing its record and linking it to the lock's name leaves.
  const orphan = `${LOCK_NAME}.rulecast-tmp-0123abcd`;
  writeFileSync(join(dir, "out", orphan), "");
  const release = lockOutput(join(dir, "out"), { waitMs: 0 });
  assert.equal(readdirSync(join(dir, "out")), [LOCK_NAME]);
  // The lock's record is complete the moment its name exists: a holder another run can judge.
  const held = JSON.parse(readFileSync(join(dir, "out", LOCK_NAME), "utf8")) as { pid: number };
  assert.is(held.pid, process.pid);
  release();
  assert.equal(readdirSync(join(dir, "out")), []);
});

test("a run finding the folder locked waits, writing nothing, and writes once the lock is released", async () => {
  const dir = tree({ rules: ruleSet(1, 3) });
  mkdirSync(join(dir, "out"));
  const release = lockOutput(join(dir, "out"), { waitMs: 0 });
  let sawWait!: (saw: boolean) => void;
  const waiting = new Promise<boolean>((r) => (sawWait = r));
  const run = start(["convert", "rules", ...ALL, "--out", "out"], dir, {}, (err) => {
    if (/^rulecast: waiting for another rulecast run writing \S*out \(pid \d+ on .+, since .+\)$/m.test(err)) sawWait(true);
  });
  // A run that never waits ends without the line.
  void run.then(() => sawWait(false));
  const saw = await waiting;
  const during = Object.keys(snapshot(join(dir, "out")));
  release();
  const r = await run;
  assert.ok(saw, `the run did not wait: ${r.stderr}`);
  assert.equal(during, [LOCK_NAME], "nothing written while waiting");
  assert.is(r.code, 0, r.stderr);
  const ref = tree({ rules: ruleSet(1, 3) });
  await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], ref);
  assert.equal(snapshot(join(dir, "out")), snapshot(join(ref, "out")));
});

test("RULECAST_LOCK_WAIT=0: a run finding the folder locked refuses at once, one line, exit 2, nothing written", async () => {
  for (const cmd of [["convert", "rules", ...ALL, "--out", "out"], ["import", "rules", "--out", "out"]]) {
    const dir = tree({ rules: ruleSet(1, 2) });
    mkdirSync(join(dir, "out"));
    const release = lockOutput(join(dir, "out"), { waitMs: 0 });
    try {
      const r = await start(cmd, dir, { RULECAST_LOCK_WAIT: "0" });
      assert.is(r.code, 2, r.stderr);
      const lines = r.stderr.split("\n").filter((l) => l.startsWith("rulecast:"));
      assert.is(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^rulecast: another rulecast run is writing \S*out \(pid \d+ on .+\); gave up after 0 s \(RULECAST_LOCK_WAIT\)\. If no run is active, remove \S*out\/\.rulecast\.lock$/);
      assert.equal(Object.keys(snapshot(join(dir, "out"))), [LOCK_NAME]);
    } finally {
      release();
    }
  }
  const bad = await rulecastInProcess(["convert", "rules", "--out", "out"], tree({ rules: ruleSet(1, 1) }), { RULECAST_LOCK_WAIT: "soon" });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^rulecast: RULECAST_LOCK_WAIT: `soon` is not a number of seconds$/m);
});

test("a lock left by a process that is gone is taken over; one from another host or a live process is not", async () => {
  const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
  const lock = (holder: object) => JSON.stringify({ token: "0123456789abcdef", ...holder }) + "\n";
  const stale = [
    ["a pid that has exited", lock({ pid: deadPid, host: hostname(), since: new Date().toISOString() })],
    ["a live pid, but written before this machine booted", lock({ pid: 1, host: hostname(), since: "2000-01-01T00:00:00.000Z" })],
  ];
  for (const [what, text] of stale) {
    const dir = tree({ rules: ruleSet(1, 2) });
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "out", LOCK_NAME), text!);
    const r = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir, { RULECAST_LOCK_WAIT: "0" });
    assert.is(r.code, 0, `${what}: ${r.stderr}`);
    assert.equal(leftovers(join(dir, "out")), [], `${what}: the lock is released`);
  }
  const held = [
    ["another host", lock({ pid: deadPid, host: `not-${hostname()}`, since: new Date().toISOString() })],
    ["a live pid on this host", lock({ pid: 1, host: hostname(), since: new Date().toISOString() })],
    ["a lock still being written (empty)", ""],
  ];
  for (const [what, text] of held) {
    const dir = tree({ rules: ruleSet(1, 2) });
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "out", LOCK_NAME), text!);
    const r = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir, { RULECAST_LOCK_WAIT: "0" });
    assert.is(r.code, 2, `${what}: ${r.stderr}`);
    assert.match(r.stderr, /^rulecast: another rulecast run is writing .*If no run is active, remove \S*\.rulecast\.lock$/m, what);
    assert.is(readFileSync(join(dir, "out", LOCK_NAME), "utf8"), text, `${what}: someone else's lock is left alone`);
  }
});

test("a link or a folder at the lock's place is refused with one line naming it", async () => {
  const dir = tree({ rules: ruleSet(1, 1), outside: { "target.txt": "not a lock\n" } });
  mkdirSync(join(dir, "out"));
  symlinkSync(join(dir, "outside/target.txt"), join(dir, "out", LOCK_NAME));
  const r = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir, { RULECAST_LOCK_WAIT: "0" });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^rulecast: refusing to follow the symbolic link \S*out\/\.rulecast\.lock: /m);
  assert.is(readFileSync(join(dir, "outside/target.txt"), "utf8"), "not a lock\n");
  rmSync(join(dir, "out", LOCK_NAME));
  mkdirSync(join(dir, "out", LOCK_NAME));
  const folder = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir, { RULECAST_LOCK_WAIT: "0" });
  assert.is(folder.code, 2, folder.stderr);
  assert.match(folder.stderr, /^rulecast: cannot write \S*out\/\.rulecast\.lock: a folder stands where the file should be$/m);
});

const APP = ["--to", "splunk,sigma", "--splunk-app", "soc_app"];

test("temporary files a killed run left are removed by the next run: --skip-errors runs and splunk-app/ included", async () => {
  const dir = tree({ rules: ruleSet(1, 3) });
  assert.is((await rulecastInProcess(["convert", "rules", ...APP, "--out", "out"], dir)).code, 0);
  const planted = [
    "out/sigma/.rulecast-tmp-0123456789ab",
    "out/sigma/seed_variant_1.yml.rulecast-tmp-4242",
    "out/splunk/.rulecast-tmp-aaaaaaaaaaaa",
    "out/splunk-app/.rulecast-tmp-bbbbbbbbbbbb",
    "out/splunk-app/soc_app.tgz.rulecast-tmp-77",
    "out/splunk-app/soc_app/default/.rulecast-tmp-cccccccccccc",
    "out/splunk-app/soc_app/metadata/default.meta.rulecast-tmp-31337",
  ];
  for (const p of planted) writeFileSync(join(dir, p), "half a file");
  writeFileSync(join(dir, "rules/broken.yaml"), BROKEN);
  const r = await rulecastInProcess(["convert", "rules", ...APP, "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.equal(leftovers(join(dir, "out")), []);
  assert.ok(snapshot(join(dir, "out"))["splunk-app/soc_app.tgz"], "the app is still there");
});

test("runs killed while writing leave nothing the next run does not clean up, lock included", async () => {
  const dir = tree({ rules: { "broken.yaml": BROKEN } });
  const args = ["convert", "rules", ...APP, "--out", "out", "--skip-errors"];
  const lock = join(dir, "out", LOCK_NAME);
  for (const [round, delay] of [0, 20, 60].entries()) {
    // New descriptions each round, so every file is rewritten.
    for (const [name, text] of Object.entries(ruleSet(1, 20, 3000 + round))) writeFileSync(join(dir, "rules", name), text);
    await new Promise<void>((done) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: "ignore" });
      // The lock (or a first temporary file) appears when writing starts: kill the run then, or a little later.
      const writing = () => existsSync(lock) || (existsSync(join(dir, "out/sigma")) && readdirSync(join(dir, "out/sigma")).some((f) => f.includes("rulecast-tmp")));
      const poll = setInterval(() => {
        if (!writing()) return;
        clearInterval(poll);
        setTimeout(() => child.kill("SIGKILL"), delay);
      }, 2);
      child.on("exit", () => {
        clearInterval(poll);
        done();
      });
    });
    const r = await rulecastInProcess(args, dir, { RULECAST_LOCK_WAIT: "0" });
    assert.is(r.code, 1, `after a kill ${delay} ms into writing: ${r.stderr}`);
    assert.equal(leftovers(join(dir, "out")), [], `after a kill ${delay} ms into writing`);
  }
});

/** Runs the CLI with a file-size limit (`ulimit -f 1`: 512 or 1024 bytes), the way a full disk stops a write. */
function withFileSizeLimit(args: readonly string[], cwd: string): { code: number; stderr: string } {
  const r = spawnSync("/bin/sh", ["-c", 'ulimit -f 1 && exec "$@"', "sh", process.execPath, CLI, ...args], { cwd, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });
  return { code: r.status ?? -1, stderr: r.stderr };
}

test("a write that fails midway (file size limit, as a full disk) is one `cannot write` line, exit 2, no temporary file, old files whole", async () => {
  // The .tgz: every text file is unchanged, so the archive is the only file written.
  const dir = tree({ rules: ruleSet(1, 20) });
  assert.is((await rulecastInProcess(["convert", "rules", ...APP, "--out", "out"], dir)).code, 0);
  const tgz = join(dir, "out/splunk-app/soc_app.tgz");
  assert.ok(readFileSync(tgz).length > 1024, "the archive is larger than the limit");
  writeFileSync(tgz, "an older archive");
  const before = snapshot(join(dir, "out"));
  const r = withFileSizeLimit(["convert", "rules", ...APP, "--out", "out"], dir);
  assert.is(r.code, 2, r.stderr);
  assert.equal(r.stderr.split("\n").filter((l) => l.startsWith("rulecast:")), [`rulecast: cannot write ${join(dir, "out/splunk-app/soc_app.tgz")}: the file is larger than the system allows`]);
  assert.equal(snapshot(join(dir, "out")), before, "no temporary file, no lock, the old archive whole");

  // A text file, into an empty folder.
  const fresh = tree({ rules: ruleSet(1, 5) });
  const t = withFileSizeLimit(["convert", "rules", ...ALL, "--out", "out"], fresh);
  assert.is(t.code, 2, t.stderr);
  const lines = t.stderr.split("\n").filter((l) => l.startsWith("rulecast:"));
  assert.is(lines.length, 1, t.stderr);
  assert.match(lines[0]!, /^rulecast: cannot write \S+\/out\/\S+: the file is larger than the system allows$/);
  assert.equal(leftovers(join(fresh, "out")), []);
});

/**
 * Node's fs, except that `call` fails with `code` for one file: its temporary file (in the
 * file's folder, opened for writing) or, for `renameSync`, the rename onto it.
 */
function failingFs(call: "openSync" | "writeSync" | "closeSync" | "renameSync", code: string, victim: string): OutputFs {
  const fds = new Set<number>();
  const fail = () => Object.assign(new Error(`${code}: simulated`), { code });
  const isVictimTemp = (path: string) => dirname(path) === dirname(victim) && basename(path).startsWith(".rulecast-tmp-");
  return {
    ...NODE_FS,
    openSync: ((path: string, flags: number, mode?: number) => {
      const fd = NODE_FS.openSync(path, flags, mode);
      if (isVictimTemp(path)) {
        fds.add(fd);
        if (call === "openSync") {
          NODE_FS.closeSync(fd);
          throw fail();
        }
      }
      return fd;
    }) as OutputFs["openSync"],
    writeSync: ((fd: number, ...rest: unknown[]) => {
      if (call === "writeSync" && fds.has(fd)) throw fail();
      return (NODE_FS.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    }) as OutputFs["writeSync"],
    closeSync: ((fd: number) => {
      NODE_FS.closeSync(fd);
      if (call === "closeSync" && fds.delete(fd)) throw fail();
    }) as OutputFs["closeSync"],
    renameSync: ((from: string, to: string) => {
      if (call === "renameSync" && to === victim) throw fail();
      NODE_FS.renameSync(from, to);
    }) as OutputFs["renameSync"],
  };
}

test("a full disk at any step of writing the app .tgz: one line naming it, no temporary file, the old archive whole", () => {
  const why: Record<string, string> = { ENOSPC: "no space left on the device", EDQUOT: "disk quota exceeded", EIO: "input/output error", EROFS: "the file system is read-only" };
  for (const call of ["openSync", "writeSync", "closeSync", "renameSync"] as const) {
    for (const code of Object.keys(why)) {
      const dir = tempTree({ "out/splunk-app/soc_app.tgz": "old archive", "out/splunk-app/soc_app/default/app.conf": "old conf\n" });
      const out = join(dir, "out");
      const files = [
        { path: "splunk-app/soc_app/default/app.conf", content: "new conf\n" },
        { path: "splunk-app/soc_app.tgz", content: new Uint8Array(200_000).fill(7) },
      ];
      let error: unknown;
      try {
        writeOutput(out, files, { removeLeftovers: true, fs: failingFs(call, code, join(out, "splunk-app/soc_app.tgz")) });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof OutputError, `${call} ${code}: ${String(error)}`);
      assert.is((error as Error).message, `cannot write ${join(out, "splunk-app/soc_app.tgz")}: ${why[code]}`, `${call} ${code}`);
      assert.equal(leftovers(out), [], `${call} ${code}`);
      assert.is(readFileSync(join(out, "splunk-app/soc_app.tgz"), "utf8"), "old archive", `${call} ${code}`);
    }
  }
});

test("file-system errors on output paths are one line naming the path, exit 2, never an internal error", async () => {
  const dir = tree({ rules: ruleSet(1, 2) });
  mkdirSync(join(dir, "a-folder"));
  writeFileSync(join(dir, "a-file"), "x\n");
  cpSync(join(dir, "rules"), join(dir, "more-rules"), { recursive: true });
  mkdirSync(join(dir, "app-out/splunk-app/soc_app.tgz"), { recursive: true });
  mkdirSync(join(dir, "app-file"));
  writeFileSync(join(dir, "app-file/splunk-app"), "a file where the app folder goes\n");
  const cases: [string[], RegExp][] = [
    [["convert", "rules", "--out", "a-file"], /^rulecast: cannot write \S*a-file: a file stands where a folder is needed$/],
    [["convert", "rules", "--out", "a-file/sub"], /^rulecast: cannot write \S*a-file\/sub: a file stands where a folder is needed$/],
    [["convert", "rules", ...APP, "--out", "app-out"], /^rulecast: cannot write \S*app-out\/splunk-app\/soc_app\.tgz: a folder stands where the file should be$/],
    [["convert", "rules", ...APP, "--out", "app-file"], /^rulecast: cannot write \S*app-file\/splunk-app\/\S+: a file stands where a folder is needed$/],
    [["convert", "rules", "--report", "json", "a-folder"], /^rulecast: cannot write \S*a-folder: a folder stands where the file should be$/],
    [["check", "rules", "--report", "sarif", "a-folder"], /^rulecast: cannot write \S*a-folder: a folder stands where the file should be$/],
    [["test", "rules", "--report", "a-folder"], /^rulecast: cannot write \S*a-folder: a folder stands where the file should be$/],
    [["attack", "layer", "rules", "--out", "a-folder"], /^rulecast: cannot write \S*a-folder: a folder stands where the file should be$/],
    [["import", "more-rules", "--out", "a-file"], /^rulecast: cannot write \S*a-file: a file stands where a folder is needed$/],
    [["init", "a-file"], /^rulecast: cannot write \S*a-file: a file stands where a folder is needed$/],
  ];
  for (const [args, line] of cases) {
    const r = await rulecastInProcess(args, dir);
    assert.is(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("rulecast:"));
    assert.is(lines.length, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(lines[0]!, line, args.join(" "));
    assert.not.match(r.stderr, /internal error/, args.join(" "));
  }
  // Any other file-system error that names its path, whatever raised it, is one line naming it too.
  const raised = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return describeFsError(e);
    }
    return "nothing raised";
  };
  assert.is(raised(() => readdirSync(join(dir, "a-file"))), `cannot read ${join(dir, "a-file")}: a file stands where a folder is needed`);
  assert.is(raised(() => mkdirSync(join(dir, "a-file/x"))), `cannot write ${join(dir, "a-file/x")}: a file stands where a folder is needed`);
  assert.is(raised(() => readFileSync(join(dir, "no\nsuch"))), `cannot open ${join(dir, "no\\u000asuch")}: no such file or folder`);
  assert.is(describeFsError(new Error("no path")), undefined);
});

test("standard output closed early (`| head`): the run stops quietly, no stack trace", async () => {
  const dir = tree({ rules: ruleSet(1, 80) });
  const r = await new Promise<{ code: number; stderr: string }>((done) => {
    const child = spawn(process.execPath, [CLI, "convert", "rules", ...ALL], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("exit", (code) => done({ code: code ?? -1, stderr }));
  });
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /EPIPE|internal error|^\s+at /m);
});

test.run();
