/**
 * One input file read into rules, the config's rule defaults applied: what a streaming run does
 * per file, on the main thread or in a worker of the pool (parallel-convert.ts), the same way.
 */
import { applyRuleDefaults, setsRuleDefaults, topLevelKeys, type RuleDefaults } from "../config/apply-defaults.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { readInputText, type InputFile } from "./input-files.js";
import { readRules, type ReadOptions, type SourceText } from "./read-rules.js";

/** What reading a file needs besides the file: plain data, so a worker thread can be sent it. */
export interface FileReadSetup {
  readonly maxInputSize: number;
  readonly read: ReadOptions;
  readonly defaults: RuleDefaults;
}

export type FileRead =
  | { readonly failure: Diagnostic }
  | { readonly source: SourceText; readonly rules: readonly Rule[]; readonly diagnostics: readonly Diagnostic[] };

/** The file's text, or the diagnostic that says why it could not be read. */
export function readSource(f: InputFile, maxInputSize: number): SourceText | { readonly failure: Diagnostic } {
  const input = readInputText(f, maxInputSize);
  if (!input.ok) return { failure: input.diagnostic };
  return { path: f.path, text: input.text, ...(f.explicit ? {} : { walked: true }) };
}

export function readInputFile(f: InputFile, setup: FileReadSetup): FileRead {
  const source = readSource(f, setup.maxInputSize);
  if ("failure" in source) return source;
  const read = readRules([source], setup.read);
  return { source, rules: withRuleDefaults(read.rules, new Map([[source.path, source.text]]), setup.defaults), diagnostics: read.diagnostics };
}

/** Each rule with the config's defaults, where the file it came from does not set the key itself. */
export function withRuleDefaults(rules: readonly Rule[], texts: ReadonlyMap<string, string>, defaults: RuleDefaults): Rule[] {
  if (!setsRuleDefaults(defaults)) return [...rules];
  const keys = new Map<string, Set<string>>();
  return rules.map((r) => {
    let k = keys.get(r.source.file);
    if (!k) keys.set(r.source.file, (k = texts.has(r.source.file) ? topLevelKeys(texts.get(r.source.file)!) : new Set()));
    return applyRuleDefaults(r, defaults, k);
  });
}
