/**
 * The CLI's only contact with the process: streams and exit codes. Commands get an `Io` so that
 * tests can run them in-process as well as through the built binary.
 */
import { formatDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { BoundedRead } from "../input/read-bounded.js";

export const EXIT_OK = 0;
/** Some rules failed or had findings at the chosen level. */
export const EXIT_FINDINGS = 1;
/** Bad usage or configuration. */
export const EXIT_USAGE = 2;

export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
  readonly stdinIsTty: boolean;
  readonly stderrIsTty: boolean;
  /** Standard input, for the path `-`: at most `maxBytes` of it are read (an endless source stops there). */
  readStdin?(maxBytes: number): BoundedRead;
}

/** One line per problem on stderr; info lines only with --verbose. */
export function printDiagnostics(io: Io, ds: readonly Diagnostic[], verbose: boolean): void {
  for (const d of ds) {
    if (d.severity === "info" && !verbose) continue;
    io.err(formatDiagnostic(d) + "\n");
  }
}

/** A usage or configuration problem: the CLI exits 2 with this message and no stack trace. */
export class UsageError extends Error {}
