/**
 * `rulecast convert PATHS.. --to sigma,splunk,elastic --out DIR`: read, convert, write. Settings
 * come from flags, RULECAST_* and rulecast.config.yaml (load-inputs.ts); with `--check` nothing
 * is written and every file that differs from a fresh conversion is listed with a unified diff.
 *
 * A run streams: each input file's rules are converted as soon as the file is read, and their
 * files handed to a sink (staged-output.ts under `--out`, output-check.ts for `--check`) and their
 * bundle pieces appended (bundle-writer.ts), so it keeps no rule once converted: only outcomes,
 * diagnostics and names (test/bench/README.md has what that saves). A run over some of the rules
 * of an output folder also keeps the other rules' bundle entries (partial-bundles.ts): only then
 * are its own bundles read back, once, at the end, to be merged with what is on disk.
 */
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_NAMING } from "../options/core-options.js";
import { detached } from "../ir/detached.js";
import { dedupeDiagnostics, ResultAssembler } from "../pipeline/assemble-results.js";
import { BundleWriter } from "../pipeline/bundle-writer.js";
import { convertRule, leanResult, targetNamed, type OutputFile, type RuleOutcome, type RuleResult } from "../pipeline/convert.js";
import { poolThreads } from "../pipeline/parallel-convert.js";
import { OutputError } from "../pipeline/output-errors.js";
import type { OutputFolder } from "../pipeline/output-folder.js";
import type { OutputSink } from "../pipeline/output-sink.js";
import { StagedOutput } from "../pipeline/staged-output.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import { BUILTIN_TARGETS } from "../targets/registry.js";
import type { RenderedFile, TargetRegistry } from "../targets/target.js";
import { conversionContext } from "./conversion-context.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";
import { failureReasons, formatFailureReasons } from "./failure-reasons.js";
import { loadSettings, streamConverted, type LoadFlags } from "./load-inputs.js";
import { CheckedOutput } from "./output-check.js";
import { failUnwritableNames, OutputNamer, unknownPlaceholder } from "./output-names.js";
import { PrintedOutput } from "./printed-output.js";
import { startProgress, type Progress } from "./progress.js";
import { formatRunSummary, runCounts } from "./run-summary.js";
import { failsAt, writeReport, type ReportRequest, type ReportedRule } from "./report-file.js";
import { lockFor } from "./write-locked.js";
import { heapBound } from "../pipeline/heap-bound.js";
import { ownershipIn, type BundlesHook } from "./output-ownership.js";
import { bundlesIn } from "./partial-bundles.js";

export interface ConvertArgs extends LoadFlags {
  readonly skipErrors: boolean;
  readonly check: boolean;
  readonly verbose: boolean;
  readonly report?: ReportRequest;
}

