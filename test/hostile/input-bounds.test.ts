/**
 * Sizes: every input a user names (rule file, stdin, config, template, events file, import input)
 * is read with a byte bound, and only when it is a regular file. Devices, FIFOs and folders are
 * refused by name; /proc files, which report size 0, are bounded on the bytes read; a rule over
 * the bound fails alone. No case ends as `internal error`, none hangs (a FIFO has no writer here).
 * Bounded reading is shown structurally: an endless source (/dev/zero) stops one byte past the
 * bound. No timing or memory assertions.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { DEFAULT_MAX_CONFIG_SIZE, DEFAULT_MAX_INPUT_SIZE, parseByteSize } from "../../src/input/limits.js";
import { readFdBounded, readFileBounded } from "../../src/input/read-bounded.js";
import { CLI, rulecast, SIGMA_RULE, tempTree, type CliRun } from "../helpers/cli.js";

const RULE = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const EVENTS = '[{"event":{"category":"network"}}]\n';

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  assert.is(r.status, 0, `mkfifo: ${r.stderr}`);
}

/** A file that says `bytes` long without using the disk (sparse). */
function sparse(path: string, bytes: number): void {
  writeFileSync(path, "");
  truncateSync(path, bytes);
}

/** A run that ends with one line naming the input, no stack trace, no internal error. */
function refused(r: CliRun, code: number, pattern: RegExp): void {
  assert.is(r.code, code, r.stderr);
  assert.not.match(r.stderr, /internal error|bad_alloc|\n\s+at /);
  assert.match(r.stderr, pattern);
}

