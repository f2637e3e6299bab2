/**
 * Per-document reading state: where diagnostics go and how offsets become file positions.
 * One context per document, so a failing document never leaks into another.
 */
import type { Diagnostic, Severity } from "../../diagnostics/diagnostic.js";
import { lineColAt } from "../../diagnostics/source-text.js";

export interface FileText {
  readonly file: string;
  readonly text: string;
  readonly starts: readonly number[];
}

export interface DocContext {
  readonly src: FileText;
  readonly diagnostics: Diagnostic[];
  ruleId?: string;
}

export function report(
  ctx: DocContext,
  severity: Severity,
  code: string,
  message: string,
  offset: number,
  hint: string,
): void {
  const { line, col } = lineColAt(ctx.src.text, offset, ctx.src.starts);
  ctx.diagnostics.push({
    severity,
    code,
    message,
    file: ctx.src.file,
    line,
    col,
    ...(ctx.ruleId ? { ruleId: ctx.ruleId } : {}),
    hint,
  });
}

export function hasDocErrors(ctx: DocContext): boolean {
  return ctx.diagnostics.some((d) => d.severity === "error");
}
