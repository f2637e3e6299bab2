/**
 * Every file rulecast reads from a user (rules, stdin, config, templates, events) comes through
 * here: read with a byte bound, and only when it is a regular file. A device (`/dev/zero`), a FIFO
 * or a socket has no end a reader can trust, and a /proc file reports size 0, so the bound is
 * enforced on the bytes actually read, never on what `stat` says.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly problem: ReadProblem };

export type ReadProblem =
  /** More bytes than the bound; `size` when the file said how many (a regular file). */
  | { readonly kind: "too-large"; readonly limit: number; readonly size?: number }
  | { readonly kind: "is-a-folder" }
  | { readonly kind: "not-a-file" }
  | { readonly kind: "missing" }
  | { readonly kind: "unreadable"; readonly reason: string };

const FIRST_CHUNK = 64 * 1024;

/**
 * The bytes of the regular file at `path`, at most `limit` of them. The file is opened without
 * blocking (a FIFO with no writer would otherwise hang the open) and checked on the open handle,
 * so it cannot be swapped for a device between a check and the read.
 */
export function readFileBounded(path: string, limit: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, problem: openProblem(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, problem: { kind: "is-a-folder" } };
    if (!st.isFile()) return { ok: false, problem: { kind: "not-a-file" } };
    if (st.size > limit) return { ok: false, problem: { kind: "too-large", limit, size: st.size } };
    return readUpTo(fd, limit, st.size);
  } catch (e) {
    return { ok: false, problem: { kind: "unreadable", reason: errorCode(e) } };
  } finally {
    closeSync(fd);
  }
}

/**
 * At most `limit` bytes from an open descriptor of any kind (stdin: a pipe, a terminal, a file, or
 * `/dev/zero`): reading stops one byte past the bound, so an endless source costs `limit` bytes.
 */
export function readFdBounded(fd: number, limit: number): BoundedRead {
  try {
    return readUpTo(fd, limit, 0);
  } catch (e) {
    return { ok: false, problem: { kind: "unreadable", reason: errorCode(e) } };
  }
}

/**
 * `sizeHint` (a regular file's stat size) only sizes the first buffer; the read goes to EOF. A
 * file that says its size gets that many bytes and one more (to see it end, or grow): a 64 KiB
 * buffer for every rule file of a few KiB was 400 MB of short-lived memory for SigmaHQ (each
 * file is read twice), which the collector paid for. A size of 0 (stdin, /proc) says nothing.
 * A regular file that said its size has ended when a read gives fewer bytes than asked for (as
 * node's readFileSync takes it): asking again only to be told 0 was one read call per input file
 * more. A pipe or a size-0 file is read until a read gives 0 bytes.
 */
function readUpTo(fd: number, limit: number, sizeHint: number): BoundedRead {
  let buf = Buffer.allocUnsafe(Math.min(limit + 1, sizeHint > 0 ? sizeHint + 1 : FIRST_CHUNK));
  let total = 0;
  for (;;) {
    if (total === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, total);
      buf = bigger;
    }
    const asked = buf.length - total;
    const n = readRetrying(fd, buf, total);
    if (n === 0) break;
    total += n;
    if (total > limit) return { ok: false, problem: { kind: "too-large", limit } };
    if (sizeHint > 0 && n < asked) break;
  }
  return { ok: true, bytes: buf.subarray(0, total) };
}

/** A non-blocking stdin answers EAGAIN while its writer is still busy: wait a little and retry. */
function readRetrying(fd: number, buf: Buffer, at: number): number {
  for (;;) {
    try {
      return readSync(fd, buf, at, buf.length - at, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function openProblem(e: unknown): ReadProblem {
  switch ((e as NodeJS.ErrnoException).code) {
    case "ENOENT":
    case "ENOTDIR":
      return { kind: "missing" };
    case "EISDIR":
      return { kind: "is-a-folder" };
    default:
      return { kind: "unreadable", reason: errorCode(e) };
  }
}

function errorCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many symbolic links";
    case "ENXIO":
      return "no device or reader behind it";
    case undefined:
      return err.message ?? String(e);
    default:
      return err.code;
  }
}

/** `64 MiB`, `1.5 KiB`, `12 bytes`: a bound or a size as a user reads it. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}

/** The problem as the end of a sentence that starts with the file's name. */
export function describeProblem(p: ReadProblem, limitName: string): string {
  switch (p.kind) {
    case "too-large": {
      if (p.size === undefined) return `holds more than the ${formatBytes(p.limit)} limit (${limitName})`;
      // Rounded, a size just over the limit would read as the limit itself: then both in bytes.
      const [size, limit] = formatBytes(p.size) === formatBytes(p.limit) ? [`${p.size} bytes`, `${p.limit}-byte`] : [formatBytes(p.size), formatBytes(p.limit)];
      return `is ${size}, over the ${limit} limit (${limitName})`;
    }
    case "is-a-folder":
      return "is a folder, not a file";
    case "not-a-file":
      return "is not a regular file (a device, FIFO or socket): refusing to read it";
    case "missing":
      return "does not exist";
    case "unreadable":
      return `cannot be read (${p.reason})`;
  }
}
