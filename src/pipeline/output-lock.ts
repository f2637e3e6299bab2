/**
 * One writing run at a time per output folder. Two runs into one folder would interleave: one
 * run's stale cleanup deletes the other's temporary files, and the folder ends as a mix of both.
 * A run takes `<out>/.rulecast.lock`, created exclusively (O_EXCL) and holding its pid, host name
 * and start time; a second run waits for it, bounded, then refuses. A lock whose process is gone
 * (same host, pid not running, or written before the machine booted) was left by a killed run and
 * is taken over.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { hostname, uptime } from "node:os";
import { join } from "node:path";
import { NOT_A_FILE, OutputError, OutputWriteError, printablePath } from "./output-errors.js";
import { NODE_FS, OutputFolder, type OutputFs } from "./output-folder.js";

export const LOCK_NAME = ".rulecast.lock";

/** Another run holds the folder and did not let go in time. */
export class OutputLockedError extends OutputError {}

export interface LockOptions {
  /** How long to wait for another run, in milliseconds; 0 refuses at once. */
  readonly waitMs: number;
  /** Called once, when the folder is found taken and the run starts to wait. */
  readonly onWait?: (holder: string) => void;
  readonly fs?: OutputFs;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

const POLL_MS = 100;
/** Marks the lock record's temporary file as a leftover (output-folder.ts isLeftoverTemp). */
const TEMP_MARK = "rulecast-tmp-";
/** A lock file is a few dozen bytes; anything longer is not one of ours. */
const MAX_LOCK_BYTES = 4096;

/** Takes the lock on `outDir` (created if missing) and returns the function that releases it. */
export function lockOutput(outDir: string, options: LockOptions): () => void {
  const fs = options.fs ?? NODE_FS;
  const folder = new OutputFolder(outDir, "write", fs);
  folder.ensureRoot();
  const path = join(outDir, LOCK_NAME);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  const record = Buffer.from(JSON.stringify(me) + "\n");
  const deadline = Date.now() + options.waitMs;
  let waiting = false;
  for (;;) {
    if (tryCreate(fs, path, record, me.token)) {
      removeLeftoverRecords(fs, outDir);
      return () => release(folder, fs, path, record);
    }
    const seen = readLock(folder);
    if (seen === undefined) continue; // released between our attempt and the read
    const holder = parseHolder(seen);
    if (holder && isStale(holder)) {
      // Only the lock judged stale is removed: a run that took it over meanwhile keeps its own.
      if (readLock(folder)?.equals(seen)) removeLock(fs, path);
      continue;
    }
    const left = deadline - Date.now();
    const who = holder ? `pid ${holder.pid} on ${printablePath(holder.host)}, since ${printablePath(holder.since)}` : "a run that did not say who it is";
    if (left <= 0) {
      throw new OutputLockedError(
        `another rulecast run is writing ${printablePath(outDir)} (${who}); gave up after ${Math.round(options.waitMs / 1000)} s (RULECAST_LOCK_WAIT). If no run is active, remove ${printablePath(path)}`,
      );
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(`waiting for another rulecast run writing ${printablePath(outDir)} (${who})`);
    }
    sleep(Math.min(POLL_MS, left));
  }
}

/**
 * Puts the lock file in place with our record whole; false when it exists already. The record is
 * written to a file of our own first and then linked to the lock's name, which fails if the name
 * is taken: a run killed halfway leaves no empty lock that would never be judged stale, only a
 * temporary file that the next run to take the lock removes.
 */
function tryCreate(fs: OutputFs, path: string, record: Buffer, token: string): boolean {
  const tmp = `${path}.${TEMP_MARK}${token}`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
  } catch (e) {
    throw new OutputWriteError(tmp, e);
  }
  try {
    try {
      for (let n = 0; n < record.length; ) n += fs.writeSync(fd, record, n, record.length - n);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // ENOENT: another run cleared our temporary file as a leftover; try again.
      if (code === "EEXIST" || code === "ENOENT") return false;
      throw new OutputWriteError(path, e);
    }
    return true;
  } catch (e) {
    throw e instanceof OutputWriteError ? e : new OutputWriteError(tmp, e);
  } finally {
    removeLock(fs, tmp);
  }
}

/** Lock records of runs killed between writing and linking them (ours is removed as we go). */
function removeLeftoverRecords(fs: OutputFs, outDir: string): void {
  for (const name of fs.readdirSync(outDir)) {
    if (name.startsWith(`${LOCK_NAME}.${TEMP_MARK}`)) removeLock(fs, join(outDir, name));
  }
}

function removeLock(fs: OutputFs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT") throw new OutputWriteError(path, e, "remove");
  }
}

/** The lock file's bytes; undefined when it is gone. A link or a folder there is refused. */
function readLock(folder: OutputFolder): Buffer | undefined {
  const entry = folder.entry(LOCK_NAME);
  if (entry.kind === "missing") return undefined;
  if (entry.kind !== "file") throw new OutputWriteError(folder.abs(LOCK_NAME), entry.kind === "folder" ? { code: "EISDIR" } : NOT_A_FILE);
  const r = folder.read(LOCK_NAME, MAX_LOCK_BYTES);
  return r.kind === "bytes" ? r.bytes : Buffer.from("(too large)");
}

function release(folder: OutputFolder, fs: OutputFs, path: string, record: Buffer): void {
  try {
    if (readLock(folder)?.equals(record)) fs.unlinkSync(path);
  } catch {
    // a lock left behind names our pid, which is gone once we exit: the next run takes it over
  }
}

/** Our record, or undefined (a file still being written, or not ours). */
function parseHolder(bytes: Buffer): Holder | undefined {
  try {
    const v = JSON.parse(bytes.toString("utf8")) as Partial<Holder>;
    return Number.isSafeInteger(v.pid) && typeof v.host === "string" && typeof v.since === "string" && typeof v.token === "string" ? (v as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** The holder's process is gone. A lock from another host cannot be judged and is never stale. */
function isStale(h: Holder): boolean {
  if (h.host !== hostname()) return false;
  // Written before this machine booted (a minute's slack for clock adjustments).
  if (Date.parse(h.since) < Date.now() - uptime() * 1000 - 60_000) return true;
  // Our own pid, yet we do not hold it: a run from before a restart (containers reuse pids).
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "ESRCH";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
