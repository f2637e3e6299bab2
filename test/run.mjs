// Runs every compiled test file with uvu and ends with the plain `N passed, N failed` line CI reads.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("dist/test")) {
  console.error("dist/test is missing: run `npm test` (it builds first)");
  process.exit(2);
}
const pattern = process.argv[2] ?? "\\.test\\.js$";
// --no-color: uvu would otherwise set FORCE_COLOR, which also colours (and warns in) subprocesses.
const child = spawn(process.execPath, ["node_modules/uvu/bin.js", "dist/test", pattern, "--no-color"], {
  env: withoutForceColor(process.env),
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
child.stdout.on("data", (b) => {
  out += b;
  process.stdout.write(b);
});
child.on("close", (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log("0 passed, 1 failed");
    process.exit(code || 1);
  }
  const failed = total - passed - skipped;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : code ?? 1);
});

function withoutForceColor(env) {
  const { FORCE_COLOR: _ignored, ...rest } = env;
  return rest;
}