export async function runConvert(args: ConvertArgs, io: Io, registry: TargetRegistry): Promise<number> {
  const loaded = loadSettings(args, io, registry);
  const s = loaded.settings;
  const badPlaceholder = unknownPlaceholder(s.naming);
  if (badPlaceholder !== undefined) throw new UsageError(`--naming: unknown placeholder {${badPlaceholder}} (use {target}, {slug}, {id}, {path})`);
  const { targets, ctx, setup } = conversionContext(s, io, registry);
  const checked = args.check ? new CheckedOutput(s.out ?? "out", io) : undefined;
  const staged = !args.check && s.out ? new StagedOutput(resolve(io.cwd, s.out), lockFor(io, resolve(io.cwd, s.out))) : undefined;
  const printed = !checked && !staged ? new PrintedOutput() : undefined;
  const sink: OutputSink & { readonly written: readonly FileToWrite[] } = checked ?? staged ?? printed!;

  try {
    const assembler = new ResultAssembler(targets);
    const namer = s.naming === DEFAULT_NAMING ? undefined : new OutputNamer(s.naming);
    const bundles = new BundleWriter(targets, ctx, sink);
    const outcomes: RuleOutcome[] = [];
    const ruleDiagnostics: Diagnostic[] = [];
    const reported: ReportedRule[] = [];
    let relativePaths: ReadonlyMap<string, string> = new Map();
    let progress: Progress = { tick: () => {}, done: () => {} };
    const bound = heapBound();
    const outputPath = (f: OutputFile): string | undefined => {
      if (!namer) return `${f.target}/${f.path}`;
      const rule = f.rule;
      const named = namer.name({
        target: f.target,
        path: f.path,
        content: "",
        ...(rule ? { rule: { id: rule.id, file: rule.source.file, line: rule.source.line, relativePath: relativePaths.get(rule.source.file) ?? rule.source.file } } : {}),
      });
      return named?.path;
    };
    const take = (result: RuleResult) => {
      let r = result;
      if (namer) r = failUnwritableNames([r], s.naming, relativePaths)[0]!;
      const kept = assembler.add(r);
      // What the run keeps to the end, detached from the rule's file text (assemble-results.ts).
      outcomes.push(detached(kept.outcome));
      ruleDiagnostics.push(...detached(kept.diagnostics));
      const rule = r.outcome.rule;
      if (args.report) reported.push(detached({ id: rule.id, name: rule.name, source: { file: rule.source.file, line: rule.source.line } }));
      for (const f of kept.files) {
        const path = outputPath(f);
        if (path !== undefined) sink.put({ path, content: f.content, ...(f.rule ? { source: f.rule.source.file } : {}) });
      }
      for (const [t, pieces] of kept.pieces) bundles.add(t, pieces, rule.source.file);
    };
    const read = await streamConverted(args, io, registry, (rule) => leanResult(convertRule(rule, targets, ctx)), (results) => results.forEach(take), {
      loaded,
      onScan: (files, paths) => {
        relativePaths = paths;
        progress = startProgress(io, "converting", files);
      },
      onFile: () => {
        progress.tick();
        bound();
      },
      // Workers convert with the built-in targets (a registry is code): another registry (tests) converts here.
      pool: { threads: (files) => (registry === BUILTIN_TARGETS ? poolThreads(s.options["jobs"] as string, files) : 1), context: setup, targets },
    });
    progress.done();
    const written = bundles.finish((f: RenderedFile, target) => outputPath(assembler.bundleFile(f, target)));

    const collisions = namer?.collisions ?? [];
    const converted = dedupeDiagnostics([...ruleDiagnostics, ...assembler.renames]);
    const diagnostics: Diagnostic[] = [...read.diagnostics, ...converted, ...collisions];
    printDiagnostics(io, diagnostics, args.verbose);
    const failedFiles = new Set(read.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
    const counts = runCounts(outcomes, targets, failedFiles.size, collisions.length);
    const { every: convertedRules, skipped, failed } = counts;
    io.err(formatRunSummary(counts));
    io.err(formatFailureReasons(failureReasons({ outcomes, readDiagnostics: read.diagnostics, ruleDiagnostics: converted, collisions })));
    writeReport(io, args.report, "convert", reported, diagnostics, s.failOn, { converted: convertedRules, skipped, failed });
    const findings = failed > 0 || failsAt(diagnostics, s.failOn);

    // What targets package from their bundles (the Splunk app), beside their folders.
    for (const name of targets) {
      const own = written.filter((b) => b.target === name).map((b) => lazyFile(b.path, () => sink.contentOf(b.output)));
      const packed = targetNamed(ctx, name).package?.(own, ctx);
      if (!packed) continue;
      if ("error" in packed) throw new UsageError(packed.error);
      for (const f of packed.files) sink.put({ path: f.path, content: f.content });
      if (packed.archive) sink.put({ path: packed.archive.path, content: packed.archive.bytes });
    }

    // Stale files are judged only in folders rulecast alone names: the per-target folders.
    const managed = s.naming.startsWith("{target}/") ? targets : [];
    // A run over some of the rules keeps the others' bundle pieces (partial-bundles.ts); other namings write bundles elsewhere.
    const keep: BundlesHook | undefined =
      s.naming === DEFAULT_NAMING ? (folder, old, plan) => bundlesIn(folder, old, plan, { targets, ctx, fresh: bundles, clean: failed === 0, cwd: io.cwd }) : undefined;
    const ownership = (folder: OutputFolder) =>
      ownershipIn(
        folder,
        io,
        { paths: s.paths, files: read.files, written: sink.written.map((f) => ({ path: f.path, content: "", ...(f.source !== undefined ? { source: f.source } : {}) })), clean: failed === 0, managedDirs: managed },
        keep,
      );
    if (checked) return checked.finish(ownership(checked.folder), managed) || (findings ? EXIT_FINDINGS : EXIT_OK);
    if (failed > 0 && !args.skipErrors) {
      if (staged) staged.abandon();
      else sink.discard();
      io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that converted\n");
      return EXIT_FINDINGS;
    }
    if (staged) {
      staged.commit({
        managedDirs: managed,
        removeStale: failed === 0,
        ownership: (folder) => {
          const o = ownership(folder);
          return { files: [...o.replacing, o.file], removable: o.removable };
        },
      });
    } else printed?.print(io);
    return findings ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    // A run stopped by its own decision (a user's template that does not read back, bundles it
    // cannot keep) writes nothing, as one that failed rules does; a failed write keeps the folder.
    if (staged && !(e instanceof OutputError)) staged.abandon();
    else sink.discard();
    throw e;
  }
}

/** A file whose content is read when a package needs it (only `--splunk-app` does). */
function lazyFile(path: string, read: () => string): RenderedFile {
  let content: string | undefined;
  return {
    path,
    get content() {
      content ??= read();
      return content;
    },
  };
}

export type { OutputFile };
