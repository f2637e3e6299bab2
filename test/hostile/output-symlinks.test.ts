/**
 * Symbolic links inside `--out`: a rules repository can commit `out/sigma -> ../../elsewhere` or
 * `out/sigma/x.yml -> /proc/self/environ`, and CI runs `convert --check` on pull requests. No link
 * below `--out` is followed when writing, reading for `--check`, or cleaning up: the run refuses
 * with one line naming the link, exit 2, and what the link points at is untouched and unread.
 * `--out` itself may be a link (the user named it).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { snapshot } from "../helpers/folder-snapshot.js";
import { CLI, rulecast, rulecastInProcess, seedVariant, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const SECRET = "SECRET-4c1d9f-not-for-logs";
/** A rule whose query does not parse: it fails, the others convert. */
const BROKEN = seedVariant(seed, 3, (t) => t.replace(/^query: >-\n(?: {2}.*\n)+/m, "query: 'event.category:(network'\n"));

function repo(): string {
  return tempTree({
    "rules/a.yaml": seedVariant(seed, 1),
    "rules/windows/b.yaml": seedVariant(seed, 2),
    "outside/unrelated.txt": "belongs to someone else\n",
    "outside/seed_variant_9.yml": "looks like a stale output file\n",
    "outside/secret.txt": `${SECRET}\n`,
  });
}

interface Plant {
  readonly name: string;
  readonly args: readonly string[];
  /** Where the link goes, relative to the repository; its target is `outside/…`. */
  readonly link: string;
  readonly target: string;
  /** Write the folder for real first, then plant the link over what is there. */
  readonly afterFirstRun?: boolean;
  /** Links that only cleanup meets: `--check` reads no stale file, so it has nothing to refuse. */
  readonly cleanupOnly?: boolean;
}

const ALL = ["--to", "sigma,splunk,elastic"];
const APP = ["--to", "splunk", "--splunk-app", "soc_app"];
const PLANTS: readonly Plant[] = [
  { name: "a target folder", args: ALL, link: "out/sigma", target: "outside" },
  { name: "a target folder, {path} naming", args: [...ALL, "--naming", "{target}/{path}"], link: "out/elastic", target: "outside" },
  { name: "a nested folder", args: [...ALL, "--naming", "{target}/{path}"], link: "out/sigma/windows", target: "outside", afterFirstRun: true },
  { name: "an output file", args: ALL, link: "out/sigma/seed_variant_1.yml", target: "outside/secret.txt", afterFirstRun: true },
  { name: "a bundle", args: ALL, link: "out/elastic/rules.ndjson", target: "outside/secret.txt", afterFirstRun: true },
  { name: "a dangling output file", args: ALL, link: "out/splunk/seed_variant_2.spl", target: "outside/made-by-rulecast.spl", afterFirstRun: true },
  { name: "the splunk-app folder", args: APP, link: "out/splunk-app", target: "outside" },
  { name: "an app subfolder", args: APP, link: "out/splunk-app/soc_app/default", target: "outside", afterFirstRun: true },
  { name: "the app .tgz", args: APP, link: "out/splunk-app/soc_app.tgz", target: "outside/secret.txt", afterFirstRun: true },
  { name: "a stale file in a target folder", args: ALL, link: "out/sigma/old_rule.yml", target: "outside/secret.txt", afterFirstRun: true, cleanupOnly: true },
  { name: "a folder inside a target folder", args: ALL, link: "out/splunk/sub", target: "outside", afterFirstRun: true, cleanupOnly: true },
];

/** Exactly one `rulecast:` line, the refusal naming the link; never an internal error. */
function assertRefused(r: { code: number; stdout: string; stderr: string }, link: string, what: string): void {
  assert.is(r.code, 2, `${what}: exit code\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("rulecast:"));
  assert.is(lines.length, 1, `${what}: one line\n${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`^rulecast: refusing to follow the symbolic link \\S*/${link.replace(/[.]/g, "\\.")}: `), what);
  assert.not.match(r.stderr, /internal error/, what);
  assert.not.ok(r.stdout.includes(SECRET) || r.stderr.includes(SECRET), `${what}: the link's target was read`);
}

/** The output of a clean first run per argument list, copied into each test's folder. */
const firstRuns = new Map<string, string>();
async function firstRun(args: readonly string[]): Promise<string> {
  const key = args.join(" ");
  if (!firstRuns.has(key)) {
    const dir = repo();
    const r = await rulecastInProcess(["convert", "rules", ...args, "--out", "out"], dir);
    assert.is(r.code, 0, r.stderr);
    firstRuns.set(key, join(dir, "out"));
  }
  return firstRuns.get(key)!;
}

