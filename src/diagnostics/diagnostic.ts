/**
 * Errors are values: every reader, pass and renderer returns these; only the CLI prints them.
 */
import { oneLine, shownPath } from "./display-text.js";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable identifier, e.g. `kql/unexpected-token`, `mapping/unmapped-field`. */
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  /** 1-based line and column in `file`. */
  readonly line?: number;
  readonly col?: number;
  readonly ruleId?: string;
  readonly hint?: string;
}

/**
 * `file:line:col: severity code: message [rule id] (hint: ...)` on exactly one line: user text in
 * every part is escaped (display-text.ts), so a rule cannot forge other lines or CI commands.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${shownPath(d.file)}:${d.line ?? 1}:${d.col ?? 1}: ` : "";
  const rule = d.ruleId ? ` [rule ${oneLine(d.ruleId)}]` : "";
  const hint = d.hint ? ` (hint: ${oneLine(d.hint)})` : "";
  return `${where}${d.severity} ${oneLine(d.code)}: ${oneLine(d.message)}${rule}${hint}`;
}