function runWithStdin(args: readonly string[], cwd: string, stdinPath: string, env: Record<string, string> = {}): CliRun {
  const fd = openSync(stdinPath, "r");
  try {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RULECAST_")));
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...base, NO_COLOR: "1", ...env }, stdio: [fd, "pipe", "pipe"], timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

// ---- the reader -----------------------------------------------------------------------------------

test("an endless source is read one byte past the bound and no further", () => {
  for (const limit of [1, 4096, 65_536, 1_000_000]) {
    const fd = openSync("/dev/zero", "r");
    try {
      const r = readFdBounded(fd, limit);
      assert.equal(r, { ok: false, problem: { kind: "too-large", limit } });
    } finally {
      closeSync(fd);
    }
  }
});

test("a regular file: read whole up to the bound, refused past it (by its size, before reading)", () => {
  const dir = tempTree({ "a.txt": "x".repeat(100_000) });
  const whole = readFileBounded(join(dir, "a.txt"), 100_000);
  assert.ok(whole.ok && whole.bytes.length === 100_000);
  assert.equal(readFileBounded(join(dir, "a.txt"), 99_999), { ok: false, problem: { kind: "too-large", limit: 99_999, size: 100_000 } });
  sparse(join(dir, "huge.txt"), 600 * 2 ** 20);
  assert.equal(readFileBounded(join(dir, "huge.txt"), DEFAULT_MAX_INPUT_SIZE), { ok: false, problem: { kind: "too-large", limit: DEFAULT_MAX_INPUT_SIZE, size: 600 * 2 ** 20 } });
});

/** What `read` gave, with the number of read calls it made (node:fs's readSync counted). */
function countingReads<T>(read: () => T): { result: T; calls: number } {
  const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
  const real = fs.readSync;
  let calls = 0;
  fs.readSync = ((...args: Parameters<typeof real>) => {
    calls++;
    return real(...args);
  }) as typeof real;
  syncBuiltinESMExports();
  try {
    return { result: read(), calls };
  } finally {
    fs.readSync = real;
    syncBuiltinESMExports();
  }
}

test("a regular file that ends where its size said is read in one call; a size-0 /proc file is read until a read gives nothing", () => {
  const dir = tempTree({ "a.txt": "é".repeat(3_000) });
  const one = countingReads(() => readFileBounded(join(dir, "a.txt"), 100_000));
  assert.ok(one.result.ok && one.result.bytes.equals(Buffer.from("é".repeat(3_000))));
  assert.is(one.calls, 1);
  const proc = countingReads(() => readFileBounded("/proc/self/status", 1_000_000));
  assert.ok(proc.result.ok && proc.result.bytes.length > 100);
  assert.ok(proc.calls >= 2, `${proc.calls} read calls`);
});

test("/proc files report size 0: the bound holds on the bytes read, not on stat", () => {
  const full = readFileBounded("/proc/self/status", 1_000_000);
  assert.ok(full.ok && full.bytes.length > 100, "read whole although stat says 0 bytes");
  assert.equal(readFileBounded("/proc/self/status", 10), { ok: false, problem: { kind: "too-large", limit: 10 } });
});

test("devices, FIFOs (without blocking on the open), folders and missing files are refused by kind", () => {
  const dir = tempTree({});
  mkfifo(join(dir, "fifo"));
  symlinkSync("/dev/zero", join(dir, "zero-link"));
  mkdirSync(join(dir, "folder"));
  const kind = (p: string) => {
    const r = readFileBounded(p, 1024);
    return r.ok ? "ok" : r.problem.kind;
  };
  assert.is(kind("/dev/zero"), "not-a-file");
  assert.is(kind("/dev/null"), "not-a-file");
  assert.is(kind("/dev/urandom"), "not-a-file");
  assert.is(kind(join(dir, "fifo")), "not-a-file");
  assert.is(kind(join(dir, "zero-link")), "not-a-file");
  assert.is(kind(join(dir, "folder")), "is-a-folder");
  assert.is(kind(join(dir, "missing")), "missing");
  assert.is(kind(join(dir, "folder", "x", "y")), "missing");
});

test("sizes: 64MiB, 512k, plain bytes; zero, units it does not know and past 256 MiB are refused", () => {
  assert.is(parseByteSize("64MiB"), 64 * 2 ** 20);
  assert.is(parseByteSize("64 mib"), 64 * 2 ** 20);
  assert.is(parseByteSize("512k"), 512 * 1024);
  assert.is(parseByteSize("1048576"), 2 ** 20);
  assert.is(parseByteSize("256M"), 256 * 2 ** 20);
  for (const bad of ["0", "0MiB", "-1", "1.5M", "64MB!", "1TiB", "257MiB", "1e6", "", "lots", "99999999999999999999"]) assert.is(parseByteSize(bad), undefined, bad);
});

// ---- rule files ---------------------------------------------------------------------------------

test("a 600 MB file in a rules folder fails alone, named; with --skip-errors the other rules are written", () => {
  const dir = tempTree({ "rules/a.yaml": RULE, "rules/b.yml": SIGMA_RULE });
  sparse(join(dir, "rules/huge.yml"), 600 * 2 ** 20);
  const r = rulecast(["convert", "rules", "--to", "sigma", "--out", "out", "--skip-errors"], dir);
  refused(r, 1, /^rules\/huge\.yml:1:1: error input\/too-large: the file is 600 MiB, over the 64 MiB limit \(--max-input-size\)/m);
  assert.match(r.stderr, /^2 rules: 2 converted to every target, 0 to some, 0 to none, 0 skipped; 1 file failed to load$/m);
  assert.equal(readdirSync(join(dir, "out/sigma")).sort(), ["unusual_process_network_connection.yml", "whoami_execution.yml"]);
  const strict = rulecast(["convert", "rules", "--to", "sigma", "--out", "strict"], dir);
  refused(strict, 1, /nothing written/);
  assert.not.ok(existsSync(join(dir, "strict")));
});

test("the bound comes from --max-input-size, RULECAST_MAX_INPUT_SIZE or max_input_size, in that order", () => {
  const dir = tempTree({ "rules/a.yaml": RULE });
  const size = Buffer.byteLength(RULE);
  const over = `${size - 1}`;
  const convert = (args: string[], env: Record<string, string> = {}) => rulecast(["convert", "rules", "--to", "sigma", ...args], dir, { env });
  refused(convert(["--max-input-size", over]), 1, /^rules\/a\.yaml:1:1: error input\/too-large: the file is \d+ bytes, over the \d+-byte limit \(--max-input-size\)/m);
  refused(convert([], { RULECAST_MAX_INPUT_SIZE: over }), 1, /input\/too-large/);
  writeFileSync(join(dir, "rulecast.config.yaml"), `max_input_size: ${over}\n`);
  refused(convert([]), 1, /input\/too-large/);
  assert.is(convert(["--max-input-size", "1MiB"]).code, 0, "the flag wins over the config");
  assert.is(convert([], { RULECAST_MAX_INPUT_SIZE: "1MiB" }).code, 0, "the environment wins over the config");
  writeFileSync(join(dir, "rulecast.config.yaml"), "max_input_size: lots\n");
  refused(convert([]), 2, /^rulecast: rulecast\.config\.yaml:1:17: error config\/invalid: max_input_size: must be a size/m);
  refused(rulecast(["convert", "rules", "--max-input-size", "0"], tempTree({})), 2, /^rulecast: --max-input-size must be a size such as 64MiB/m);
  refused(rulecast(["check", "rules"], tempTree({ "rules/a.yaml": RULE }), { env: { RULECAST_MAX_INPUT_SIZE: "2TiB" } }), 2, /RULECAST_MAX_INPUT_SIZE must be a size/);
});

test("devices, FIFOs and folders named as rule files fail alone, named; other rules still convert", () => {
  const dir = tempTree({ "rules/a.yaml": RULE });
  mkfifo(join(dir, "pipe.yml"));
  symlinkSync("/dev/zero", join(dir, "zero.yml"));
  const r = rulecast(["convert", "/dev/zero", "pipe.yml", "zero.yml", "/proc/self/environ", "rules/a.yaml", "--to", "sigma", "--skip-errors", "--out", "out"], dir);
  refused(r, 1, /^\/dev\/zero:1:1: error input\/not-a-file: the file is not a regular file/m);
  assert.match(r.stderr, /^pipe\.yml:1:1: error input\/not-a-file/m);
  assert.match(r.stderr, /^zero\.yml:1:1: error input\/not-a-file/m);
  assert.match(r.stderr, /^\/proc\/self\/environ:1:1: error input\/unknown-format/m, "a /proc file is regular and small: read, then not a rule");
  assert.match(r.stderr, /^1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped; 4 files failed to load$/m);
  assert.ok(existsSync(join(dir, "out/sigma/unusual_process_network_connection.yml")));
});

// ---- stdin ----------------------------------------------------------------------------------------

test("stdin: /dev/zero stops at the bound with one error; a rule over a smaller bound is refused; under it converts", () => {
  const dir = tempTree({ "rule.yml": SIGMA_RULE });
  refused(runWithStdin(["convert", "-", "--to", "sigma"], dir, "/dev/zero"), 1, /^<stdin>:1:1: error input\/too-large: standard input holds more than the 64 MiB limit \(--max-input-size\)/m);
  refused(runWithStdin(["check", "-"], dir, "/dev/zero", { RULECAST_MAX_INPUT_SIZE: "1KiB" }), 1, /standard input holds more than the 1 KiB limit/);
  refused(runWithStdin(["convert", "-", "--to", "sigma", "--max-input-size", `${SIGMA_RULE.length - 1}`], dir, join(dir, "rule.yml")), 1, /<stdin>:1:1: error input\/too-large/);
  const ok = runWithStdin(["convert", "-", "--to", "sigma", "--max-input-size", `${SIGMA_RULE.length}`], dir, join(dir, "rule.yml"));
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /title: Whoami Execution/);
});

