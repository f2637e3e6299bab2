/**
 * `rulecast convert PATHS.. --to sigma,splunk,elastic --out DIR`: read, convert, write.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { loadMappings } from "../mapping/mappings.js";
import { convertRules, TARGET_NAMES, type OutputFile } from "../pipeline/convert.js";
import type { InputFormat } from "../pipeline/detect-format.js";
import { collectInputFiles } from "../pipeline/input-files.js";
import { readRules } from "../pipeline/read-rules.js";
import { writeOutput } from "../pipeline/write-output.js";
import { loadTemplates } from "../render/templates.js";
import type { TargetName, TargetOptions } from "../targets/target.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";

export interface ConvertArgs {
  readonly paths: readonly string[];
  readonly to: readonly string[];
  readonly out?: string;
  readonly skipErrors: boolean;
  readonly check: boolean;
  readonly verbose: boolean;
  readonly unmapped: "error" | "warning";
  readonly elasticLanguage: "eql" | "kuery";
  readonly from?: InputFormat;
  readonly templates?: string;
  readonly pattern?: string;
  readonly splunkIndex?: string;
  readonly splunkApp?: string;
}

export function parseTargets(list: readonly string[]): TargetName[] {
  const names = list.flatMap((t) => t.split(",")).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !(TARGET_NAMES as string[]).includes(n));
  if (bad.length > 0) throw new UsageError(`unknown target ${bad.map((b) => `\`${b}\``).join(", ")}; run \`rulecast list targets\` (valid: ${TARGET_NAMES.join(", ")})`);
  if (names.length === 0) throw new UsageError("no target given: use --to sigma,splunk,elastic");
  return [...new Set(names)] as TargetName[];
}

export function runConvert(args: ConvertArgs, io: Io): number {
  const targets = parseTargets(args.to);
  let pattern: RegExp | undefined;
  if (args.pattern) {
    try {
      pattern = new RegExp(args.pattern);
    } catch {
      throw new UsageError(`--pattern is not a valid regular expression: ${args.pattern}`);
    }
  }
  const scan = collectInputFiles(args.paths, io.cwd, pattern);
  if (scan.missing.length > 0) throw new UsageError(`no such file or directory: ${scan.missing.join(", ")}`);
  const sources = scan.files.map((f) => ({ path: f.path, text: readFileSync(f.absolute, "utf8") }));
  const read = readRules(sources, args.from ? { format: args.from } : {});

  const options: TargetOptions = {
    elasticLanguage: args.elasticLanguage,
    unmapped: args.unmapped,
    ...(args.splunkIndex ? { splunkIndex: args.splunkIndex } : {}),
    ...(args.splunkApp ? { splunkApp: args.splunkApp } : {}),
  };
  const ctx = { templates: loadTemplates(args.templates), mappings: loadMappings(), options };
  const result = convertRules(read.rules, targets, ctx);
  const diagnostics = [...read.diagnostics, ...result.diagnostics];
  printDiagnostics(io, diagnostics, args.verbose);

  const failedFiles = new Set(read.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  const failedRules = result.outcomes.filter((o) => o.failed.length > 0).length;
  const converted = result.outcomes.filter((o) => !o.skipped && o.failed.length === 0).length;
  const skipped = result.outcomes.filter((o) => o.skipped).length;
  const failed = failedRules + failedFiles.size;
  io.err(`${converted} converted, ${skipped} skipped, ${failed} failed\n`);

  const files = result.files.map((f) => ({ path: `${f.target}/${f.path}`, content: f.content }));
  if (args.check) return checkOutput(args.out ?? "out", files, io) || (failed > 0 ? EXIT_FINDINGS : EXIT_OK);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that converted\n");
    return EXIT_FINDINGS;
  }
  if (args.out) {
    writeOutput(join(io.cwd, args.out), files, targets, failed === 0);
  } else {
    for (const f of files) io.out(`==> ${f.path} <==\n${f.content}`);
  }
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** `--check`: regenerate in memory and list every file that differs from what is on disk. */
function checkOutput(outDir: string, files: readonly { path: string; content: string }[], io: Io): number {
  let differ = 0;
  for (const f of files) {
    let old = "";
    try {
      old = readFileSync(join(io.cwd, outDir, f.path), "utf8");
    } catch {
      old = "";
    }
    if (old !== f.content) {
      differ++;
      io.err(`${join(outDir, f.path)}: differs from a fresh conversion\n`);
      io.out(createTwoFilesPatch(join(outDir, f.path), `${join(outDir, f.path)} (regenerated)`, old, f.content, "", "", { context: 3 }));
    }
  }
  return differ > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export type { OutputFile };
