/**
 * Problems a field mapping reports (an unmapped field, a widened match) as diagnostics of the rule,
 * placed at the first query node that names the field; an unmapped field's severity and hint follow
 * the user's `--unmapped` policy.
 */
import type { Diagnostic } from "./diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { fieldSpan, ruleDiagnostic } from "./rule-diagnostic.js";

/**
 * A field the mapping does not know: `error` fails the rule for that target (the default);
 * `warning` and `keep` keep the field's own name, reported as a warning or an info line; `skip`
 * leaves the rule out of that target without counting it as a failure (an info line says why).
 */
export type UnmappedPolicy = "error" | "warning" | "keep" | "skip";

export const UNMAPPED_POLICIES = ["error", "warning", "keep", "skip"] as const satisfies readonly UnmappedPolicy[];

/** What a mapping pass reports about one field. */
export interface FieldProblem {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

const UNMAPPED_SEVERITY: Readonly<Record<UnmappedPolicy, "error" | "warning" | "info">> = {
  error: "error",
  warning: "warning",
  keep: "info",
  skip: "warning",
};

const UNMAPPED_HINT: Readonly<Record<UnmappedPolicy, string>> = {
  error: "add the field to a mapping override in rulecast.config.yaml, or pick another --unmapped policy (warning, keep, skip)",
  warning: "the field keeps its own name; add it to a mapping override in rulecast.config.yaml",
  keep: "the field keeps its own name; add it to a mapping override in rulecast.config.yaml",
  skip: "the rule is left out of this target; add the field to a mapping override in rulecast.config.yaml",
};

/** The `field` of a problem about the rule's log source as a whole (placed at `logsource:`). */
export const LOGSOURCE = "logsource";

/**
 * A field kept by its own name because its log source has no mapping entry (no integration stores
 * it): a warning by default, but still an unmapped field to a user who chose `keep` (an info line)
 * or `skip` (the rule is left out).
 */
export const KEPT_UNDER_UNMAPPED_SOURCE = "mapping/unmapped-source-field";

/** The `skip` policy leaves a rule with an unmapped field out of the target. */
export function skipsRule(problems: readonly FieldProblem[], unmapped: UnmappedPolicy): boolean {
  return unmapped === "skip" && problems.some((p) => p.code === "mapping/unmapped-field" || p.code === KEPT_UNDER_UNMAPPED_SOURCE);
}

function severityOf(p: FieldProblem, unmapped: UnmappedPolicy): "error" | "warning" | "info" {
  if (p.code === "mapping/unmapped-field") return UNMAPPED_SEVERITY[unmapped];
  if (p.code === KEPT_UNDER_UNMAPPED_SOURCE && unmapped === "keep") return "info";
  return p.severity;
}

export function problemsToDiagnostics(rule: Rule, problems: readonly FieldProblem[], unmapped: UnmappedPolicy): Diagnostic[] {
  return problems.map((p) =>
    ruleDiagnostic(rule, {
      severity: severityOf(p, unmapped),
      code: p.code,
      message: p.message,
      ...(p.code === "mapping/unmapped-field" || (p.code === KEPT_UNDER_UNMAPPED_SOURCE && unmapped === "skip") ? { hint: UNMAPPED_HINT[unmapped] } : {}),
    }, fieldSpan(rule.query, p.field) ?? (p.field === LOGSOURCE ? LOGSOURCE : undefined)),
  );
}
