/**
 * What a rule format is: one declaration (`SourceSpec`) exported from its folder under
 * src/sources/ and listed in src/sources/registry.ts, which reading, format detection,
 * `--from` and `rulecast list formats` all use.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";

export interface SourceContext {
  /** Values of Sigma `%name%` placeholders (the `expand` modifier). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
  /** Rules read so far, by id and by `name` (a Sigma correlation may name rules in other files). */
  readonly knownRules: ReadonlyMap<string, Rule>;
}

export interface SourceRead {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
  /** What the format applies once every file is read (Sigma filters), handed to `finish`. */
  readonly pending?: readonly unknown[];
}

export interface SourceSpec {
  /** `--from` and `source.format` name it. */
  readonly format: string;
  /** One line for `rulecast list formats`. */
  readonly summary: string;
  /** Whether a file is in this format, from its name and, where names are shared (YAML), its text. */
  detect(path: string, text: string): boolean;
  /** Whether text with no file name (stdin) is in this format. */
  detectText?(text: string): boolean;
  read(path: string, text: string, ctx: SourceContext): SourceRead;
  /** Applies what `read` left pending, over every rule read (of any format). */
  finish?(rules: readonly Rule[], pending: readonly unknown[]): { rules: Rule[]; diagnostics: Diagnostic[] };
}

/** A file name ends with one of these extensions (any case). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return extensions.some((x) => lower.endsWith(x));
}
