import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";

/** A diagnostic about a rule as a whole or its query, placed at the query in the rule's file. */
export function ruleDiagnostic(
  rule: Rule,
  d: { severity: Severity; code: string; message: string; hint?: string },
): Diagnostic {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: rule.source.file,
    line: rule.source.queryLine ?? rule.source.line,
    col: rule.source.queryCol ?? 1,
    ruleId: rule.id,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}
