#!/usr/bin/env node
/**
 * The rulecast command line. The only module that touches `process`: it wires yargs to the
 * commands, prints one line per problem, and maps outcomes to exit codes (0 ok, 1 rule failures,
 * 2 usage or configuration). Stack traces only with --verbose.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
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

/**
 * A run is a batch of seconds, not a server: V8's default budget optimizes hundreds of functions
 * that run only a few thousand times each, and compiling them cost ~30 % of a SigmaHQ conversion's
 * CPU (the compiler threads: 3.5-4 s of 10-13 s). Nine times node 20's budget (66 KiB of bytecode
 * run before a function is considered for optimization) still optimizes what is hot for a whole
 * run, at a third of that compile time (test/bench/README.md, fourth session).
 */
const INTERRUPT_BUDGET = 600 * 1024;

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
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
