/**
 * Why rules failed, counted: after a run over a large repository the per-problem lines scroll
 * away, and what a user needs next is which few causes account for most failures.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RuleOutcome } from "../pipeline/convert.js";

export interface FailedRun {
  readonly outcomes: readonly RuleOutcome[];
  /** Problems found while reading files: a file with an error counts as one failure. */
  readonly readDiagnostics: readonly Diagnostic[];
  /** Problems found while converting rules. */
  readonly ruleDiagnostics: readonly Diagnostic[];
  /** Output names two rules share: each counts as one failure. */
  readonly collisions: readonly Diagnostic[];
}

/**
 * Each failure the run counts (a failed rule, an unreadable file, an output-name collision) is
 * counted once more here, under the code of its first error, so the counts add up to the run's
 * failure count. Most frequent first; ties by code, so the line is the same on every run.
 */
export function failureReasons(run: FailedRun): [code: string, count: number][] {
  const counts = new Map<string, number>();
  const add = (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1);
  const firstError = (ds: readonly Diagnostic[], key: (d: Diagnostic) => string) => {
    const first = new Map<string, string>();
    for (const d of ds) if (d.severity === "error" && !first.has(key(d))) first.set(key(d), d.code);
    return first;
  };
  for (const code of firstError(run.readDiagnostics, (d) => d.file ?? "").values()) add(code);
  const byRule = firstError(run.ruleDiagnostics, (d) => `${d.file ?? ""}\u0000${d.ruleId ?? ""}`);
  for (const o of run.outcomes) {
    // A target fails only with an error diagnostic, so the lookup finds one.
    if (o.failed.length > 0) add(byRule.get(`${o.rule.source.file}\u0000${o.rule.id}`) ?? "unknown");
  }
  for (const c of run.collisions) add(c.code);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** `failed rules by first error: mapping/unmapped-field 97, eql/keyword 2`, or nothing. */
export function formatFailureReasons(reasons: readonly [string, number][]): string {
  return reasons.length === 0 ? "" : `failed rules by first error: ${reasons.map(([code, n]) => `${code} ${n}`).join(", ")}\n`;
}