for (const p of PLANTS) {
  const modes = p.cleanupOnly ? (["write", "write --skip-errors"] as const) : (["write", "check"] as const);
  for (const mode of p.name === "a target folder" || p.name === "the splunk-app folder" ? (["write", "write --skip-errors", "check"] as const) : modes) {
    test(`a link at ${p.name} is refused (${mode})`, async () => {
      const dir = repo();
      if (p.afterFirstRun) cpSync(await firstRun(p.args), join(dir, "out"), { recursive: true });
      else mkdirSync(join(dir, "out"), { recursive: true });
      rmSync(join(dir, p.link), { recursive: true, force: true });
      mkdirSync(join(dir, p.link, ".."), { recursive: true });
      symlinkSync(join(dir, p.target), join(dir, p.link));
      // With --skip-errors a rule fails, so the run writes the others and removes no stale file.
      if (mode === "write --skip-errors") writeFileSync(join(dir, "rules/broken.yaml"), BROKEN);
      const outside = snapshot(join(dir, "outside"));
      const before = snapshot(join(dir, "out"));
      const extra = mode === "check" ? ["--check"] : mode === "write" ? [] : ["--skip-errors"];
      const r = await rulecastInProcess(["convert", "rules", ...p.args, "--out", "out", ...extra], dir);
      assertRefused(r, p.link, `${p.name} (${mode})`);
      assert.equal(snapshot(join(dir, "outside")), outside, `${p.name} (${mode}): the folder outside changed`);
      assert.equal(snapshot(join(dir, "out")), before, `${p.name} (${mode}): refused before anything was written or removed`);
      assert.is(r.stdout, "", "refused before the first diff");
      assert.not.match(r.stderr, /differs/);
      assert.ok(lstatSync(join(dir, p.link)).isSymbolicLink() && readlinkSync(join(dir, p.link)) === join(dir, p.target), "the link itself is left alone");
    });
  }
}

test("a link to a special file is never opened, in a real process: environ, /dev/zero, its own stdin", () => {
  const specials = ["/proc/self/environ", "/dev/zero", "/proc/self/fd/0"].filter((f) => existsSync(f));
  assert.ok(specials.includes("/dev/zero"));
  const dir = repo();
  assert.is(rulecast(["convert", "rules", ...ALL, "--out", "out"], dir).code, 0);
  const link = "out/sigma/seed_variant_1.yml";
  for (const special of specials) {
    rmSync(join(dir, link));
    symlinkSync(special, join(dir, link));
    for (const check of [true, false]) {
      // stdin stays open and silent: a run that read it would wait for ever (the timeout ends the test instead).
      const r = spawnSync(process.execPath, [CLI, "convert", "rules", ...ALL, "--out", "out", ...(check ? ["--check"] : [])], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env["PATH"] ?? "", RULECAST_SECRET_MARKER: SECRET },
        stdio: ["pipe", "pipe", "pipe"],
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      assertRefused({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, link, `${special} (${check ? "check" : "write"})`);
      assert.is(readlinkSync(join(dir, link)), special);
    }
  }
});

test("--out itself may be a link: the user named it", async () => {
  const dir = repo();
  mkdirSync(join(dir, "real/place"), { recursive: true });
  symlinkSync(join(dir, "real/place"), join(dir, "out"));
  const r = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, "real/place/sigma/seed_variant_1.yml")));
  assert.is((await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out", "--check"], dir)).code, 0);
  assert.ok(lstatSync(join(dir, "out")).isSymbolicLink());
});

test("what is not a regular file at an output path is never opened: a FIFO, a folder", async () => {
  const hasMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;
  const cases: [string, (p: string) => void, RegExp][] = [[`a folder`, (p) => mkdirSync(join(p, "inner"), { recursive: true }), /a folder stands where the file should be/]];
  if (hasMkfifo) cases.push([`a FIFO`, (p) => void spawnSync("mkfifo", [p]), /something other than a regular file stands there/]);
  for (const [what, make, why] of cases) {
    const dir = repo();
    cpSync(await firstRun(ALL), join(dir, "out"), { recursive: true });
    const path = join(dir, "out/sigma/seed_variant_1.yml");
    rmSync(path);
    make(path);
    const check = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out", "--check"], dir);
    assert.is(check.code, 1, `${what}: ${check.stderr}`);
    assert.match(check.stderr, new RegExp(`out/sigma/seed_variant_1\\.yml: differs from a fresh conversion \\(${why.source}`), what);
    const write = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out"], dir);
    assert.is(write.code, 2, `${what}: ${write.stderr}`);
    assert.match(write.stderr.trim().split("\n").pop()!, new RegExp(`^rulecast: cannot write \\S*out/sigma/seed_variant_1\\.yml: ${why.source}$`), what);
  }
});

test("--check reads an output file only up to a bound: a 100 MB file is not diffed", async () => {
  const dir = repo();
  cpSync(await firstRun(ALL), join(dir, "out"), { recursive: true });
  const path = join(dir, "out/splunk/seed_variant_1.spl");
  writeFileSync(path, "");
  truncateSync(path, 100 * 1024 * 1024); // sparse: takes no disk space
  const r = await rulecastInProcess(["convert", "rules", ...ALL, "--out", "out", "--check"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /out\/splunk\/seed_variant_1\.spl: differs from a fresh conversion \(104857600 bytes on disk, too large to show a diff\)/);
  assert.ok(r.stdout.length < 1_000_000, `${r.stdout.length} bytes of diff`);
});

test.run();