test("stdin from a pipe is read in pieces up to the bound", () => {
  const text = SIGMA_RULE + `description2: ${"x".repeat(300_000)}\n`;
  const ok = rulecast(["convert", "-", "--to", "sigma"], tempTree({}), { input: text });
  assert.is(ok.code, 0, ok.stderr);
  refused(rulecast(["convert", "-", "--to", "sigma", "--max-input-size", "256KiB"], tempTree({}), { input: text }), 1, /standard input holds more than the 256 KiB limit/);
});

// ---- config -------------------------------------------------------------------------------------

test("config: a device, FIFO, folder or too-large file named by --config or RULECAST_CONFIG is one line, exit 2", () => {
  const dir = tempTree({ "rules/a.yaml": RULE, "folder/.keep": "" });
  mkfifo(join(dir, "fifo.yaml"));
  sparse(join(dir, "big.yaml"), DEFAULT_MAX_CONFIG_SIZE + 1);
  const cases: [string, RegExp][] = [
    ["/dev/zero", /^rulecast: cannot read config file: \/dev\/zero:1:1: error input\/not-a-file: the file is not a regular file/],
    ["fifo.yaml", /^rulecast: cannot read config file: fifo\.yaml:1:1: error input\/not-a-file/],
    ["folder", /^rulecast: cannot read config file: folder:1:1: error input\/not-a-file: the file is a folder, not a file/],
    ["big.yaml", /^rulecast: cannot read config file: big\.yaml:1:1: error input\/too-large: the file is 1048577 bytes, over the 1048576-byte limit \(--max-config-size\)/],
    ["missing.yaml", /^rulecast: cannot read config file: missing\.yaml:1:1: error input\/unreadable: the file does not exist/],
  ];
  for (const [config, want] of cases) {
    refused(rulecast(["convert", "rules", "--config", config], dir), 2, want);
    refused(rulecast(["check", "rules"], dir, { env: { RULECAST_CONFIG: config } }), 2, want);
  }
  // Every command that reads the config reads it the same way.
  refused(rulecast(["list", "fields", "--mapping", "sigma-splunk", "--config", "/dev/zero"], dir), 2, cases[0]![1]);
  refused(rulecast(["attack", "layer", "rules"], dir, { env: { RULECAST_CONFIG: "/dev/zero" } }), 2, cases[0]![1]);
});

