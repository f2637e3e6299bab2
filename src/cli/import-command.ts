/**
 * `rulecast import PATHS.. --out DIR`: Elastic rules (detection-rules TOML, Kibana export ndjson,
 * rule JSON) and Sigma rules → one rulecast rule file per rule, `<slug>.yaml`, in the input's
 * subfolders. A Sigma rule goes through the Elastic target first (ECS names, an EQL query, index
 * patterns from its log source), so it lands exactly as `convert --to elastic` would write it.
 * Every file is read back before it is written: a rule the rule-file format cannot hold exactly
 * (a type the schema lacks, a value that would change) is refused by name, never written lossy.
 */
import { statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Argv } from "yargs";
import { inputSizeLimit } from "../config/settings.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import { slugify } from "../ir/ids.js";
import type { Rule } from "../ir/rule.js";
import { loadMappings } from "../mapping/mappings.js";
import { defaultOptionValues } from "../options/option-spec.js";
import { convertRule, type ConvertContext } from "../pipeline/convert.js";
import { collectInputFiles, readInputText } from "../pipeline/input-files.js";
import { readRules } from "../pipeline/read-rules.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import { loadTemplates, type Templates } from "../render/templates.js";
import { detectFormat, sourceNamed } from "../sources/registry.js";
import type { SourceRead } from "../sources/source.js";
import { BUILTIN_TARGETS } from "../targets/registry.js";
import { declaredMappings, declaredOptions, type TargetRegistry } from "../targets/target.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";
import { writeLocked } from "./write-locked.js";

export interface ImportArgs {
  readonly paths: readonly string[];
  readonly out: string;
  readonly skipErrors: boolean;
  readonly verbose: boolean;
  /** Also import rules under `_deprecated/` folders (detection-rules keeps retired rules there). */
  readonly includeDeprecated?: boolean;
  readonly maxInputSize?: string;
}

/** Formats imported as they are: Elastic rules. */
const DIRECT = ["elastic-toml", "elastic-ndjson", "elastic-json"];
/** The target a Sigma rule goes through: ECS names, an EQL query, index patterns from its log source. */
const VIA_TARGET = "elastic";
/** How that target writes a rule, read back as an imported rule. */
const READ_BACK = "elastic-json";

/** The `import` command's yargs definition. */
export function importCommand<T>(y: Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, demandOption: true, describe: "Elastic or Sigma rule files, or folders" })
    .option("out", { type: "string", demandOption: true, describe: "folder for the rule files (input subfolders are kept)" })
    .option("skip-errors", { type: "boolean", default: false, describe: "write the rules that imported even when others failed" })
    .option("include-deprecated", { type: "boolean", default: false, describe: "also import rules under _deprecated/ folders (skipped by default)" })
    .example("rulecast import detection-rules/rules --out rules", "one rule file per Elastic rule")
    .example("rulecast import export.ndjson --out rules --skip-errors", "a Kibana export, skipping rules the format cannot hold")
    .example("rulecast import sigma/rules/windows --out rules --skip-errors", "Sigma rules as ECS rule files with EQL queries");
}

export const IMPORT_DESCRIPTION = "import Elastic rules (detection-rules TOML, Kibana ndjson, rule JSON) and Sigma rules as rulecast rule files";

interface Imported {
  readonly rule: Rule;
  readonly dir: string; // output subfolder, `/`-separated, "" for the top
  readonly content: string;
}

