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
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { OutputWriteError, NOT_A_FILE } from "./output-errors.js";
import { isLeftoverTemp, OutputFolder, type Entry, type OutputFs, type TempFile } from "./output-folder.js";
import { blockAppender, type Appender, type OutputSink } from "./output-sink.js";
import { safeOutputPath, type FileToWrite, type WriteOptions, type WriteReport } from "./write-output.js";

/** Bytes copied at a time from a file on disk into a temporary one. */
const COPY_BLOCK = 1 << 16;

export type CommitOptions = Pick<WriteOptions, "managedDirs" | "removeStale" | "ownership">;

export class StagedOutput implements OutputSink {
  private folder: OutputFolder | undefined;
  private release: (() => void) | undefined;
  private createdRoot = false;
  /** Final path (relative, `/`) → its temporary file, in the order made. */
  private readonly staged = new Map<string, string>();
  private readonly unchanged = new Set<string>();
  private readonly appending = new Set<TempFile>();
  /** Files on disk being compared with a bundle as it is appended. */
  private readonly reading = new Set<number>();
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
    const { rel, entry } = this.checkedEntry(folder, f.path);
    this.written.push({ path: f.path, content: "", ...(f.source !== undefined ? { source: f.source } : {}) });
    // Nothing there to compare with: the text goes to its temporary file as it is.
    if (entry.kind === "missing") {
      this.staged.set(rel, folder.writeTemp(rel, f.content));
      return;
    }
    const bytes = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : Buffer.from(f.content);
    if (sameOnDisk(folder, rel, bytes, entry)) this.unchanged.add(rel);
    else this.staged.set(rel, folder.writeTemp(rel, bytes));
  }

  /**
   * A file appended a piece at a time. While what is appended matches the file on disk nothing is
   * written (a rerun rewrites no bundle); at the first difference a temporary file is made, the
   * matching part copied into it, and appending goes on there.
   */
  open(path: string): Appender {
    const folder = this.start();
    const rel = this.checked(folder, path);
    let old = folder.openRead(rel);
    if (old) this.reading.add(old.fd);
    let matched = 0;
    let t: TempFile | undefined;
    const closeOld = () => {
      if (old) {
        folder.closeRead(old.fd);
        this.reading.delete(old.fd);
      }
      old = undefined;
    };
    const diverge = (): TempFile => {
      const temp = folder.openTemp(rel);
      this.appending.add(temp);
      if (old) {
        const buf = Buffer.alloc(Math.min(matched, COPY_BLOCK));
        for (let at = 0; at < matched; ) {
          const n = folder.readAt(old.fd, buf.subarray(0, Math.min(buf.length, matched - at)), at, rel);
          if (n === 0) break;
          folder.appendTemp(temp, rel, buf.subarray(0, n));
          at += n;
        }
      }
      closeOld();
      return temp;
    };
    return blockAppender(
      (text) => {
        const bytes = Buffer.from(text, "utf8");
        if (!t && old) {
          const buf = Buffer.alloc(bytes.length);
          if (folder.readAt(old.fd, buf, matched, rel) === bytes.length && buf.equals(bytes)) {
            matched += bytes.length;
            return;
          }
        }
        t ??= diverge();
        folder.appendTemp(t, rel, bytes);
      },
      (final) => {
        if (final === undefined) {
          closeOld();
          if (t) {
            folder.discardTemp(t);
            this.appending.delete(t);
          }
          return;
        }
        const finalRel = this.checked(folder, final);
        if (finalRel !== rel) {
          // Named otherwise than opened (a rule's file took the name): written whole under the new name.
          t ??= diverge();
        }
        this.written.push({ path: final, content: "" });
        if (!t && old && old.size === matched) {
          closeOld();
          this.unchanged.add(finalRel);
          return;
        }
        t ??= diverge();
        if (dirname(finalRel) !== dirname(rel)) throw new Error(`${final} is not in the folder of ${path}`);
        folder.closeTemp(t, finalRel);
        this.appending.delete(t);
        this.staged.set(finalRel, t.path);
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

  /**
   * Renames every staged file over its old one, removes stale files, writes the ownership's files
   * last (bundles that keep other runs' rules, each in place of this run's file of its path, then
   * the manifest); releases the lock.
   */
  commit(options: CommitOptions = {}): WriteReport {
    const folder = this.start();
    const report: WriteReport = { written: [], unchanged: [], removed: [] };
    const owned = options.ownership?.(folder);
    const last = (owned?.files ?? []).map((f) => {
      const rel = this.checked(folder, f.path);
      const bytes = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : Buffer.from(f.content);
      return { path: f.path, rel, bytes, same: sameOnDisk(folder, rel, bytes) };
    });
    for (const l of last) {
      const tmp = this.staged.get(l.rel);
      if (tmp !== undefined) folder.discardTemp(tmp);
      this.staged.delete(l.rel);
      this.unchanged.delete(l.rel);
    }
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
    for (const fd of this.reading) folder.closeRead(fd);
    this.reading.clear();
    for (const tmp of this.staged.values()) folder.discardTemp(tmp);
    this.staged.clear();
    folder.removeCreatedFolders();
    this.end();
  }

  /** The run decided to write nothing: as `discard`, and the output folder goes too when this run made it. */
  abandon(): void {
    this.discard();
    if (this.createdRoot) this.folder?.removeEmptyRoot();
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
    // The root may be a link (the user named it): only whether something is there matters.
    this.createdRoot = !existsSync(folder.root);
    this.release = this.lock();
    folder.ensureRoot();
    this.folder = folder;
    return folder;
  }

  /** The path relative to the root, `/`-separated, refused when it would leave the folder or something other than a file stands there. */
  private checked(folder: OutputFolder, path: string): string {
    return this.checkedEntry(folder, path).rel;
  }

  /** `checked`, with what stands there now (one lstat serves both the check and sameOnDisk). */
  private checkedEntry(folder: OutputFolder, path: string): { readonly rel: string; readonly entry: Entry } {
    let rel = folder.plainRel(path);
    if (rel === undefined) {
      const abs = safeOutputPath(folder.root, path);
      if (!abs) throw new OutputWriteError(`${folder.root}${sep}${path}`, "not a file name inside the output folder");
      rel = relative(folder.root, abs).split(sep).join("/");
    }
    const entry = folder.entry(rel);
    if (entry.kind === "folder") throw new OutputWriteError(folder.abs(rel), { code: "EISDIR" });
    if (entry.kind === "other") throw new OutputWriteError(folder.abs(rel), NOT_A_FILE);
    if (entry.kind === "blocked") throw new OutputWriteError(folder.abs(rel), { code: "ENOTDIR" });
    return { rel, entry };
  }
}

/** A file of another size differs without being read; one of the same size is read up to that size. */
function sameOnDisk(folder: OutputFolder, rel: string, bytes: Buffer, entry: Entry = folder.entry(rel)): boolean {
  if (entry.kind !== "file" || entry.size !== bytes.length) return false;
  const read = folder.read(rel, bytes.length);
  return read.kind === "bytes" && read.bytes.equals(bytes);
}

function parentOf(rel: string): string {
  const d = dirname(rel);
  return d === "." ? "" : d;
}