test("config: --max-config-size and RULECAST_MAX_CONFIG_SIZE raise or lower its bound", () => {
  const config = `targets: [sigma]\nvars: {pad: "${"x".repeat(2 * 2 ** 20)}"}\n`;
  const dir = tempTree({ "rules/a.yaml": RULE, "rulecast.config.yaml": config });
  refused(rulecast(["convert", "rules"], dir), 2, /rulecast\.config\.yaml:1:1: error input\/too-large: the file is 2 MiB, over the 1 MiB limit/);
  assert.is(rulecast(["convert", "rules", "--max-config-size", "3MiB"], dir).code, 0);
  assert.is(rulecast(["convert", "rules"], dir, { env: { RULECAST_MAX_CONFIG_SIZE: "3MiB" } }).code, 0);
  refused(rulecast(["convert", "rules", "--max-config-size", "1KiB"], tempTree({ "rules/a.yaml": RULE, "rulecast.config.yaml": `vars: {pad: "${"x".repeat(2000)}"}\n` })), 2, /over the 1 KiB limit \(--max-config-size\)/);
});

// ---- templates ----------------------------------------------------------------------------------

test("templates: a folder, a device link, a FIFO or a too-large file in --templates is one line naming it, exit 2", () => {
  const dir = tempTree({});
  cpSync("rules", join(dir, "rules"), { recursive: true });
  const tpl = (name: string) => join(dir, name, "sigma");
  mkdirSync(join(tpl("as-folder"), "rule.yaml.hbs"), { recursive: true });
  mkdirSync(tpl("as-device"), { recursive: true });
  symlinkSync("/dev/zero", join(tpl("as-device"), "rule.yaml.hbs"));
  mkdirSync(tpl("as-fifo"), { recursive: true });
  mkfifo(join(tpl("as-fifo"), "rule.yaml.hbs"));
  mkdirSync(tpl("too-big"), { recursive: true });
  sparse(join(tpl("too-big"), "rule.yaml.hbs"), DEFAULT_MAX_CONFIG_SIZE + 1);
  const cases: [string, RegExp][] = [
    ["as-folder", /^rulecast: cannot read template: .*as-folder\/sigma\/rule\.yaml\.hbs:1:1: error input\/not-a-file: the file is a folder, not a file$/m],
    ["as-device", /^rulecast: cannot read template: .*as-device\/sigma\/rule\.yaml\.hbs:1:1: error input\/not-a-file: the file is not a regular file/m],
    ["as-fifo", /^rulecast: cannot read template: .*as-fifo\/sigma\/rule\.yaml\.hbs:1:1: error input\/not-a-file/m],
    ["too-big", /^rulecast: cannot read template: .*too-big\/sigma\/rule\.yaml\.hbs:1:1: error input\/too-large: the file is 1048577 bytes, over the 1048576-byte limit \(--max-config-size\)/m],
  ];
  for (const [name, want] of cases) refused(rulecast(["convert", "rules", "--to", "sigma", "--templates", name, "--out", "out"], dir), 2, want);
  refused(rulecast(["check", "rules", "--to", "sigma", "--templates", "as-device"], dir), 2, cases[1]![1]);
  refused(rulecast(["convert", "rules", "--to", "sigma", "--templates", "/dev/null"], dir), 2, /^rulecast: --templates: \/dev\/null is not a folder$/m);
  refused(rulecast(["convert", "rules", "--to", "sigma", "--templates", "rules/psexec_network_connection.yaml"], dir), 2, /^rulecast: --templates: rules\/psexec_network_connection\.yaml is not a folder$/m);
});

