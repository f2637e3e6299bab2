/**
 * `rulecast test PATHS..`: runs each rule's samples (or one event file against the rules) and
 * reports pass/fail per rule; `--report FILE` writes the verdicts as JSON.
 */
import { basename, dirname, resolve } from "node:path";
import { inputSizeLimit } from "../config/settings.js";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { oneLine } from "../diagnostics/display-text.js";
import { lineColAt } from "../diagnostics/source-text.js";
import { readEvents } from "../eval/index.js";
import { readTextInput } from "../input/read-text.js";
import { collectInputFiles, readInputText } from "../pipeline/input-files.js";
import { unpairedEscapeAt, unpairedSurrogateDiagnostic } from "../sources/unpaired-surrogates.js";
import { readRules } from "../pipeline/read-rules.js";
import { writeOutput } from "../pipeline/write-output.js";
import type { RuleTest } from "../testing/check-samples.js";
import { DEFAULT_RULE_SECONDS, TimedTests } from "../testing/timed-tests.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";

export interface TestArgs {
  readonly paths: readonly string[];
  readonly events?: string;
  readonly expect?: "match" | "no-match";
  readonly report?: string;
  readonly perEvent: boolean;
  readonly verbose: boolean;
  readonly maxInputSize?: string;
  /** Seconds one rule's evaluation may take before it is stopped and fails. */
  readonly ruleTimeout?: number;
}

export function runTest(args: TestArgs, io: Io): number {
  if ((args.events === undefined) !== (args.expect === undefined)) throw new UsageError("--events and --expect go together");
  const seconds = args.ruleTimeout ?? DEFAULT_RULE_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) throw new UsageError("--rule-timeout takes a number of seconds above 0 and at most 86400");
  const limit = inputSizeLimit(args.maxInputSize, io.env);
  if (typeof limit !== "number") throw new UsageError(limit.error);
  const scan = collectInputFiles(args.paths, io.cwd);
  if (scan.missing.length > 0) throw new UsageError(`no such file or directory: ${scan.missing.join(", ")}`);
  const texts = scan.files.map((f) => ({ path: f.path, input: readInputText(f, limit) }));
  const unreadable = texts.flatMap((t) => (t.input.ok ? [] : [t.input.diagnostic]));
  const read = readRules(texts.flatMap((t) => (t.input.ok ? [{ path: t.path, text: t.input.text }] : [])));
  const diagnostics = [...unreadable, ...read.diagnostics];
  printDiagnostics(io, diagnostics, args.verbose);

  let events: Record<string, unknown>[] | undefined;
  if (args.events) {
    const input = readTextInput({ shown: args.events, absolute: resolve(io.cwd, args.events) }, { bytes: limit, setting: "--max-input-size" });
    if (!input.ok) throw new UsageError(`cannot read events file: ${formatDiagnostic(input.diagnostic)}`);
    const text = input.text;
    const unpaired = unpairedEscapeAt(text);
    if (unpaired !== undefined) throw new UsageError(formatDiagnostic(unpairedSurrogateDiagnostic(args.events, lineColAt(text, unpaired))));
    const r = readEvents(text);
    if (!r.ok) throw new UsageError(`${args.events}: ${r.message} (at offset ${r.offset})`);
    events = r.events as Record<string, unknown>[];
  }

  const timed = new TimedTests(seconds, events && args.expect ? events : undefined, args.expect);
  let results: RuleTest[];
  try {
    results = read.rules.map((rule) => timed.run(rule));
  } finally {
    timed.close();
  }
  for (const t of results) {
    // Rule names, file names, sample names and evaluation errors are the rule's text: one line each.
    const name = oneLine(t.rule.name);
    const where = `${oneLine(t.rule.source.file)}:${t.rule.source.line}`;
    if (t.error) io.out(`FAIL ${name} (${where}): cannot evaluate: ${oneLine(t.error)}\n`);
    else if (t.verdicts.length === 0) io.out(`FAIL ${name} (${where}): no samples to test\n`);
    else if (t.fileLevel) {
      // One judgement on the file; the event lines below are facts, not verdicts of their own.
      const hit = t.verdicts.filter((v) => v.matched).length;
      const [one] = t.verdicts;
      const fact = t.verdicts.length === 1 && one ? `${oneLine(one.sample)} ${one.matched ? "matched" : "did not match"}` : `${hit} of ${t.verdicts.length} events matched`;
      io.out(`${t.passed ? "PASS" : "FAIL"} ${name} (${where}): expected ${one?.expected}; ${fact}\n`);
      for (const v of t.verdicts) if (args.perEvent || !t.passed) io.out(`  ${oneLine(v.sample)}: ${v.matched ? "matched" : "did not match"}\n`);
    } else io.out(`${t.passed ? "PASS" : "FAIL"} ${name} (${where}): ${t.verdicts.filter((v) => v.pass).length}/${t.verdicts.length} as expected\n`);
    for (const v of t.fileLevel ? [] : t.verdicts) {
      if (args.perEvent || !v.pass) io.out(`  ${v.pass ? "ok  " : "BAD "} ${oneLine(v.sample)}: ${v.matched ? "matched" : "did not match"} (expected ${v.expected})\n`);
    }
  }
  const passed = results.filter((t) => t.passed).length;
  const failed = results.length - passed;
  if (args.report) {
    const report = {
      rules: results.map((t) => ({
        id: t.rule.id,
        name: t.rule.name,
        file: t.rule.source.file,
        line: t.rule.source.line,
        passed: t.passed,
        ...(t.error ? { error: t.error } : {}),
        verdicts: t.verdicts,
      })),
      passed,
      failed,
    };
    const abs = resolve(io.cwd, args.report);
    writeOutput(dirname(abs), [{ path: basename(abs), content: JSON.stringify(report, null, 2) + "\n" }]);
  }
  io.err(`${passed} rules passed, ${failed} failed\n`);
  const readErrors = diagnostics.some((d) => d.severity === "error");
  return failed > 0 || readErrors ? EXIT_FINDINGS : EXIT_OK;
}
