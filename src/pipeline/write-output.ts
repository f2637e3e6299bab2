/**
 * Writes converted files under the output folder. Each file is written to a temporary name and
 * renamed over the old one, so an interrupted run leaves every file either old or new, whole.
 * Unchanged files are not rewritten. Stale files (from rules that no longer exist) are removed
 * only after a clean run, so a failed rule keeps its last good output. No link below the folder
 * is followed (output-folder.ts), and every path is checked before the first byte is written, so
 * a refusal leaves the folder as it was.
 */
import { dirname, relative, resolve, sep } from "node:path";
import { OutputWriteError, NOT_A_FILE } from "./output-errors.js";
import { isLeftoverTemp, OutputFolder, type OutputFs } from "./output-folder.js";

export { OutputError, OutputLinkError, OutputWriteError } from "./output-errors.js";

export interface FileToWrite {
  /** `/`-separated, relative to the output folder. */
  readonly path: string;
  readonly content: string | Uint8Array;
  /** The rule file it was made from, as the run names it; none for bundles (the manifest records it). */
  readonly source?: string;
}

/** A file that prints: what naming, `--check` diffs and stdout deal in. */
export interface TextFile extends FileToWrite {
  readonly content: string;
}

export interface WriteReport {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

export interface WriteOptions {
  /** Folders (relative) whose files rulecast alone names: stale files there are removed after a clean run. */
  readonly managedDirs?: readonly string[];
  readonly removeStale?: boolean;
  /**
   * The caller holds the folder's lock (output-lock.ts), so temporary files in the folders it
   * writes or manages belong to no live run: a killed run left them, and they are removed.
   */
  readonly removeLeftovers?: boolean;
  /**
   * Which files the run owns (output-manifest.ts), decided under the caller's lock from what the
   * folder holds: extra files to write last (the manifest, bundles that keep other runs' rules), each
   * in place of a file of the same path in `files`, and which stale files may be removed.
   * Without it every file in `managedDirs` not written now is stale.
   */
  readonly ownership?: (folder: OutputFolder) => { readonly files: readonly FileToWrite[]; readonly removable: (rel: string) => boolean };
  /** File-system calls; tests pass ones that fail like a full disk. */
  readonly fs?: OutputFs;
}

/** Refuses paths that would leave the output folder (`..`, absolute, NUL). */
export function safeOutputPath(outDir: string, rel: string): string | undefined {
  if (rel.includes("\0") || rel.startsWith("/") || /^[A-Za-z]:/.test(rel)) return undefined;
  const abs = resolve(outDir, rel);
  const root = resolve(outDir);
  return abs.startsWith(root + sep) ? abs : undefined;
}

export function writeOutput(outDir: string, files: readonly FileToWrite[], options: WriteOptions = {}): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const folder = new OutputFolder(resolve(outDir), "write", options.fs);
  folder.ensureRoot();

  const owned = options.ownership?.(folder);
  const replaced = new Set(owned?.files.map((f) => f.path));
  const plan = [...files.filter((f) => !replaced.has(f.path)), ...(owned?.files ?? [])].map((f) => {
    const abs = safeOutputPath(folder.root, f.path);
    if (!abs) throw new OutputWriteError(`${folder.root}${sep}${f.path}`, "not a file name inside the output folder");
    const rel = relative(folder.root, abs).split(sep).join("/");
    const bytes = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : Buffer.from(f.content);
    const entry = folder.entry(rel);
    if (entry.kind === "folder") throw new OutputWriteError(abs, { code: "EISDIR" });
    if (entry.kind === "other") throw new OutputWriteError(abs, NOT_A_FILE);
    if (entry.kind === "blocked") throw new OutputWriteError(abs, { code: "ENOTDIR" });
    // A file of another size differs without being read; one of the same size is read up to that size.
    const same = entry.kind === "file" && entry.size === bytes.length && sameBytes(folder.read(rel, bytes.length), bytes);
    return { path: f.path, rel, bytes, same };
  });
  const sweep = options.removeStale || options.removeLeftovers;
  const managed = sweep ? (options.managedDirs ?? []).flatMap((d) => folder.filesUnder(d.split("/").filter(Boolean).join("/"))) : [];

  if (options.removeLeftovers) {
    const leftovers = new Set(managed.filter((rel) => isLeftoverTemp(rel)));
    for (const dir of new Set(plan.map((p) => parentOf(p.rel)))) {
      if (dir === "" || folder.entry(dir).kind === "folder") for (const name of folder.filesIn(dir)) if (isLeftoverTemp(name)) leftovers.add(dir ? `${dir}/${name}` : name);
    }
    for (const rel of leftovers) folder.remove(rel);
  }

  // The manifest is written after the files it records, and after the removals it no longer records.
  const last = new Set(owned?.files.map((f) => f.path));
  for (const p of plan) {
    if (last.has(p.path)) continue;
    if (p.same) {
      report.unchanged.push(p.path);
      continue;
    }
    folder.write(p.rel, p.bytes);
    report.written.push(p.path);
  }

  if (options.removeStale) {
    const keep = new Set(plan.map((p) => p.rel));
    for (const rel of managed) {
      if (keep.has(rel) || isLeftoverTemp(rel) || (owned && !owned.removable(rel))) continue;
      folder.remove(rel);
      report.removed.push(rel);
    }
  }
  for (const p of plan) {
    if (!last.has(p.path)) continue;
    if (p.same) report.unchanged.push(p.path);
    else {
      folder.write(p.rel, p.bytes);
      report.written.push(p.path);
    }
  }
  return report;
}

function sameBytes(read: ReturnType<OutputFolder["read"]>, bytes: Buffer): boolean {
  return read.kind === "bytes" && read.bytes.equals(bytes);
}

function parentOf(rel: string): string {
  const d = dirname(rel);
  return d === "." ? "" : d;
}
