// Measures each compiled test file alone and writes test/timings.json, which test/run.mjs uses to
// balance its shards. Build first (`npm run build`); run on an idle machine.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const files = walk("dist/test").map((f) => relative("dist/test", f).split("\\").join("/")).filter((f) => f.endsWith(".test.js")).sort();
const timings = {};
for (const f of files) {
  const t = process.hrtime.bigint();
  const only = `^${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`;
  spawnSync(process.execPath, ["node_modules/uvu/bin.js", "dist/test", only, "--no-color"], { stdio: "ignore", env: { ...process.env, CI: "true" } });
  timings[f] = Math.round(Number(process.hrtime.bigint() - t) / 1e6);
}
writeFileSync("test/timings.json", `${JSON.stringify(timings, null, 2)}\n`);
console.log(`${files.length} files, ${Object.values(timings).reduce((a, b) => a + b, 0)} ms in all`);
