#!/usr/bin/env node
/**
 * The rulecast command line. The only module that touches `process`: it wires yargs to the
 * commands, prints one line per problem, and maps outcomes to exit codes (0 ok, 1 rule failures,
 * 2 usage or configuration). Stack traces only with --verbose.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { whyFailed } from "../pipeline/output-errors.js";
import { oneLine } from "../diagnostics/display-text.js";
import { readFdBounded } from "../input/read-bounded.js";
import { runCli } from "./run-cli.js";

const io = {
  cwd: process.cwd(),
  env: process.env,
  out: (t: string) => void process.stdout.write(t),
  err: (t: string) => void process.stderr.write(t),
  stdinIsTty: Boolean(process.stdin.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  readStdin: (maxBytes: number) => readFdBounded(0, maxBytes),
};

/**
 * Standard output closed early (`rulecast convert rules | head`) is the reader's choice: stop
 * quietly. Any other error on it is one line, exit 2, never a stack trace.
 */
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code !== "EPIPE") {
    process.stderr.write(`rulecast: cannot write standard output: ${whyFailed(e)}\n`);
    process.exit(2);
  }
  process.exit(process.exitCode ?? 0);
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  process.stdout.on("error", onStdoutError);
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`rulecast: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 2;
    },
  );
}