export function runImport(args: ImportArgs, io: Io, registry: TargetRegistry = BUILTIN_TARGETS): number {
  const diagnostics: Diagnostic[] = [];
  const failedUnits = new Set<string>();
  const fail = (d: Diagnostic) => {
    diagnostics.push(d);
    failedUnits.add(`${d.file}\u0000${d.ruleId ?? d.line ?? ""}`);
  };
  const templates = loadTemplates();
  const imported: Imported[] = [];
  const seenIds = new Map<string, string>();

  const sigma: { path: string; text: string; dir: string }[] = [];
  const units: { read: SourceRead; dir: string }[] = [];
  const limit = inputSizeLimit(args.maxInputSize, io.env);
  if (typeof limit !== "number") throw new UsageError(limit.error);
  const inputs = inputFiles(args.paths, io.cwd, args.includeDeprecated === true);
  if (inputs.deprecated > 0) io.err(`skipped ${inputs.deprecated} file(s) under _deprecated/ (retired rules; pass --include-deprecated to import them)\n`);
  for (const input of inputs.files) {
    const read = readInputText(input, limit);
    if (!read.ok) {
      fail(read.diagnostic);
      continue;
    }
    const text = stripBom(read.text);
    const format = detectFormat(input.path, text);
    const reader = format !== undefined && DIRECT.includes(format) ? sourceNamed(format) : undefined;
    if (reader) units.push({ read: reader.read(input.path, text, { knownRules: new Map() }), dir: input.dir });
    else if (format === "sigma") sigma.push({ path: input.path, text, dir: input.dir });
    else diagnostics.push({ severity: "info", code: "import/skipped", message: "not an Elastic or Sigma rule file: skipped", file: input.path, line: 1, col: 1 });
  }
  // Sigma files are read together: correlations and filters may name rules in other files.
  if (sigma.length > 0) units.push(...sigmaUnits(sigma, templates, registry, diagnostics, fail));

  for (const { read, dir } of units) {
    for (const d of read.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
    for (const rule of read.rules) {
      const earlier = seenIds.get(rule.id);
      if (earlier !== undefined) {
        fail(ruleDiagnostic(rule, { severity: "error", code: "import/duplicate-rule-id", message: `rule id ${rule.id} was already imported from ${earlier}` }));
        continue;
      }
      // The rule-file target reads each file back: a rule the format cannot hold is refused by name.
      const written = registry.ruleFiles.renderRule(rule, { templates, options: {}, vars: {} });
      const file = written.files[0];
      if (!file) {
        for (const d of written.diagnostics) fail(d);
        continue;
      }
      seenIds.set(rule.id, rule.source.file);
      imported.push({ rule, dir, content: file.content });
    }
  }

  printDiagnostics(io, diagnostics, args.verbose);
  const failed = failedUnits.size;
  io.err(`${imported.length} imported, ${failed} failed\n`);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that imported\n");
    return EXIT_FINDINGS;
  }
  writeLocked(io, resolve(io.cwd, args.out), fileNames(imported));
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Sigma rules as Elastic rules read back: each is converted by the Elastic target (its problems
 * keep their Sigma file positions) and its Kibana JSON read like an imported rule, under the
 * Sigma file's name. A rule that only feeds a correlation is skipped, as `convert` skips it.
 */
function sigmaUnits(
  files: readonly { path: string; text: string; dir: string }[],
  templates: Templates,
  registry: TargetRegistry,
  diagnostics: Diagnostic[],
  fail: (d: Diagnostic) => void,
): { read: SourceRead; dir: string }[] {
  const read = readRules(files.map((f) => ({ path: f.path, text: f.text })), { format: "sigma" });
  for (const d of read.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
  // Built-in settings only: an import writes the same files wherever it runs.
  const ctx: ConvertContext = { targets: registry.targets, templates, mappings: loadMappings({}, declaredMappings(registry)), options: defaultOptionValues(declaredOptions(registry)), vars: {} };
  const dirOf = new Map(files.map((f) => [f.path, f.dir]));
  const out: { read: SourceRead; dir: string }[] = [];
  for (const rule of read.rules) {
    const res = convertRule(rule, [VIA_TARGET], ctx);
    for (const d of res.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
    const json = res.files.find((f) => f.path.endsWith(".json"));
    if (!json) continue;
    const back = sourceNamed(READ_BACK)!.read(rule.source.file, json.content, { knownRules: new Map() });
    out.push({ read: { ...back, rules: back.rules.map((r) => ({ ...r, source: { ...rule.source } })) }, dir: dirOf.get(rule.source.file) ?? "" });
  }
  return out;
}

/**
 * `<slug>.yaml` per rule in its folder. Names shared by several rules all get `_<first 8 chars of
 * the rule id>`, so a file's name does not depend on which rule the walk met first.
 */
function fileNames(imported: readonly Imported[]): FileToWrite[] {
  const key = (i: Imported) => `${i.dir}/${slugify(i.rule.name)}`;
  const count = new Map<string, number>();
  for (const i of imported) count.set(key(i), (count.get(key(i)) ?? 0) + 1);
  return imported.map((i) => {
    const slug = slugify(i.rule.name);
    const name = (count.get(key(i)) ?? 0) > 1 ? `${slug}_${slugify(i.rule.id).slice(0, 8)}` : slug;
    return { path: i.dir ? `${i.dir}/${name}.yaml` : `${name}.yaml`, content: i.content };
  });
}

/** Input files in walk order, each with the subfolder (under the directory named) it sits in. */
/**
 * The files to import. Inside a folder named on the command line, files under a `_deprecated/`
 * subfolder are left out unless asked: detection-rules keeps retired rules there, and importing
 * them would bring back detections Elastic removed. Naming such a folder or file directly
 * imports it.
 */
function inputFiles(paths: readonly string[], cwd: string, includeDeprecated: boolean): { files: { path: string; absolute: string; dir: string }[]; deprecated: number } {
  const out: { path: string; absolute: string; dir: string }[] = [];
  let deprecated = 0;
  const seen = new Set<string>();
  for (const p of paths) {
    const root = isAbsolute(p) ? p : join(cwd, p);
    const scan = collectInputFiles([p], cwd);
    if (scan.missing.length > 0) throw new UsageError(`no such file or directory: ${scan.missing.join(", ")}`);
    const isDir = statSync(root).isDirectory();
    for (const f of scan.files) {
      if (seen.has(f.absolute)) continue;
      seen.add(f.absolute);
      const sub = isDir ? relative(root, dirname(f.absolute)).split("\\").join("/") : "";
      if (!includeDeprecated && sub.split("/").includes("_deprecated")) {
        deprecated++;
        continue;
      }
      out.push({ ...f, dir: sub === "." ? "" : sub });
    }
  }
  return { files: out, deprecated };
}

/** A UTF-8 byte-order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
