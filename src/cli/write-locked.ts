/**
 * Writing into a folder the user named with `--out`, holding its lock (output-lock.ts) so that
 * two runs never interleave there: a second run waits up to `RULECAST_LOCK_WAIT` seconds
 * (default 60; 0 refuses at once), saying so on stderr, then refuses with exit 2.
 */
import { lockOutput } from "../pipeline/output-lock.js";
import { writeOutput, type FileToWrite, type WriteOptions, type WriteReport } from "../pipeline/write-output.js";
import { UsageError, type Io } from "./io.js";

const DEFAULT_LOCK_WAIT_S = 60;

/** Under the lock, temporary files in the folders written are a killed run's leftovers and are removed. */
export function writeLocked(io: Io, outDir: string, files: readonly FileToWrite[], options: Omit<WriteOptions, "removeLeftovers"> = {}): WriteReport {
  const release = lockOutput(outDir, { waitMs: lockWaitMs(io), onWait: (what) => io.err(`rulecast: ${what}\n`), ...(options.fs ? { fs: options.fs } : {}) });
  try {
    return writeOutput(outDir, files, { ...options, removeLeftovers: true });
  } finally {
    release();
  }
}

/** Takes the lock on `outDir` as `writeLocked` does (waiting, saying so); returns its release. */
export function lockFor(io: Io, outDir: string): () => () => void {
  return () => lockOutput(outDir, { waitMs: lockWaitMs(io), onWait: (what) => io.err(`rulecast: ${what}\n`) });
}

function lockWaitMs(io: Io): number {
  const raw = io.env["RULECAST_LOCK_WAIT"]?.trim();
  if (raw === undefined || raw === "") return DEFAULT_LOCK_WAIT_S * 1000;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new UsageError(`RULECAST_LOCK_WAIT: \`${raw}\` is not a number of seconds`);
  return Math.round(Number(raw) * 1000);
}
