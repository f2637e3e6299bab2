/**
 * `rulecast check PATHS..`: validate without writing: schema, query syntax, mapping coverage for
 * the configured targets, ATT&CK ids and names, interval ≤ look-back, duplicate ids and names.
 * Exit 1 when a finding reaches `--fail-on` (default: error).
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { checkRules, sortDiagnostics } from "../checks/check-rules.js";
import { loadMappings } from "../mapping/mappings.js";
import { loadTemplates } from "../render/templates.js";
import { parseTargets } from "./convert-command.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";
import { loadRules, type LoadFlags } from "./load-inputs.js";
import { startProgress } from "./progress.js";
import { failsAt, writeReport, type ReportRequest } from "./report-file.js";

export interface CheckArgs extends LoadFlags {
  readonly verbose: boolean;
  readonly report?: ReportRequest;
}

export function runCheck(args: CheckArgs, io: Io): number {
  const loaded = loadRules(args, io);
  const s = loaded.settings;
  const targets = parseTargets(s.targets);
  if (s.templates !== undefined && !existsSync(resolve(io.cwd, s.templates))) throw new UsageError(`--templates: no such folder ${s.templates}`);
  if (s.templates !== undefined && !statSync(resolve(io.cwd, s.templates)).isDirectory()) throw new UsageError(`--templates: ${s.templates} is not a folder`);
  const ctx = {
    templates: loadTemplates(s.templates ? resolve(io.cwd, s.templates) : undefined, s.maxConfigSize),
    mappings: loadMappings(s.mappings),
    options: { elasticLanguage: s.elasticLanguage, unmapped: s.unmapped, sigmaCase: s.sigmaCase, sigmaProfile: s.sigmaProfile, sigmaCustom: s.sigmaCustom, ...(s.splunkApp ? { splunkApp: s.splunkApp } : {}), ...(s.splunkIndex ? { splunkIndex: s.splunkIndex } : {}), ...(s.splunkTaxonomy !== "sigma" ? { splunkTaxonomy: s.splunkTaxonomy } : {}), splunkLag: s.splunkLag, splunkAlert: s.splunkAlert },
  };
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
