/**
 * Reads every input file with the reader its format needs (src/sources/registry.ts). One bad file
 * or rule never stops the others: problems come back as diagnostics beside the rules that did read.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { detectFormat, SOURCES, sourceNamed } from "../sources/registry.js";

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
}

export interface ReadOptions {
  /** Force one reader (a format of src/sources/registry.ts) instead of detecting per file. */
  readonly format?: string;
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export function readRules(sources: readonly SourceText[], opts: ReadOptions = {}): ReadAll {
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  const pending = new Map<string, unknown[]>();
  const known = new Map<string, Rule>();
  const ctx = { knownRules: known, ...(opts.placeholders ? { placeholders: opts.placeholders } : {}) };
  for (const { path, text, walked } of sources) {
    const format = opts.format ?? detectFormat(path, text);
    if (format === undefined && walked && /\.ya?ml$/i.test(path)) {
      diagnostics.push({ severity: "info", code: "input/not-a-rule", message: "YAML without `rule_id:` (rulecast rule) or `detection:` (Sigma): not a rule, skipped", file: path, line: 1, col: 1, hint: "name the file itself, or pass --from, to read it as a rule" });
      continue;
    }
    const source = format === undefined ? undefined : sourceNamed(format);
    if (!source) {
      diagnostics.push(unreadable(path));
      continue;
    }
    const r = source.read(path, stripBom(text), ctx);
    for (const rule of r.rules) {
      known.set(rule.id, rule);
      if (typeof rule.custom["name"] === "string") known.set(rule.custom["name"], rule);
    }
    rules.push(...r.rules);
    diagnostics.push(...r.diagnostics);
    if (r.pending?.length) pending.set(source.format, [...(pending.get(source.format) ?? []), ...r.pending]);
  }
  let out = rules;
  for (const source of SOURCES) {
    const p = pending.get(source.format);
    if (!p || !source.finish) continue;
    const finished = source.finish(out, p);
    out = finished.rules;
    diagnostics.push(...finished.diagnostics);
  }
  return { rules: out, diagnostics };
}

function unreadable(file: string): Diagnostic {
  return {
    severity: "error",
    code: "input/unknown-format",
    message: "not a rule file: no `rule_id:` (rulecast rule) or `detection:` (Sigma) key",
    file,
    line: 1,
    col: 1,
    hint: "pass --from native|sigma to force a reader",
  };
}

/** A UTF-8 byte-order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
