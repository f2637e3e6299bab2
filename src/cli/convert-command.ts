/**
 * `rulecast convert PATHS.. --to sigma,splunk,elastic --out DIR`: read, convert, write. Settings
 * come from flags, RULECAST_* and rulecast.config.yaml (load-inputs.ts); with `--check` nothing
 * is written and every file that differs from a fresh conversion is listed with a unified diff.
 */
import { existsSync, readFileSync, renameSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_NAMING } from "../options/core-options.js";
import { assembleResults, convertRule, targetNamed, type OutputFile, type RuleResult } from "../pipeline/convert.js";
import { writeOutput, type FileToWrite } from "../pipeline/write-output.js";
import type { TargetRegistry } from "../targets/target.js";
import { conversionContext } from "./conversion-context.js";
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
  readonly report?: ReportRequest;
}

interface Archive {
  readonly path: string;
  readonly bytes: Buffer;
}

export function runConvert(args: ConvertArgs, io: Io, registry: TargetRegistry): number {
  const loaded = loadRules(args, io, registry);
  const s = loaded.settings;
  const badPlaceholder = unknownPlaceholder(s.naming);
  if (badPlaceholder !== undefined) throw new UsageError(`--naming: unknown placeholder {${badPlaceholder}} (use {target}, {slug}, {id}, {path})`);
  const { targets, ctx } = conversionContext(s, io, registry);
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

  // What targets package from their output (the Splunk app), beside their folders.
  const files = [...named.files];
  const archives: Archive[] = [];
  for (const name of targets) {
    const packed = targetNamed(ctx, name).package?.(result.files.filter((f) => f.target === name), ctx);
    if (!packed) continue;
    if ("error" in packed) throw new UsageError(packed.error);
    files.push(...packed.files.map((f) => ({ path: f.path, content: f.content })));
    if (packed.archive) archives.push(packed.archive);
  }

  const out = s.out;
  if (args.check) return checkOutput(out ?? "out", files, archives, io) || (findings ? EXIT_FINDINGS : EXIT_OK);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that converted\n");
    return EXIT_FINDINGS;
  }
  if (out) {
    const outDir = resolve(io.cwd, out);
    // Stale files are removed only from folders rulecast alone names: the per-target folders.
    const managed = s.naming.startsWith("{target}/") ? targets : [];
    writeOutput(outDir, files, managed, failed === 0);
    for (const a of archives) writeBytesAtomic(join(outDir, a.path), a.bytes);
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
function checkOutput(outDir: string, files: readonly FileToWrite[], archives: readonly Archive[], io: Io): number {
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
  for (const archive of archives) {
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
