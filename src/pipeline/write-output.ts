/**
 * Writes converted files under the output folder. Each file is written to a temporary name and
 * renamed over the old one, so an interrupted run leaves every file either old or new, whole.
 * Unchanged files are not rewritten. Stale files (from rules that no longer exist) are removed
 * only after a clean run, so a failed rule keeps its last good output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface FileToWrite {
  /** `/`-separated, relative to the output folder. */
  readonly path: string;
  readonly content: string;
}

export interface WriteReport {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/** Refuses paths that would leave the output folder (`..`, absolute, NUL). */
export function safeOutputPath(outDir: string, rel: string): string | undefined {
  if (rel.includes("\0") || rel.startsWith("/") || /^[A-Za-z]:/.test(rel)) return undefined;
  const abs = resolve(outDir, rel);
  const root = resolve(outDir);
  return abs.startsWith(root + sep) ? abs : undefined;
}

export function writeOutput(outDir: string, files: readonly FileToWrite[], managedDirs: readonly string[], removeStale: boolean): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const keep = new Set<string>();
  for (const f of files) {
    const abs = safeOutputPath(outDir, f.path);
    if (!abs) throw new Error(`refusing to write outside ${outDir}: ${f.path}`);
    keep.add(abs);
    if (existsSync(abs) && readFileSync(abs, "utf8") === f.content) {
      report.unchanged.push(f.path);
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    const tmp = `${abs}.rulecast-tmp-${process.pid}`;
    writeFileSync(tmp, f.content);
    renameSync(tmp, abs);
    report.written.push(f.path);
  }
  if (removeStale) {
    for (const d of managedDirs) {
      const dir = join(outDir, d);
      for (const abs of listFiles(dir)) {
        if (!keep.has(abs)) {
          rmSync(abs);
          report.removed.push(relative(outDir, abs).split(sep).join("/"));
        }
      }
    }
  }
  return report;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}
