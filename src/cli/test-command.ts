/**
 * `rulecast test PATHS..`: runs each rule's samples (or one event file against the rules) and
 * reports pass/fail per rule; `--report FILE` writes the verdicts as JSON.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEvents } from "../eval/index.js";
import { collectInputFiles } from "../pipeline/input-files.js";
import { readRules } from "../pipeline/read-rules.js";
import { testEventFile, testSamples, type RuleTest } from "../testing/check-samples.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";

export interface TestArgs {
  readonly paths: readonly string[];
  readonly events?: string;
  readonly expect?: "match" | "no-match";
  readonly report?: string;
  readonly perEvent: boolean;
  readonly verbose: boolean;
}

export function runTest(args: TestArgs, io: Io): number {
  if ((args.events === undefined) !== (args.expect === undefined)) throw new UsageError("--events and --expect go together");
  const scan = collectInputFiles(args.paths, io.cwd);
  if (scan.missing.length > 0) throw new UsageError(`no such file or directory: ${scan.missing.join(", ")}`);
  const read = readRules(scan.files.map((f) => ({ path: f.path, text: readFileSync(f.absolute, "utf8") })));
  printDiagnostics(io, read.diagnostics, args.verbose);

  let events: Record<string, unknown>[] | undefined;
  if (args.events) {
    let text: string;
    try {
      text = readFileSync(join(io.cwd, args.events), "utf8");
    } catch {
      throw new UsageError(`cannot read events file ${args.events}`);
    }
    const r = readEvents(text);
    if (!r.ok) throw new UsageError(`${args.events}: ${r.message} (at offset ${r.offset})`);
    events = r.events as Record<string, unknown>[];
  }

  const results: RuleTest[] = read.rules.map((rule) => (events && args.expect ? testEventFile(rule, events, args.expect) : testSamples(rule)));
  for (const t of results) {
    const where = `${t.rule.source.file}:${t.rule.source.line}`;
    if (t.error) io.out(`FAIL ${t.rule.name} (${where}): cannot evaluate: ${t.error}\n`);
    else if (t.verdicts.length === 0) io.out(`FAIL ${t.rule.name} (${where}): no samples to test\n`);
    else if (t.fileLevel) {
      // One judgement on the file; the event lines below are facts, not verdicts of their own.
      const hit = t.verdicts.filter((v) => v.matched).length;
      const [one] = t.verdicts;
      const fact = t.verdicts.length === 1 && one ? `${one.sample} ${one.matched ? "matched" : "did not match"}` : `${hit} of ${t.verdicts.length} events matched`;
      io.out(`${t.passed ? "PASS" : "FAIL"} ${t.rule.name} (${where}): expected ${one?.expected}; ${fact}\n`);
      for (const v of t.verdicts) if (args.perEvent || !t.passed) io.out(`  ${v.sample}: ${v.matched ? "matched" : "did not match"}\n`);
    } else io.out(`${t.passed ? "PASS" : "FAIL"} ${t.rule.name} (${where}): ${t.verdicts.filter((v) => v.pass).length}/${t.verdicts.length} as expected\n`);
    for (const v of t.fileLevel ? [] : t.verdicts) {
      if (args.perEvent || !v.pass) io.out(`  ${v.pass ? "ok  " : "BAD "} ${v.sample}: ${v.matched ? "matched" : "did not match"} (expected ${v.expected})\n`);
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
    writeFileSync(join(io.cwd, args.report), JSON.stringify(report, null, 2) + "\n");
  }
  io.err(`${passed} rules passed, ${failed} failed\n`);
  const readErrors = read.diagnostics.some((d) => d.severity === "error");
  return failed > 0 || readErrors ? EXIT_FINDINGS : EXIT_OK;
}