// ---- events files -------------------------------------------------------------------------------

test("events: a device, FIFO, folder or too-large events file is one line naming it, exit 2", () => {
  const dir = tempTree({ "rules/a.yaml": RULE, "events.json": EVENTS, "folder/.keep": "" });
  mkfifo(join(dir, "fifo.json"));
  const cases: [string[], RegExp][] = [
    [["--events", "/dev/zero"], /^rulecast: cannot read events file: \/dev\/zero:1:1: error input\/not-a-file/m],
    [["--events", "fifo.json"], /^rulecast: cannot read events file: fifo\.json:1:1: error input\/not-a-file/m],
    [["--events", "folder"], /^rulecast: cannot read events file: folder:1:1: error input\/not-a-file: the file is a folder, not a file$/m],
    [["--events", "events.json", "--max-input-size", "10"], /^rulecast: cannot read events file: events\.json:1:1: error input\/too-large: the file is 35 bytes, over the 10 bytes limit \(--max-input-size\)/m],
  ];
  for (const [args, want] of cases) refused(rulecast(["test", "rules", ...args, "--expect", "match"], dir), 2, want);
  refused(rulecast(["test", "rules", "--events", "events.json", "--expect", "match"], dir, { env: { RULECAST_MAX_INPUT_SIZE: "10" } }), 2, /input\/too-large/);
  const ok = rulecast(["test", "rules", "--events", "events.json", "--expect", "no-match"], dir);
  assert.not.match(ok.stderr, /error/);
});

test("test: a rule file over the bound or a device fails alone; other rules are tested", () => {
  const dir = tempTree({ "rules/a.yaml": RULE, "rules/b.yml": SIGMA_RULE });
  const r = rulecast(["test", "rules", "/dev/zero", "--max-input-size", `${Buffer.byteLength(SIGMA_RULE)}`], dir);
  refused(r, 1, /^rules\/a\.yaml:1:1: error input\/too-large/m);
  assert.match(r.stderr, /^\/dev\/zero:1:1: error input\/not-a-file/m);
  assert.match(r.stdout, /Whoami Execution/);
});

// ---- import -------------------------------------------------------------------------------------

test("import: a device or a file over the bound fails alone, named; --skip-errors writes the rest", () => {
  const kibana = readFileSync("out/elastic/psexec_network_connection.json", "utf8");
  const dir = tempTree({ "in/a.json": kibana, "in/big.ndjson": `${JSON.stringify(JSON.parse(kibana))}\n`.repeat(50) });
  const r = rulecast(["import", "in", "/dev/zero", "--out", "rules", "--skip-errors", "--max-input-size", `${Buffer.byteLength(kibana)}`], dir);
  refused(r, 1, /^in\/big\.ndjson:1:1: error input\/too-large: the file is .* over the .* limit \(--max-input-size\)/m);
  assert.match(r.stderr, /^\/dev\/zero:1:1: error input\/not-a-file/m);
  assert.match(r.stderr, /^1 imported, 2 failed$/m);
  assert.equal(readdirSync(join(dir, "rules")), ["psexec_network_connection.yaml"]);
  refused(rulecast(["import", "in", "--out", "r2"], dir, { env: { RULECAST_MAX_INPUT_SIZE: "1KiB" } }), 1, /input\/too-large/);
});

test.run();
