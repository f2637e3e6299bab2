/**
 * `rulecast check PATHS..`: validate without writing: schema, query syntax, mapping coverage for
 * the configured targets, ATT&CK ids and names, interval ≤ look-back, duplicate ids and names.
 * Exit 1 when a finding reaches `--fail-on` (default: error).
 */
import { checkRules, sortDiagnostics } from "../checks/check-rules.js";
import type { TargetRegistry } from "../targets/target.js";
import { conversionContext } from "./conversion-context.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, type Io } from "./io.js";
import { loadRules, type LoadFlags } from "./load-inputs.js";
import { startProgress } from "./progress.js";
import { failsAt, writeReport, type ReportRequest } from "./report-file.js";

export interface CheckArgs extends LoadFlags {
  readonly verbose: boolean;
  readonly report?: ReportRequest;
}

export function runCheck(args: CheckArgs, io: Io, registry: TargetRegistry): number {
  const loaded = loadRules(args, io, registry);
  const s = loaded.settings;
  const { targets, ctx } = conversionContext(s, io, registry);
  const progress = startProgress(io, "checking", loaded.rules.length);
  const found = checkRules(loaded.rules, { targets, ctx, texts: loaded.texts, onRule: progress.tick });
  progress.done();
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...found]);
  printDiagnostics(io, diagnostics, args.verbose);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  io.err(`${loaded.rules.length} rules checked, ${errors} errors, ${warnings} warnings\n`);
  writeReport(io, args.report, "check", loaded.rules, diagnostics, s.failOn, { rules: loaded.rules.length, errors, warnings });
  return failsAt(diagnostics, s.failOn) ? EXIT_FINDINGS : EXIT_OK;
}
