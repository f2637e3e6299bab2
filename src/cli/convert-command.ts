/**
 * `rulecast convert PATHS.. --to sigma,splunk,elastic --out DIR`: read, convert, write. Settings
 * come from flags, RULECAST_* and rulecast.config.yaml (load-inputs.ts); with `--check` nothing
 * is written and every file that differs from a fresh conversion is listed with a unified diff.
 */
import { existsSync, readFileSync, renameSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { DEFAULT_NAMING } from "../config/settings.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadMappings } from "../mapping/mappings.js";
import { assembleResults, convertRule, TARGET_NAMES, type OutputFile, type RuleResult } from "../pipeline/convert.js";
import { writeOutput, type FileToWrite } from "../pipeline/write-output.js";
import { loadTemplates } from "../render/templates.js";
import { isValidAppName, splunkAppFiles } from "../targets/splunk/splunk-app.js";
import { tgz } from "../targets/splunk/tar-writer.js";
import type { TargetName, TargetOptions } from "../targets/target.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";
import { failureReasons, formatFailureReasons } from "./failure-reasons.js";
import { loadRules, type LoadFlags } from "./load-inputs.js";
import { nameOutputs, unknownPlaceholder, type NamedFile } from "./output-names.js";
import { startProgress } from "./progress.js";
import { failsAt, writeReport, type ReportRequest } from "./report-file.js";

export interface ConvertArgs extends LoadFlags {
  readonly skipErrors: boolean;
  readonly check: boolean;
  readonly verbose: boolean;
  readonly sigmaTaxonomy?: "sigma" | "ecs" | "auto";
  readonly report?: ReportRequest;
}

/** Folder under `--out` that holds `--splunk-app` apps and their .tgz files. */
export const SPLUNK_APP_DIR = "splunk-app";

export function parseTargets(list: readonly string[]): TargetName[] {
  const names = list.flatMap((t) => t.split(",")).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !(TARGET_NAMES as string[]).includes(n));
  if (bad.length > 0) throw new UsageError(`unknown target ${bad.map((b) => `\`${b}\``).join(", ")}; run \`rulecast list targets\` (valid: ${TARGET_NAMES.join(", ")})`);
  if (names.length === 0) throw new UsageError("no target given: use --to sigma,splunk,elastic");
  return [...new Set(names)] as TargetName[];
}

