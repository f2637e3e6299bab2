// Runs every compiled test file with uvu and ends with the plain `N passed, N failed` line CI reads.
// The files are split into one shard per core, each its own uvu process (test files share no
// state: temporary folders are per test), and the shards' outputs are printed in shard order.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";

if (!existsSync("dist/test")) {
  console.error("dist/test is missing: run `npm test` (it builds first)");
  process.exit(2);
}
const pattern = new RegExp(process.argv[2] ?? "\\.test\\.js$");
const files = walk("dist/test")
  .map((f) => relative("dist/test", f).split("\\").join("/"))
  .filter((f) => f.endsWith(".test.js") && pattern.test(f));
const shards = split(files, Number(process.env.TEST_SHARDS) || Math.max(1, Math.min(availableParallelism(), 4)));

const results = await Promise.all(shards.map(runShard));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  process.stdout.write(r.out);
  const total = Number(/Total:\s+(\d+)/.exec(r.out)?.[1] ?? NaN);
  const ok = Number(/Passed:\s+(\d+)/.exec(r.out)?.[1] ?? NaN);
  const skip = Number(/Skipped:\s+(\d+)/.exec(r.out)?.[1] ?? 0);
  if (Number.isNaN(total) || Number.isNaN(ok)) {
    failed += 1; // the shard died before uvu could count
    continue;
  }
  passed += ok;
  skipped += skip;
  failed += total - ok - skip;
  if (r.code !== 0 && total - ok - skip === 0) failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);

/**
 * Slowest files first, each to the lightest shard. Running times come from test/timings.json
 * (`node scripts/test-timings.mjs` measures each file alone and rewrites it); a file not listed
 * yet counts as the median. File size was the stand-in before, but a small file that starts the
 * CLI forty times outruns a large one of pure functions.
 */
function split(list, n) {
  const out = Array.from({ length: Math.min(n, Math.max(1, list.length)) }, () => ({ files: [], weight: 0 }));
  const timings = existsSync("test/timings.json") ? JSON.parse(readFileSync("test/timings.json", "utf8")) : {};
  const known = Object.values(timings).sort((a, b) => a - b);
  const median = known.length > 0 ? known[Math.floor(known.length / 2)] : 1;
  const weighed = list.map((f) => ({ f, ms: timings[f] ?? median })).sort((a, b) => b.ms - a.ms || a.f.localeCompare(b.f));
  for (const { f, ms } of weighed) {
    const lightest = out.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(f);
    lightest.weight += ms;
  }
  return out.map((s) => s.files.sort());
}

function runShard(shard) {
  return new Promise((resolve) => {
    if (shard.length === 0) return resolve({ out: "Total: 0\nPassed: 0\n", code: 0 });
    const only = `^(?:${shard.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`;
    // --no-color: uvu would otherwise set FORCE_COLOR, which also colours (and warns in) subprocesses.
    const child = spawn(process.execPath, ["node_modules/uvu/bin.js", "dist/test", only, "--no-color"], {
      env: withoutForceColor(process.env),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.on("close", (code) => resolve({ out, code: code ?? 1 }));
  });
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function withoutForceColor(env) {
  const { FORCE_COLOR: _ignored, ...rest } = env;
  return rest;
}
