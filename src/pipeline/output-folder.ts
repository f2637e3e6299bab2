/**
 * The output folder as rulecast may touch it: every path component below the root is looked at
 * with lstat and never followed when it is a symbolic link (the root itself may be one, because
 * the user named it). Files are read only when they are regular, with a size bound, and written
 * through a short temporary name in the same folder, then renamed over the old file. In a folder
 * this object made (empty, under the run's lock), a name it has not put a file at is known to be
 * free without an lstat; a rename replaces a link someone slipped in there, never follows it.
 *
 * A rules repository is untrusted: a committed link `out/sigma -> ../../elsewhere` or
 * `out/sigma/x.yml -> /proc/self/environ` would otherwise send writes, deletions or `--check`
 * diffs outside the folder.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import { isAbsolute, join, normalize, sep } from "node:path";
import { NOT_A_FILE, OutputError, OutputLinkError, OutputReadError, OutputWriteError } from "./output-errors.js";

/** The file-system calls rulecast makes on its output; tests pass copies that fail as a full disk does. */
export type OutputFs = Pick<
  typeof nodeFs,
  "lstatSync" | "mkdirSync" | "openSync" | "fstatSync" | "readSync" | "writeSync" | "writeFileSync" | "closeSync" | "renameSync" | "unlinkSync" | "readdirSync" | "rmdirSync" | "linkSync"
>;

export const NODE_FS: OutputFs = nodeFs;

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = nodeFs.constants;
// Windows has neither; there the lstat checks alone keep links out.
const O_NOFOLLOW = nodeFs.constants.O_NOFOLLOW ?? 0;
// A FIFO swapped in after the lstat must not block the open.
const O_NONBLOCK = nodeFs.constants.O_NONBLOCK ?? 0;

/**
 * A relative path whose every part is letters, digits, `_`, `.` and `-`, and none of them `.` or
 * `..`: joined to a normalized root it is the root, a separator and itself, so the path functions
 * (resolve, relative, join: several microseconds each, several times per output file) are not needed.
 */
const PLAIN_RELATIVE = /^(?!\.\.?(?:\/|$))[\w.-]+(?:\/(?!\.\.?(?:\/|$))[\w.-]+)*$/;

/** A temporary file is always new, and never opened through a link. */
const TEMP_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** `.rulecast-tmp-` and 12 hex digits: 26 bytes, whatever the length of the name it replaces. */
const TEMP_PREFIX = ".rulecast-tmp-";

/** Temporary files of a run that was killed (`x.yml.rulecast-tmp-<pid>` is the older form). */
export function isLeftoverTemp(name: string): boolean {
  return /\.rulecast-tmp-[0-9a-f]+$/.test(name);
}

export type Entry =
  | { readonly kind: "missing" }
  | { readonly kind: "file"; readonly size: number }
  | { readonly kind: "folder" }
  /** A FIFO, socket or device: never opened. */
  | { readonly kind: "other" }
  /** A file stands where a folder on the way should be. */
  | { readonly kind: "blocked"; readonly at: string };

/** A temporary file being written; `fd` is undefined once closed. */
export interface TempFile {
  readonly path: string;
  fd: number | undefined;
  /** Bytes appended so far. */
  size: number;
}

export type ReadResult = { readonly kind: "bytes"; readonly bytes: Buffer } | { readonly kind: "too-large"; readonly size: number };

export class OutputFolder {
  /** Folders below the root already seen to be real folders (not links). */
  private readonly folders = new Set<string>([""]);
  /** Folders below the root made by `write` or `openTemp`, in the order made. */
  private readonly created: string[] = [];
  /**
   * The folders of `created` (made empty by this object, under the run's lock), and the names in
   * them this object has put a file at. Anything else in such a folder is missing or one of this
   * object's temporary files, so `entry` answers without an lstat per output file.
   */
  private readonly madeEmpty = new Set<string>();
  private readonly placed = new Set<string>();
  /** Temporary names: one random part per folder object, then a count (one `randomBytes` per file cost ~1 % of a run). */
  private readonly tempBase = TEMP_PREFIX + randomBytes(6).toString("hex");
  private temps = 0;
  /** `root` and a separator, when the root is a normalized absolute path (what `resolve` gives) not ending in one. */
  private readonly rootSlash: string | undefined;

  constructor(
    readonly root: string,
    private readonly mode: "write" | "read",
    private readonly fs: OutputFs = NODE_FS,
  ) {
    this.rootSlash = isAbsolute(root) && normalize(root) === root && !root.endsWith(sep) ? root + sep : undefined;
  }

  /** `rel` (`/`-separated) when `path` is a plain relative path (PLAIN_RELATIVE) and the root a plain one; otherwise undefined, and the caller resolves it. */
  plainRel(path: string): string | undefined {
    return this.rootSlash !== undefined && PLAIN_RELATIVE.test(path) ? path : undefined;
  }

