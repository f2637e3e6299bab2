/**
 * What every report format holds: one entry per finding, placed in the rule file so CI UIs and
 * GitHub code scanning annotate the line. Built from diagnostics plus the title of the rule each
 * is about.
 */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";

export interface ReportEntry {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly ruleId?: string;
  readonly title?: string;
  /** The diagnostic code, e.g. `attack/unknown-technique`. */
  readonly checkId: string;
  readonly severity: Severity;
  readonly message: string;
}

/** The rules a run looked at, so reports can list passing rules too (JUnit test cases). */
export interface ReportedRule {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly line: number;
}

export interface Report {
  /** `convert` or `check`. */
  readonly command: string;
  readonly rules: readonly ReportedRule[];
  readonly entries: readonly ReportEntry[];
  /** Which severities fail the run: `error` alone, or `warning` and `error`. */
  readonly failOn: "warning" | "error";
  readonly summary: Readonly<Record<string, number>>;
}

export function toEntries(ds: readonly Diagnostic[], rules: readonly ReportedRule[]): ReportEntry[] {
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  return ds.map((d) => {
    const title = d.ruleId ? titles.get(d.ruleId) : undefined;
    return {
      file: d.file ?? "",
      line: d.line ?? 1,
      column: d.col ?? 1,
      ...(d.ruleId ? { ruleId: d.ruleId } : {}),
      ...(title !== undefined ? { title } : {}),
      checkId: d.code,
      severity: d.severity,
      message: d.hint ? `${d.message} (hint: ${d.hint})` : d.message,
    };
  });
}

/** Whether an entry fails the run at the chosen level. */
export function isFailing(e: { readonly severity: Severity }, failOn: "warning" | "error"): boolean {
  return e.severity === "error" || (failOn === "warning" && e.severity === "warning");
}
