/**
 * `rulecast convert PATHS.. --to sigma,splunk,elastic --out DIR`: read, convert, write. Settings
 * come from flags, RULECAST_* and rulecast.config.yaml (load-inputs.ts); with `--check` nothing
 * is written and every file that differs from a fresh conversion is listed with a unified diff.
 */
import { join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { oneLine, safeLines, shownPath } from "../diagnostics/display-text.js";
import { DEFAULT_NAMING } from "../options/core-options.js";
import { assembleResults, convertRule, targetNamed, type OutputFile, type RuleResult } from "../pipeline/convert.js";
import { isLeftoverTemp, OutputFolder } from "../pipeline/output-folder.js";
import type { TextFile } from "../pipeline/write-output.js";
import type { TargetRegistry } from "../targets/target.js";
import { conversionContext } from "./conversion-context.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";
import { failureReasons, formatFailureReasons } from "./failure-reasons.js";
import { loadRules, type LoadFlags } from "./load-inputs.js";
import { failUnwritableNames, nameOutputs, unknownPlaceholder, type NamedFile } from "./output-names.js";
import { startProgress } from "./progress.js";
import { formatRunSummary, runCounts } from "./run-summary.js";
import { failsAt, writeReport, type ReportRequest } from "./report-file.js";
import { writeLocked } from "./write-locked.js";
import { ownershipIn, type BundlesHook, type Ownership } from "./output-ownership.js";
import { bundlesIn } from "./partial-bundles.js";

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
  const ruleResults = loaded.rules.map((rule) => {
    const r = leanResult(convertRule(rule, targets, ctx));
    progress.tick();
    return r;
  });
  progress.done();
  const results = s.naming === DEFAULT_NAMING ? ruleResults : failUnwritableNames(ruleResults, s.naming, loaded.relativePaths);
  const result = assembleResults(results, targets, ctx);
  const named = nameFiles(result.files, loaded.relativePaths, s.naming);

  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...result.diagnostics, ...named.collisions];
  printDiagnostics(io, diagnostics, args.verbose);
  const failedFiles = new Set(loaded.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  const counts = runCounts(result.outcomes, targets, failedFiles.size, named.collisions.length);
  const { every: converted, skipped, failed } = counts;
  io.err(formatRunSummary(counts));
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
  // Stale files are judged only in folders rulecast alone names: the per-target folders.
  const managed = s.naming.startsWith("{target}/") ? targets : [];
  // A run over some of the rules keeps the others' bundle pieces (partial-bundles.ts); other namings write bundles elsewhere.
  const bundles: BundlesHook | undefined =
    s.naming === DEFAULT_NAMING ? (folder, old, plan) => bundlesIn(folder, old, plan, { targets, ctx, fresh: result.bundlePieces, clean: failed === 0, cwd: io.cwd }) : undefined;
  const ownership = (folder: OutputFolder) =>
    ownershipIn(
      folder,
      io,
      { paths: s.paths, files: loaded.texts.keys(), written: [...files, ...archives.map((a) => ({ path: a.path, content: "" }))], clean: failed === 0, managedDirs: managed },
      bundles,
    );
  if (args.check) return checkOutput(out ?? "out", files, archives, io, managed, ownership) || (findings ? EXIT_FINDINGS : EXIT_OK);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that converted\n");
    return EXIT_FINDINGS;
  }
  if (out) {
    const outDir = resolve(io.cwd, out);
    writeLocked(io, outDir, [...files, ...archives.map((a) => ({ path: a.path, content: a.bytes }))], {
      managedDirs: managed,
      removeStale: failed === 0,
      ownership: (folder) => {
        const o = ownership(folder);
        return { files: [...o.replacing, o.file], removable: o.removable };
      },
    });
  } else {
    for (const f of files) io.out(`==> ${oneLine(f.path)} <==\n${f.content}`);
  }
  return findings ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The result without what only tests read (each file's and piece's intended `document`, which
 * the Elastic target holds as a second copy of every rule's JSON): a run keeps every result
 * until it writes, so these copies held about a tenth of its peak memory (SigmaHQ to splunk,elastic: 318 to 288 MiB).
 */
function leanResult(r: RuleResult): RuleResult {
  const files = r.files.map((f) => ({ path: f.path, content: f.content, target: f.target, ...(f.rule ? { rule: f.rule } : {}) }));
  const pieces = Object.fromEntries(Object.entries(r.pieces).map(([t, ps]) => [t, ps.map((p) => ({ text: p.text, ...(p.name !== undefined ? { name: p.name } : {}) }))]));
  return { ...r, files, pieces };
}

/**
 * Output paths from the naming template. The default keeps the targets' own names (what `npm
 * start` has always written); any other template needs each file's rule, which it carries.
 */
function nameFiles(assembled: readonly OutputFile[], relativePaths: ReadonlyMap<string, string>, naming: string): { files: TextFile[]; collisions: Diagnostic[] } {
  if (naming === DEFAULT_NAMING) {
    return { files: assembled.map((f) => ({ path: `${f.target}/${f.path}`, content: f.content, ...(f.rule ? { source: f.rule.source.file } : {}) })), collisions: [] };
  }
  const named: NamedFile[] = assembled.map((f) => {
    const rule = f.rule;
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
function checkOutput(
  outDir: string,
  converted: readonly TextFile[],
  runArchives: readonly Archive[],
  io: Io,
  managedDirs: readonly string[],
  ownershipIn: (folder: OutputFolder) => Ownership,
): number {
  const folder = new OutputFolder(resolve(io.cwd, outDir), "read");
  // A link anywhere is refused before the first diff is printed.
  for (const f of [...converted, ...runArchives]) folder.entry(f.path);
  const ownership = ownershipIn(folder);
  const replacing = new Map(ownership.replacing.map((f) => [f.path, f.content]));
  const texts = ownership.replacing.filter((f): f is TextFile => typeof f.content === "string");
  const files = [...converted.filter((f) => !replacing.has(f.path)), ...texts, ownership.file];
  const archives = [...runArchives.filter((a) => !replacing.has(a.path)), ...ownership.replacing.flatMap((f) => (typeof f.content === "string" ? [] : [{ path: f.path, bytes: Buffer.from(f.content) }]))];
  let differ = 0;
  for (const f of files) {
    const old = readForCheck(folder, f.path);
    if (typeof old === "string" && old === f.content) continue;
    differ++;
    const shown = join(outDir, f.path);
    if (typeof old === "string") {
      io.err(`${shownPath(shown)}: differs from a fresh conversion\n`);
      io.out(safeLines(createTwoFilesPatch(shown, `${shown} (regenerated)`, old, f.content, "", "", { context: 3 })));
    } else {
      io.err(`${shownPath(shown)}: differs from a fresh conversion (${oneLine(old.why)})\n`);
    }
  }
  // A file a fresh conversion would not write (its rule was deleted) is drift too: a write would remove it.
  const fresh = new Set([...files.map((f) => f.path), ...archives.map((a) => a.path)]);
  for (const dir of managedDirs) {
    for (const rel of folder.filesUnder(dir)) {
      if (fresh.has(rel) || isLeftoverTemp(rel.slice(rel.lastIndexOf("/") + 1)) || !ownership.removable(rel)) continue;
      differ++;
      io.err(`${shownPath(join(outDir, rel))}: not written by a fresh conversion (its rule is gone or no longer converts); a run without --check removes it\n`);
    }
  }
  for (const archive of archives) {
    const old = folder.entry(archive.path).kind === "file" ? folder.read(archive.path, archive.bytes.length) : undefined;
    if (old?.kind !== "bytes" || !old.bytes.equals(archive.bytes)) {
      differ++;
      io.err(`${shownPath(join(outDir, archive.path))}: differs from a fresh conversion (binary)\n`);
    }
  }
  return differ > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Beyond this an output file on disk is not read for a diff (a stale rules.ndjson of a big repository fits). */
const MAX_CHECK_BYTES = 64 * 1024 * 1024;

/**
 * What `--check` compares with: the text of a regular file (missing reads as empty), or why
 * there is nothing to compare. Links below the output folder are refused (output-folder.ts).
 */
function readForCheck(folder: OutputFolder, rel: string): string | { why: string } {
  const entry = folder.entry(rel);
  switch (entry.kind) {
    case "missing":
    case "blocked":
      return "";
    case "folder":
      return { why: "a folder stands where the file should be" };
    case "other":
      return { why: "something other than a regular file stands there; not read" };
    case "file": {
      const r = folder.read(rel, MAX_CHECK_BYTES);
      return r.kind === "bytes" ? r.bytes.toString("utf8") : { why: `${r.size} bytes on disk, too large to show a diff` };
    }
  }
}

export type { OutputFile };