  /** The root exists as a folder (created when writing); it may be a link, since the user named it. */
  ensureRoot(): void {
    try {
      this.fs.mkdirSync(this.root, { recursive: true });
    } catch (e) {
      throw this.failure(this.root, e);
    }
  }

  abs(rel: string): string {
    if (rel === "") return this.root;
    if (this.rootSlash !== undefined && PLAIN_RELATIVE.test(rel)) return this.rootSlash + (sep === "/" ? rel : rel.split("/").join(sep));
    return join(this.root, ...rel.split("/"));
  }

  /** What stands at `rel` (`/`-separated), without following a link on the way or at the end. */
  entry(rel: string): Entry {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (this.folders.has(dir)) continue;
      const st = this.lstat(dir);
      if (st === undefined) return { kind: "missing" };
      if (!st.isDirectory()) return { kind: "blocked", at: dir };
      this.folders.add(dir);
    }
    if (this.madeEmpty.has(parentOf(rel)) && !this.folders.has(rel) && !this.placed.has(rel)) return { kind: "missing" };
    const st = this.lstat(rel);
    if (st === undefined) return { kind: "missing" };
    if (st.isFile()) return { kind: "file", size: st.size };
    if (st.isDirectory()) return { kind: "folder" };
    return { kind: "other" };
  }

  /**
   * The bytes of the regular file at `rel`, or its size when it holds more than `limit` bytes.
   * Opened without following a link and without blocking, and checked to be a regular file
   * again once open, so nothing swapped in after `entry` is read either.
   */
  read(rel: string, limit: number): ReadResult {
    const abs = this.abs(rel);
    const fd = this.openNoFollow(abs);
    try {
      const st = this.fs.fstatSync(fd);
      if (!st.isFile()) throw this.failure(abs, NOT_A_FILE);
      if (st.size > limit) return { kind: "too-large", size: st.size };
      // One byte more than the bound tells a file that grew since the fstat.
      const buf = Buffer.alloc(Math.min(st.size, limit) + 1);
      let n = 0;
      for (let got = -1; got !== 0 && n < buf.length; n += got) got = this.fs.readSync(fd, buf, n, buf.length - n, null);
      if (n > limit) return { kind: "too-large", size: n };
      return { kind: "bytes", bytes: buf.subarray(0, n) };
    } catch (e) {
      throw e instanceof OutputError ? e : this.failure(abs, e);
    } finally {
      this.fs.closeSync(fd);
    }
  }

  /** Opens `abs` for reading without following a link (a link there is OutputLinkError) and without blocking on a FIFO. */
  private openNoFollow(abs: string): number {
    try {
      return this.fs.openSync(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (e) {
      if ((e as { code?: string }).code === "ELOOP") throw new OutputLinkError(abs);
      throw this.failure(abs, e);
    }
  }

  /** Writes `bytes` to `rel` through a temporary file in the same folder; an interrupted write leaves the old file whole. */
  write(rel: string, bytes: Uint8Array): void {
    const abs = this.abs(rel);
    const slash = rel.lastIndexOf("/");
    const dir = slash === -1 ? "" : rel.slice(0, slash);
    this.ensureFolder(dir, abs);
    const tmp = join(this.abs(dir), this.tempName());
    let fd: number | undefined;
    try {
      fd = this.fs.openSync(tmp, TEMP_FLAGS, 0o666);
      for (let n = 0; n < bytes.length; ) n += this.fs.writeSync(fd, bytes, n, bytes.length - n);
      this.fs.closeSync(fd);
      fd = undefined;
      this.placed.add(rel);
      this.fs.renameSync(tmp, abs);
    } catch (e) {
      if (fd !== undefined) this.quietly(() => this.fs.closeSync(fd!));
      this.quietly(() => this.fs.unlinkSync(tmp));
      throw new OutputWriteError(abs, e);
    }
  }

  /**
   * `content` (text as UTF-8) in a new temporary file beside `rel` (its folders made as `write`
   * makes them), for `commitTemp` to rename over `rel` later; returns the temporary file's path.
   * One writeFileSync: node opens (same flags as `openTemp`), writes every byte and closes in one
   * call, for text without a Buffer made first (three calls and a Buffer per output file cost
   * ~100 ms of a SigmaHQ conversion's main thread). A failed write is closed by node; the
   * temporary file is removed here.
   */
  writeTemp(rel: string, content: string | Uint8Array): string {
    const { abs, tmp } = this.tempBeside(rel);
    try {
      // Node takes numeric open flags here (its typings say string only). Its one-call path needs
      // the encoding named: an options object without one is not merged with the default.
      this.fs.writeFileSync(tmp, content, { encoding: "utf8", flag: TEMP_FLAGS as unknown as string, mode: 0o666 });
    } catch (e) {
      this.quietly(() => this.fs.unlinkSync(tmp));
      throw new OutputWriteError(abs, e);
    }
    return tmp;
  }

  /** A new temporary file beside `rel`, open for appending (`appendTemp`, then `closeTemp`). */
  openTemp(rel: string): TempFile {
    const { abs, tmp } = this.tempBeside(rel);
    try {
      return { path: tmp, fd: this.fs.openSync(tmp, TEMP_FLAGS, 0o666), size: 0 };
    } catch (e) {
      this.quietly(() => this.fs.unlinkSync(tmp));
      throw new OutputWriteError(abs, e);
    }
  }

  /** `rel`'s path and a new temporary name in its folder, the folders on the way made. */
  private tempBeside(rel: string): { readonly abs: string; readonly tmp: string } {
    const abs = this.abs(rel);
    const slash = rel.lastIndexOf("/");
    const dir = slash === -1 ? "" : rel.slice(0, slash);
    this.ensureFolder(dir, abs);
    const name = this.tempName();
    return { abs, tmp: this.abs(dir === "" ? name : `${dir}/${name}`) };
  }

  private tempName(): string {
    return this.tempBase + (this.temps++).toString(16).padStart(6, "0");
  }

  /** Failures name `rel`, the file the temporary one stands for. */
  appendTemp(t: TempFile, rel: string, bytes: Uint8Array): void {
    try {
      for (let n = 0; n < bytes.length; ) n += this.fs.writeSync(t.fd!, bytes, n, bytes.length - n);
      t.size += bytes.length;
    } catch (e) {
      throw new OutputWriteError(this.abs(rel), e);
    }
  }

  /**
   * Whether the regular file at `rel` holds what the closed temporary file `t` holds, compared a
   * block at a time (a bundle is never read whole); false when another kind of entry is there.
   */
  sameAsTemp(rel: string, t: TempFile): boolean {
    const e = this.entry(rel);
    if (e.kind !== "file" || e.size !== t.size) return false;
    const abs = this.abs(rel);
    const BLOCK = 1 << 16;
    let a: number | undefined;
    let b: number | undefined;
    try {
      a = this.fs.openSync(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
      if (!this.fs.fstatSync(a).isFile()) return false;
      b = this.fs.openSync(t.path, O_RDONLY | O_NOFOLLOW);
      const x = Buffer.alloc(BLOCK);
      const y = Buffer.alloc(BLOCK);
      for (;;) {
        const n = readFull(this.fs, a, x);
        const m = readFull(this.fs, b, y);
        if (n !== m || !x.subarray(0, n).equals(y.subarray(0, m))) return false;
        if (n < BLOCK) return true;
      }
    } catch (e) {
      if ((e as { code?: string }).code === "ELOOP") throw new OutputLinkError(abs);
      throw e instanceof OutputError ? e : this.failure(abs, e);
    } finally {
      if (a !== undefined) this.quietly(() => this.fs.closeSync(a!));
      if (b !== undefined) this.quietly(() => this.fs.closeSync(b!));
    }
  }

  closeTemp(t: TempFile, rel: string): void {
    const fd = t.fd;
    t.fd = undefined;
    if (fd === undefined) return;
    try {
      this.fs.closeSync(fd);
    } catch (e) {
      throw new OutputWriteError(this.abs(rel), e);
    }
  }

  /** Renames a closed temporary file over `rel`. */
  commitTemp(tmp: string, rel: string): void {
    this.placed.add(rel);
    try {
      this.fs.renameSync(tmp, this.abs(rel));
    } catch (e) {
      this.quietly(() => this.fs.unlinkSync(tmp));
      throw new OutputWriteError(this.abs(rel), e);
    }
  }

  /** Closes and removes a temporary file; cleanup never hides the failure that caused it. */
  discardTemp(t: TempFile | string): void {
    if (typeof t !== "string" && t.fd !== undefined) {
      const fd = t.fd;
      t.fd = undefined;
      this.quietly(() => this.fs.closeSync(fd));
    }
    const path = typeof t === "string" ? t : t.path;
    this.quietly(() => this.fs.unlinkSync(path));
  }

  /** Folders this object made, deepest first, removed when empty (a run that writes nothing leaves none). */
  removeCreatedFolders(): void {
    for (const dir of [...this.created].reverse()) this.quietly(() => this.fs.rmdirSync(this.abs(dir)));
    this.created.length = 0;
    this.madeEmpty.clear();
  }

  /** The regular file at `rel`, open for reading (never through a link), or undefined when none is there. */
  openRead(rel: string): { readonly fd: number; readonly size: number } | undefined {
    if (this.entry(rel).kind !== "file") return undefined;
    const abs = this.abs(rel);
    const fd = this.openNoFollow(abs);
    const st = this.fs.fstatSync(fd);
    if (st.isFile()) return { fd, size: st.size };
    this.quietly(() => this.fs.closeSync(fd));
    return undefined;
  }

  /** Fills `buf` from `fd` at `position` as far as the file goes; the number of bytes read. */
  readAt(fd: number, buf: Buffer, position: number, rel: string): number {
    let n = 0;
    try {
      for (let got = -1; got !== 0 && n < buf.length; n += got) got = this.fs.readSync(fd, buf, n, buf.length - n, position + n);
    } catch (e) {
      throw this.failure(this.abs(rel), e);
    }
    return n;
  }

  closeRead(fd: number): void {
    this.quietly(() => this.fs.closeSync(fd));
  }

  /** The root, when it is an empty folder (a run that made it and wrote nothing). */
  removeEmptyRoot(): void {
    this.quietly(() => this.fs.rmdirSync(this.root));
  }

  remove(rel: string): void {
    const abs = this.abs(rel);
    try {
      this.fs.unlinkSync(abs);
    } catch (e) {
      throw new OutputWriteError(abs, e, "remove");
    }
  }

  /**
   * Regular files under the folder `rel`, recursively, `/`-separated and sorted; a link anywhere
   * in it is refused, before anything is written or removed.
   */
  filesUnder(rel: string): string[] {
    const e = this.entry(rel);
    if (e.kind !== "folder") return [];
    const out: string[] = [];
    for (const d of this.list(rel)) {
      const child = `${rel}/${d.name}`;
      if (d.isSymbolicLink()) throw new OutputLinkError(this.abs(child));
      if (d.isDirectory()) {
        this.folders.add(child);
        out.push(...this.filesUnder(child));
      } else if (d.isFile()) out.push(child);
    }
    return out.sort();
  }

  /** Names of the regular files directly in the folder `rel` (which `entry` has found to be one). */
  filesIn(rel: string): string[] {
    return this.list(rel)
      .filter((d) => d.isFile())
      .map((d) => d.name)
      .sort();
  }

  private list(rel: string): nodeFs.Dirent[] {
    try {
      return this.fs.readdirSync(this.abs(rel), { withFileTypes: true });
    } catch (e) {
      throw this.failure(this.abs(rel), e);
    }
  }

  /** Creates the folders on the way to a file, one at a time, each checked to be a folder and not a link. */
  private ensureFolder(dir: string, file: string): void {
    if (this.folders.has(dir)) return;
    const slash = dir.lastIndexOf("/");
    this.ensureFolder(slash === -1 ? "" : dir.slice(0, slash), file);
    const abs = this.abs(dir);
    let st = this.lstat(dir);
    if (st === undefined) {
      try {
        this.fs.mkdirSync(abs);
        this.created.push(dir);
        this.madeEmpty.add(dir);
      } catch (e) {
        if ((e as { code?: string }).code !== "EEXIST") throw new OutputWriteError(file, e);
      }
      st = this.lstat(dir);
    }
    if (!st?.isDirectory()) throw new OutputWriteError(file, { code: "ENOTDIR" });
    this.folders.add(dir);
  }

  /** The entry itself, never a link's target; undefined when nothing is there. */
  private lstat(rel: string): nodeFs.Stats | undefined {
    const abs = this.abs(rel);
    let st: nodeFs.Stats | undefined;
    try {
      // Without an error made (and its stack captured) for every name not there yet: most are not.
      st = this.fs.lstatSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      const code = (e as { code?: string }).code;
      // ENOTDIR: a file stands above it (the root, when only reading): nothing is there either.
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw this.failure(abs, e);
    }
    if (st === undefined) return undefined;
    if (st.isSymbolicLink()) throw new OutputLinkError(abs);
    return st;
  }

  private failure(path: string, cause: unknown): Error {
    return this.mode === "write" ? new OutputWriteError(path, cause) : new OutputReadError(path, cause);
  }

  /** Cleanup after a failure must not hide the failure that caused it. */
  private quietly(f: () => void): void {
    try {
      f();
    } catch {
      // the temporary file was never created, or its descriptor is already closed
    }
  }
}

/** The folder `rel` is in (`""`: the root). */
function parentOf(rel: string): string {
  const slash = rel.lastIndexOf("/");
  return slash === -1 ? "" : rel.slice(0, slash);
}

/** Reads until `buf` is full or the file ends; the number of bytes read. */
function readFull(fs: OutputFs, fd: number, buf: Buffer): number {
  let n = 0;
  for (let got = -1; got !== 0 && n < buf.length; n += got) got = fs.readSync(fd, buf, n, buf.length - n, null);
  return n;
}
