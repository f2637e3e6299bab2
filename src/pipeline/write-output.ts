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

/** A file could not be written (full disk, read-only folder, a file where a folder should be). */
export class OutputWriteError extends Error {
  constructor(readonly path: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const why = typeof code === "string" ? (WHY[code] ?? code) : cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${why}`);
  }
}

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a file stands where a folder is needed",
  EEXIST: "a file stands where a folder is needed",
  EISDIR: "a folder stands where the file should be",
};

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
    const tmp = `${abs}.rulecast-tmp-${process.pid}`;
    try {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(tmp, f.content);
      renameSync(tmp, abs);
    } catch (e) {
      removeQuietly(tmp);
      throw new OutputWriteError(join(outDir, f.path), e);
    }
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

/** Cleanup after a failed write must not hide the failure that caused it. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the temporary file was never created (its folder is missing or not a folder)
  }
}
