/**
 * Errors are values: every reader, pass and renderer returns these; only the CLI prints them.
 */
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

/** `file:line:col: severity code: message (rule id) hint: ...` on one line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.col ?? 1}: ` : "";
  const rule = d.ruleId ? ` [rule ${d.ruleId}]` : "";
  const hint = d.hint ? ` (hint: ${d.hint})` : "";
  return `${where}${d.severity} ${d.code}: ${oneLine(d.message)}${rule}${oneLine(hint)}`;
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, "\\n");
}
