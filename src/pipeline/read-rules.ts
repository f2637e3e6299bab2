/**
 * Reads every input file with the reader its format needs. One bad file or rule never stops the
 * others: problems come back as diagnostics beside the rules that did read.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { readNativeRuleFile } from "../sources/native/read-native-rule.js";
import { readElasticJson, readElasticToml, readKibanaNdjson } from "../sources/elastic/index.js";
import { readSigmaFile, type SigmaFilter } from "../sources/sigma/index.js";
import { applySigmaFilters } from "./apply-sigma-filters.js";
import { detectFormat, type InputFormat } from "./detect-format.js";

export interface SourceText {
  readonly path: string;
  readonly text: string;
  /**
   * Found by walking a folder rather than named: a YAML file there that is no rule (a CI file, a
   * docs snippet) is skipped with an info line instead of failing the run.
   */
  readonly walked?: boolean;
}

export interface ReadAll {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
  /** Sigma filter documents (applied by readRules to the rules they name). */
  readonly filters?: SigmaFilter[];
}

export interface ReadOptions {
  /** Force one reader instead of detecting per file. */
  readonly format?: InputFormat;
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export function readRules(sources: readonly SourceText[], opts: ReadOptions = {}): ReadAll {
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  const filters: SigmaFilter[] = [];
  const known = new Map<string, Rule>();
  for (const { path, text, walked } of sources) {
    const format = opts.format ?? detectFormat(path, text);
    if (format === undefined && walked && /\.ya?ml$/i.test(path)) {
      diagnostics.push({ severity: "info", code: "input/not-a-rule", message: "YAML without `rule_id:` (rulecast rule) or `detection:` (Sigma): not a rule, skipped", file: path, line: 1, col: 1, hint: "name the file itself, or pass --from, to read it as a rule" });
      continue;
    }
    const r = readOne(path, stripBom(text), format, opts, known);
    for (const rule of r.rules) {
      known.set(rule.id, rule);
      if (typeof rule.custom["name"] === "string") known.set(rule.custom["name"], rule);
    }
    rules.push(...r.rules);
    diagnostics.push(...r.diagnostics);
    if (r.filters) filters.push(...r.filters);
  }
  if (filters.length === 0) return { rules, diagnostics };
  const filtered = applySigmaFilters(rules, filters);
  return { rules: filtered.rules, diagnostics: [...diagnostics, ...filtered.diagnostics] };
}

function readOne(
  path: string,
  text: string,
  format: InputFormat | undefined,
  opts: ReadOptions,
  known: ReadonlyMap<string, Rule>,
): ReadAll {
  switch (format) {
    case "native":
      return readNativeRuleFile(path, text);
    case "sigma":
      return readSigmaFile(path, text, { knownRules: known, ...(opts.placeholders ? { placeholders: opts.placeholders } : {}) });
    case "elastic-toml":
      return readElasticToml(path, text);
    case "elastic-json":
      return readElasticJson(path, text);
    case "elastic-ndjson":
      return readKibanaNdjson(path, text);
    case undefined:
      return unreadable(path, "not a rule file: no `rule_id:` (rulecast rule) or `detection:` (Sigma) key", "pass --from native|sigma to force a reader");
  }
}

function unreadable(file: string, message: string, hint: string): ReadAll {
  return { rules: [], diagnostics: [{ severity: "error", code: "input/unknown-format", message, file, line: 1, col: 1, hint }] };
}

/** A UTF-8 byte-order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
