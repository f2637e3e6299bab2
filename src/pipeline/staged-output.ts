/**
 * The output folder written as a run goes: each file that differs from the one on disk is written
 * to a temporary name beside it as soon as it is made, and only `commit`, once the run decides to
 * keep its output, renames them over the old files (then removes stale files and writes the
 * manifest last, as writeOutput does). `discard` removes every temporary file and every folder
 * made for them, so "nothing written unless --skip-errors" holds without keeping output in
 * memory; an interrupted run leaves only temporary files, which the next run removes
 * (isLeftoverTemp), and every output file old or new, whole. The folder's lock is taken before
 * the first temporary file is made and held until commit or discard.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { OutputWriteError, NOT_A_FILE } from "./output-errors.js";
import { isLeftoverTemp, OutputFolder, type OutputFs, type TempFile } from "./output-folder.js";
import { blockAppender, type Appender, type OutputSink } from "./output-sink.js";
import { safeOutputPath, type FileToWrite, type WriteOptions, type WriteReport } from "./write-output.js";

export type CommitOptions = Pick<WriteOptions, "managedDirs" | "removeStale" | "ownership">;

export class StagedOutput implements OutputSink {
  private folder: OutputFolder | undefined;
  private release: (() => void) | undefined;
  private createdRoot = false;
  /** Final path (relative, `/`) → its temporary file, in the order made. */
  private readonly staged = new Map<string, string>();
  private readonly unchanged = new Set<string>();
  private readonly appending = new Set<TempFile>();
  /** Every file handed over, in order, with the rule file it came from (what the manifest records). */
  readonly written: FileToWrite[] = [];

  /** `lock` takes the folder's lock and returns its release. */
  constructor(
    private readonly outDir: string,
    private readonly lock: () => () => void,
    private readonly fs?: OutputFs,
  ) {}

  put(f: FileToWrite): void {
    const folder = this.start();
    const rel = this.checked(folder, f.path);
    const bytes = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : Buffer.from(f.content);
    this.written.push({ path: f.path, content: "", ...(f.source !== undefined ? { source: f.source } : {}) });
    if (sameOnDisk(folder, rel, bytes)) this.unchanged.add(rel);
    else this.staged.set(rel, folder.writeTemp(rel, bytes));
  }

  open(path: string): Appender {
    const folder = this.start();
    const rel = this.checked(folder, path);
    const t = folder.openTemp(rel);
    this.appending.add(t);
    return blockAppender(
      (text) => folder.appendTemp(t, rel, Buffer.from(text, "utf8")),
      (final) => {
        if (final === undefined) {
          folder.discardTemp(t);
          this.appending.delete(t);
          return;
        }
        const finalRel = this.checked(folder, final);
        if (dirname(finalRel) !== dirname(rel)) throw new Error(`${final} is not in the folder of ${path}`);
        folder.closeTemp(t, finalRel);
        this.appending.delete(t);
        this.written.push({ path: final, content: "" });
        if (folder.sameAsTemp(finalRel, t)) {
          folder.discardTemp(t.path);
          this.unchanged.add(finalRel);
        } else this.staged.set(finalRel, t.path);
      },
    );
  }

  contentOf(path: string): string {
    const folder = this.start();
    const rel = this.checked(folder, path);
    const tmp = this.staged.get(rel);
    if (tmp !== undefined) return readFileSync(tmp, "utf8");
    const r = folder.read(rel, Number.MAX_SAFE_INTEGER);
    return r.kind === "bytes" ? r.bytes.toString("utf8") : "";
  }

  /** Renames every staged file over its old one, removes stale files, writes the manifest; releases the lock. */
  commit(options: CommitOptions = {}): WriteReport {
    const folder = this.start();
    const report: WriteReport = { written: [], unchanged: [], removed: [] };
    const owned = options.ownership?.(folder);
    const last = (owned?.files ?? []).map((f) => {
      const rel = this.checked(folder, f.path);
      const bytes = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : Buffer.from(f.content);
      return { path: f.path, rel, bytes, same: sameOnDisk(folder, rel, bytes) };
    });
    const managed = (options.managedDirs ?? []).flatMap((d) => folder.filesUnder(d.split("/").filter(Boolean).join("/")));

    // Under the lock, temporary files that are not this run's are a killed run's leftovers.
    const ours = new Set([...this.staged.values()].map((abs) => relative(folder.root, abs).split(sep).join("/")));
    const leftovers = new Set(managed.filter((rel) => isLeftoverTemp(rel) && !ours.has(rel)));
    const kept = [...this.staged.keys(), ...this.unchanged, ...last.map((l) => l.rel)];
    for (const dir of new Set(kept.map(parentOf))) {
      if (dir !== "" && folder.entry(dir).kind !== "folder") continue;
      for (const name of folder.filesIn(dir)) {
        const rel = dir ? `${dir}/${name}` : name;
        if (isLeftoverTemp(name) && !ours.has(rel)) leftovers.add(rel);
      }
    }
    for (const rel of leftovers) folder.remove(rel);

    for (const [rel, tmp] of this.staged) {
      folder.commitTemp(tmp, rel);
      this.staged.delete(rel);
      report.written.push(rel);
    }
    report.unchanged.push(...this.unchanged);

    if (options.removeStale) {
      const keep = new Set(kept);
      for (const rel of managed) {
        if (keep.has(rel) || isLeftoverTemp(rel) || (owned && !owned.removable(rel))) continue;
        folder.remove(rel);
        report.removed.push(rel);
      }
    }
    // The manifest is written after the files it records, and after the removals it no longer records.
    for (const l of last) {
      if (l.same) report.unchanged.push(l.path);
      else {
        folder.write(l.rel, l.bytes);
        report.written.push(l.path);
      }
    }
    this.end();
    return report;
  }

  discard(): void {
    const folder = this.folder;
    if (!folder) return;
    for (const t of this.appending) folder.discardTemp(t);
    this.appending.clear();
    for (const tmp of this.staged.values()) folder.discardTemp(tmp);
    this.staged.clear();
    folder.removeCreatedFolders();
    this.end();
    if (this.createdRoot) folder.removeEmptyRoot();
  }

  private end(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  /** The folder, locked and made on first use. */
  private start(): OutputFolder {
    if (this.folder) return this.folder;
    const folder = new OutputFolder(resolve(this.outDir), "write", this.fs);
    this.createdRoot = folder.entry("").kind === "missing";
    this.release = this.lock();
    folder.ensureRoot();
    this.folder = folder;
    return folder;
  }

  /** The path relative to the root, `/`-separated, refused when it would leave the folder or something other than a file stands there. */
  private checked(folder: OutputFolder, path: string): string {
    const abs = safeOutputPath(folder.root, path);
    if (!abs) throw new OutputWriteError(`${folder.root}${sep}${path}`, "not a file name inside the output folder");
    const rel = relative(folder.root, abs).split(sep).join("/");
    const entry = folder.entry(rel);
    if (entry.kind === "folder") throw new OutputWriteError(abs, { code: "EISDIR" });
    if (entry.kind === "other") throw new OutputWriteError(abs, NOT_A_FILE);
    if (entry.kind === "blocked") throw new OutputWriteError(abs, { code: "ENOTDIR" });
    return rel;
  }
}

/** A file of another size differs without being read; one of the same size is read up to that size. */
function sameOnDisk(folder: OutputFolder, rel: string, bytes: Buffer): boolean {
  const entry = folder.entry(rel);
  if (entry.kind !== "file" || entry.size !== bytes.length) return false;
  const read = folder.read(rel, bytes.length);
  return read.kind === "bytes" && read.bytes.equals(bytes);
}

function parentOf(rel: string): string {
  const d = dirname(rel);
  return d === "." ? "" : d;
}
