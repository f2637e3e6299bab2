// The full corpus check (every Sigma rule); the test suite runs a sample. Build first: `npm run build`.
// Usage: node scripts/semantic-check.mjs [rules-dir] [--every N]
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkFile, formatReport, newReport } from "../dist/test/semantic/corpus-check.js";

const args = process.argv.slice(2);
const everyAt = args.indexOf("--every");
const every = everyAt >= 0 ? Number(args[everyAt + 1]) : 1;
const root = args.find((a, i) => !a.startsWith("--") && i !== everyAt + 1) ?? "../shared/corpus/sigma/rules";

function walk(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".yml") ? [p] : [];
  });
}

const files = walk(root).filter((_, i) => i % every === 0);
const report = newReport();
const t0 = Date.now();
for (const f of files) checkFile(f, report);
for (const line of formatReport(report)) console.log(line);
console.log(`${files.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const total = Object.values(report.targets).reduce((n, t) => n + t.disagreements.length, 0);
process.exitCode = total > 0 ? 1 : 0;
