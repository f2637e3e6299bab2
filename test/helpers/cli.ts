/**
 * Runs the built CLI as a subprocess, the way users and CI do.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";

export const CLI = resolve("dist/src/cli/main.js");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Extra environment variables (RULECAST_* included); RULECAST_* from the outer shell are removed. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text on standard input. */
  readonly input?: string;
}

export function rulecast(args: readonly string[], cwd: string, opts: CliOptions = {}): CliRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RULECAST_")));
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...base, NO_COLOR: "1", ...opts.env },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI in this process, with its own working folder and environment: the same commands and
 * exit codes without a Node start-up per run (tests that run it dozens of times).
 */
export async function rulecastInProcess(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    cwd,
    env,
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    stdinIsTty: false,
    stderrIsTty: false,
  });
  return { code, stdout, stderr };
}

/** A temporary folder holding the given files (paths relative to it). */
export function tempTree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-test-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** A seed rule with its own id and name, so several can live in one rules tree. */
export function seedVariant(seed: string, n: number, edit: (text: string) => string = (t) => t): string {
  const id = `${String(n).padStart(8, "0")}-312f-4e04-bb55-3a79b8c95267`;
  return edit(seed.replace(/^rule_id: .*$/m, `rule_id: ${id}`).replace(/^name: .*$/m, `name: Seed Variant ${n}`));
}

export const SIGMA_RULE = `title: Whoami Execution
id: 8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f60
status: test
description: Detects whoami.exe.
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: low
`;
