/**
 * `--check` as a sink (pipeline/output-sink.ts): each file a fresh conversion makes is compared
 * with the one on disk as soon as it is made, and only what differs is kept (its message and
 * unified diff), to be printed in output order once the run's diagnostics are out. Bundles are
 * spooled to a private temporary folder and compared a block at a time.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { oneLine, safeLines, shownPath } from "../diagnostics/display-text.js";
import { isLeftoverTemp, OutputFolder, type TempFile } from "../pipeline/output-folder.js";
import { blockAppender, type Appender, type OutputSink } from "../pipeline/output-sink.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import { EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import type { Ownership } from "./output-ownership.js";

/** Beyond this an output file on disk is not read for a diff (a stale rules.ndjson of a big repository fits). */
const MAX_CHECK_BYTES = 64 * 1024 * 1024;

interface Finding {
  readonly path: string;
  readonly err: string;
  readonly out?: string;
}

export class CheckedOutput implements OutputSink {
  readonly folder: OutputFolder;
  /** Every file a write would make, with its rule file (what the manifest records). */
  readonly written: FileToWrite[] = [];
  private readonly findings: Finding[] = [];
  private readonly binary: Finding[] = [];
  private spoolDir: string | undefined;
  private readonly spooled = new Map<string, string>();
  private spools = 0;

  constructor(
    private readonly outDir: string,
    private readonly io: Io,
  ) {
    this.folder = new OutputFolder(resolve(io.cwd, outDir), "read");
  }

  put(f: FileToWrite): void {
    // A link anywhere is refused (a throw) before the first diff is printed.
    this.folder.entry(f.path);
    this.written.push({ path: f.path, content: "", ...(f.source !== undefined ? { source: f.source } : {}) });
    if (typeof f.content !== "string") {
      const old = this.folder.entry(f.path).kind === "file" ? this.folder.read(f.path, f.content.length) : undefined;
      if (old?.kind !== "bytes" || !old.bytes.equals(f.content)) this.binary.push({ path: f.path, err: `${shownPath(join(this.outDir, f.path))}: differs from a fresh conversion (binary)\n` });
      return;
    }
    this.compare(f.path, f.content);
  }

  open(path: string): Appender {
    this.folder.entry(path);
    this.spoolDir ??= mkdtempSync(join(tmpdir(), "rulecast-check-"));
    const spool = join(this.spoolDir, String(this.spools++));
    writeFileSync(spool, "");
    let size = 0;
    return blockAppender(
      (text) => {
        appendFileSync(spool, text);
        size += Buffer.byteLength(text);
      },
      (final) => {
        if (final === undefined) return;
        this.folder.entry(final);
        this.spooled.set(final, spool);
        this.written.push({ path: final, content: "" });
        const t: TempFile = { path: spool, fd: undefined, size };
        if (this.folder.sameAsTemp(final, t)) return;
        this.compare(final, readFileSync(spool, "utf8"));
      },
    );
  }

  contentOf(path: string): string {
    const spool = this.spooled.get(path);
    return spool !== undefined ? readFileSync(spool, "utf8") : "";
  }

  discard(): void {
    if (this.spoolDir) rmSync(this.spoolDir, { recursive: true, force: true });
    this.spoolDir = undefined;
  }

  /**
   * Prints what differs, then the manifest's difference and stale files; the exit code. The
   * ownership's bundles that keep other runs' rules are compared in place of this run's own.
   */
  finish(ownership: Ownership, managedDirs: readonly string[]): number {
    const replaced = new Set(ownership.replacing.map((f) => f.path));
    const keep = (f: Finding) => !replaced.has(f.path);
    this.findings.splice(0, this.findings.length, ...this.findings.filter(keep));
    this.binary.splice(0, this.binary.length, ...this.binary.filter(keep));
    for (const f of ownership.replacing) this.put(f);
    this.compare(ownership.file.path, ownership.file.content);
    // A file a fresh conversion would not write (its rule was deleted) is drift too: a write would remove it.
    const fresh = new Set([...this.written.map((f) => f.path), ownership.file.path]);
    const stale: Finding[] = [];
    for (const dir of managedDirs) {
      for (const rel of this.folder.filesUnder(dir)) {
        if (fresh.has(rel) || isLeftoverTemp(rel.slice(rel.lastIndexOf("/") + 1)) || !ownership.removable(rel)) continue;
        stale.push({ path: rel, err: `${shownPath(join(this.outDir, rel))}: not written by a fresh conversion (its rule is gone or no longer converts); a run without --check removes it\n` });
      }
    }
    const all = [...this.findings, ...stale, ...this.binary];
    for (const f of all) {
      this.io.err(f.err);
      if (f.out !== undefined) this.io.out(f.out);
    }
    this.discard();
    return all.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  }

  private compare(path: string, content: string): void {
    const old = readForCheck(this.folder, path);
    if (typeof old === "string" && old === content) return;
    const shown = join(this.outDir, path);
    if (typeof old === "string") {
      this.findings.push({
        path,
        err: `${shownPath(shown)}: differs from a fresh conversion\n`,
        out: safeLines(createTwoFilesPatch(shown, `${shown} (regenerated)`, old, content, "", "", { context: 3 })),
      });
    } else this.findings.push({ path, err: `${shownPath(shown)}: differs from a fresh conversion (${oneLine(old.why)})\n` });
  }
}

/**
 * What `--check` compares with: the text of a regular file (missing reads as empty), or why
 * there is nothing to compare. Links below the output folder are refused (output-folder.ts).
 */
function readForCheck(folder: OutputFolder, rel: string): string | { why: string } {
  const entry = folder.entry(rel);
  switch (entry.kind) {
    case "missing":
    case "blocked":
      return "";
    case "folder":
      return { why: "a folder stands where the file should be" };
    case "other":
      return { why: "something other than a regular file stands there; not read" };
    case "file": {
      const r = folder.read(rel, MAX_CHECK_BYTES);
      return r.kind === "bytes" ? r.bytes.toString("utf8") : { why: `${r.size} bytes on disk, too large to show a diff` };
    }
  }
}
