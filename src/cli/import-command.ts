/**
 * `rulecast import PATHS.. --out DIR`: Elastic rules (detection-rules TOML, Kibana export ndjson,
 * rule JSON) and Sigma rules → one rulecast rule file per rule, `<slug>.yaml`, in the input's
 * subfolders. A Sigma rule goes through the Elastic target first (ECS names, an EQL query, index
 * patterns from its log source), so it lands exactly as `convert --to elastic` would write it.
 * Every file is read back before it is written: a rule the rule-file format cannot hold exactly
 * (a type the schema lacks, a value that would change) is refused by name, never written lossy.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { slugify } from "../ir/ids.js";
import type { Rule } from "../ir/rule.js";
import { loadMappings } from "../mapping/mappings.js";
import { convertRule } from "../pipeline/convert.js";
import { detectFormat } from "../pipeline/detect-format.js";
import { collectInputFiles } from "../pipeline/input-files.js";
import { readRules } from "../pipeline/read-rules.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import { writeOutput, type FileToWrite } from "../pipeline/write-output.js";
import { loadTemplates, type Templates } from "../render/templates.js";
import { readElasticJson, readElasticToml, readKibanaNdjson, type ElasticReadResult } from "../sources/elastic/index.js";
import { readNativeRuleFile } from "../sources/native/read-native-rule.js";
import { writeNativeRule } from "../targets/native/native-rule-writer.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, UsageError, type Io } from "./io.js";

export interface ImportArgs {
  readonly paths: readonly string[];
  readonly out: string;
  readonly skipErrors: boolean;
  readonly verbose: boolean;
}

/** Rule types the rule-file schema (schema/rule.schema.json `type`) can hold. */
const NATIVE_TYPES: readonly string[] = ["query", "eql", "threshold", "esql", "new_terms"];

const READERS: readonly { ext: string; read: (path: string, text: string) => ElasticReadResult }[] = [
  { ext: ".toml", read: readElasticToml },
  { ext: ".ndjson", read: readKibanaNdjson },
  { ext: ".json", read: readElasticJson },
];

interface Imported {
  readonly rule: Rule;
  readonly dir: string; // output subfolder, `/`-separated, "" for the top
  readonly content: string;
}

export function runImport(args: ImportArgs, io: Io): number {
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
  const units: { read: ElasticReadResult; dir: string }[] = [];
  for (const input of inputFiles(args.paths, io.cwd)) {
    const text = stripBom(readFileSync(input.absolute, "utf8"));
    const reader = READERS.find((r) => input.path.toLowerCase().endsWith(r.ext));
    if (reader) units.push({ read: reader.read(input.path, text), dir: input.dir });
    else if (detectFormat(input.path, text) === "sigma") sigma.push({ path: input.path, text, dir: input.dir });
    else diagnostics.push({ severity: "info", code: "import/skipped", message: "not an Elastic or Sigma rule file: skipped", file: input.path, line: 1, col: 1 });
  }
  // Sigma files are read together: correlations and filters may name rules in other files.
  if (sigma.length > 0) units.push(...sigmaUnits(sigma, templates, diagnostics, fail));

  for (const { read, dir } of units) {
    for (const d of read.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
    for (const rule of read.rules) {
      const earlier = seenIds.get(rule.id);
      if (earlier !== undefined) {
        fail(ruleDiagnostic(rule, { severity: "error", code: "import/duplicate-rule-id", message: `rule id ${rule.id} was already imported from ${earlier}` }));
        continue;
      }
      const written = toNativeFile(rule, templates);
      if ("error" in written) {
        fail(ruleDiagnostic(rule, written.error));
        continue;
      }
      seenIds.set(rule.id, rule.source.file);
      imported.push({ rule, dir, content: written.content });
    }
  }

  printDiagnostics(io, diagnostics, args.verbose);
  const failed = failedUnits.size;
  io.err(`${imported.length} imported, ${failed} failed\n`);
  if (failed > 0 && !args.skipErrors) {
    io.err("nothing written: fix the errors above, or pass --skip-errors to write the rules that imported\n");
    return EXIT_FINDINGS;
  }
  writeOutput(resolve(io.cwd, args.out), fileNames(imported), [], false);
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
  diagnostics: Diagnostic[],
  fail: (d: Diagnostic) => void,
): { read: ElasticReadResult; dir: string }[] {
  const read = readRules(files.map((f) => ({ path: f.path, text: f.text })), { format: "sigma" });
  for (const d of read.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
  const ctx = { templates, mappings: loadMappings(), options: { elasticLanguage: "eql" as const, unmapped: "error" as const } };
  const dirOf = new Map(files.map((f) => [f.path, f.dir]));
  const out: { read: ElasticReadResult; dir: string }[] = [];
  for (const rule of read.rules) {
    const res = convertRule(rule, ["elastic"], ctx);
    for (const d of res.diagnostics) (d.severity === "error" ? fail(d) : diagnostics.push(d));
    const json = res.files.find((f) => f.path.endsWith(".json"));
    if (!json) continue;
    const back = readElasticJson(rule.source.file, json.content);
    out.push({ read: { ...back, rules: back.rules.map((r) => ({ ...r, source: { ...rule.source } })) }, dir: dirOf.get(rule.source.file) ?? "" });
  }
  return out;
}

/** The rule file for a rule, checked by reading it back; or why the format cannot hold the rule. */
function toNativeFile(rule: Rule, templates: Templates): { content: string } | { error: { severity: "error"; code: string; message: string; hint?: string } } {
  if (!NATIVE_TYPES.includes(rule.type)) {
    return {
      error: {
        severity: "error",
        code: "import/unsupported-type",
        message: `rule type \`${rule.type}\` cannot be written as a rulecast rule file`,
        hint: `the rule-file schema allows ${NATIVE_TYPES.join(", ")}`,
      },
    };
  }
  const content = writeNativeRule(rule, templates);
  const back = readNativeRuleFile(`${slugify(rule.name)}.yaml`, content);
  const problem = back.diagnostics.find((d) => d.severity === "error");
  if (problem || back.rules.length !== 1) {
    return {
      error: {
        severity: "error",
        code: "import/not-representable",
        message: `the rule file would not read back: ${problem ? `${problem.code}: ${problem.message}` : "no rule"}`,
      },
    };
  }
  const changed = changedFields(rule, back.rules[0]!);
  if (changed.length > 0) {
    return { error: { severity: "error", code: "import/round-trip", message: `the rule file would change ${changed.map((f) => `\`${f}\``).join(", ")}` } };
  }
  return { content };
}

/** Rule fields (all but `source`) whose values differ, compared as JSON data. */
export function changedFields(a: Rule, b: Rule): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "source").sort();
  const json = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return keys.filter((k) => !isDeepStrictEqual(json((a as unknown as Record<string, unknown>)[k]), json((b as unknown as Record<string, unknown>)[k])));
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
    const name = (count.get(key(i)) ?? 0) > 1 ? `${slug}_${i.rule.id.slice(0, 8)}` : slug;
    return { path: i.dir ? `${i.dir}/${name}.yaml` : `${name}.yaml`, content: i.content };
  });
}

/** Input files in walk order, each with the subfolder (under the directory named) it sits in. */
function inputFiles(paths: readonly string[], cwd: string): { path: string; absolute: string; dir: string }[] {
  const out: { path: string; absolute: string; dir: string }[] = [];
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
      out.push({ ...f, dir: sub === "." ? "" : sub });
    }
  }
  return out;
}

/** A UTF-8 byte-order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