export function runConvert(args: ConvertArgs, io: Io): number {
  const loaded = loadRules(args, io);
  const s = loaded.settings;
  const targets = parseTargets(s.targets);
  const badPlaceholder = unknownPlaceholder(s.naming);
  if (badPlaceholder !== undefined) throw new UsageError(`--naming: unknown placeholder {${badPlaceholder}} (use {target}, {slug}, {id}, {path})`);
  if (s.splunkApp !== undefined && !isValidAppName(s.splunkApp)) {
    throw new UsageError(`--splunk-app: \`${s.splunkApp}\` is not a Splunk app name (letters, digits, _ - ., not starting with a digit or dot)`);
  }
  if (s.templates !== undefined && !existsSync(resolve(io.cwd, s.templates))) throw new UsageError(`--templates: no such folder ${s.templates}`);

  const options: TargetOptions = {
    elasticLanguage: s.elasticLanguage,
    unmapped: s.unmapped,
    ...(args.sigmaTaxonomy ? { sigmaTaxonomy: args.sigmaTaxonomy } : {}),
    ...(s.splunkIndex ? { splunkIndex: s.splunkIndex } : {}),
    ...(s.splunkApp ? { splunkApp: s.splunkApp } : {}),
    templateVars: s.vars,
  };
  const templates = loadTemplates(s.templates ? resolve(io.cwd, s.templates) : undefined);
  const ctx = { templates, mappings: loadMappings(s.mappings), options };
  const progress = startProgress(io, "converting", loaded.rules.length);
  const results = loaded.rules.map((rule) => {
    const r = convertRule(rule, targets, ctx);
    progress.tick();
    return r;
  });
  progress.done();
  const result = assembleResults(results, targets, ctx);
  const named = nameFiles(results, result.outcomes, result.files, loaded.relativePaths, s.naming);

  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...result.diagnostics, ...named.collisions];
  printDiagnostics(io, diagnostics, args.verbose);
  const failedFiles = new Set(loaded.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  const failedRules = result.outcomes.filter((o) => o.failed.length > 0).length;
  const converted = result.outcomes.filter((o) => !o.skipped && o.failed.length === 0).length;
  const skipped = result.outcomes.filter((o) => o.skipped).length;
  const failed = failedRules + failedFiles.size + named.collisions.length;
  io.err(`${converted} converted, ${skipped} skipped, ${failed} failed\n`);
  io.err(formatFailureReasons(failureReasons({ outcomes: result.outcomes, readDiagnostics: loaded.diagnostics, ruleDiagnostics: result.diagnostics, collisions: named.collisions })));
  writeReport(io, args.report, "convert", loaded.rules, diagnostics, s.failOn, { converted, skipped, failed });
  const findings = failed > 0 || failsAt(diagnostics, s.failOn);

  const files = [...named.files];
  let archive: { path: string; bytes: Buffer } | undefined;
  if (s.splunkApp && targets.includes("splunk")) {
    const conf = result.files.find((f) => f.target === "splunk" && f.path === "savedsearches.conf");
    if (conf) {
      const app = splunkAppFiles(s.splunkApp, s.splunkAppVersion, conf.content, templates);
      files.push(...app.map((f) => ({ path: `${SPLUNK_APP_DIR}/${f.path}`, content: f.content })));
      const packed = tgz(app);
      if ("error" in packed) throw new UsageError(packed.error);
      archive = { path: `${SPLUNK_APP_DIR}/${s.splunkApp}.tgz`, bytes: packed.bytes };
    }
  }

  const out = s.out;
  if (args.check) return checkOutput(out ?? "out", files, archive, io) || (findings ? EXIT_FINDINGS : EXIT_OK);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that converted\n");
    return EXIT_FINDINGS;
  }
  if (out) {
    const outDir = resolve(io.cwd, out);
    // Stale files are removed only from folders rulecast alone names: the per-target folders.
    const managed = s.naming.startsWith("{target}/") ? targets : [];
    writeOutput(outDir, files, managed, failed === 0);
    if (archive) writeBytesAtomic(join(outDir, archive.path), archive.bytes);
  } else {
    for (const f of files) io.out(`==> ${f.path} <==\n${f.content}`);
  }
  return findings ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Output paths from the naming template. The default keeps the targets' own names (what `npm
 * start` has always written); any other template needs to know each file's rule, which the
 * per-rule results give: the assembled list is their files (accepted rules, in order) then the
 * bundles.
 */
function nameFiles(
  results: readonly RuleResult[],
  outcomes: readonly RuleResult["outcome"][],
  assembled: readonly OutputFile[],
  relativePaths: ReadonlyMap<string, string>,
  naming: string,
): { files: FileToWrite[]; collisions: Diagnostic[] } {
  if (naming === DEFAULT_NAMING) return { files: assembled.map((f) => ({ path: `${f.target}/${f.path}`, content: f.content })), collisions: [] };
  const accepted = new Set(outcomes);
  const owners = results.filter((r) => accepted.has(r.outcome)).flatMap((r) => r.files.map(() => r.outcome.rule));
  const named: NamedFile[] = assembled.map((f, i) => {
    const rule = owners[i];
    return {
      target: f.target,
      path: f.path,
      content: f.content,
      ...(rule
        ? { rule: { id: rule.id, file: rule.source.file, line: rule.source.line, relativePath: relativePaths.get(rule.source.file) ?? rule.source.file } }
        : {}),
    };
  });
  return nameOutputs(named, naming);
}

/** `--check`: regenerate in memory and list every file that differs from what is on disk. */
function checkOutput(outDir: string, files: readonly FileToWrite[], archive: { path: string; bytes: Buffer } | undefined, io: Io): number {
  let differ = 0;
  for (const f of files) {
    let old = "";
    try {
      old = readFileSync(resolve(io.cwd, outDir, f.path), "utf8");
    } catch {
      old = "";
    }
    if (old !== f.content) {
      differ++;
      io.err(`${join(outDir, f.path)}: differs from a fresh conversion\n`);
      io.out(createTwoFilesPatch(join(outDir, f.path), `${join(outDir, f.path)} (regenerated)`, old, f.content, "", "", { context: 3 }));
    }
  }
  if (archive) {
    let old: Buffer | undefined;
    try {
      old = readFileSync(resolve(io.cwd, outDir, archive.path));
    } catch {
      old = undefined;
    }
    if (!old || !old.equals(archive.bytes)) {
      differ++;
      io.err(`${join(outDir, archive.path)}: differs from a fresh conversion (binary)\n`);
    }
  }
  return differ > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Temp file + rename, as writeOutput does for text: an interrupted run leaves the old archive whole. */
function writeBytesAtomic(abs: string, bytes: Buffer): void {
  if (existsSync(abs) && readFileSync(abs).equals(bytes)) return;
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.rulecast-tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, abs);
}

export type { OutputFile };
