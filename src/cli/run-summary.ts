/**
 * The line that ends `convert`: outputs are per rule and target, so a rule is counted by how many
 * of its targets it reached. A summary that counted rules alone said `0 converted, 1 failed` while
 * the rule's Splunk files were written.
 */
import type { RuleOutcome } from "../pipeline/convert.js";

export interface RunCounts {
  /** Rules read (a file that fails to load has none to count; it is counted apart). */
  readonly rules: number;
  /** Converted to every target the run names, except targets `--unmapped skip` left it out of. */
  readonly every: number;
  /** Of `every`: rules `--unmapped skip` left out of some targets. */
  readonly everyLeftOut: number;
  /** Failed for some targets and converted to others. */
  readonly some: number;
  /** Per target, in the run's target order: how many of the `some` rules it holds. */
  readonly someByTarget: readonly (readonly [target: string, rules: number])[];
  /** Failed for every target it was not left out of. */
  readonly none: number;
  /** Left out of every target on purpose. */
  readonly skipped: number;
  readonly unreadableFiles: number;
  readonly nameCollisions: number;
  /** What the exit code follows: every count above that is a failure. */
  readonly failed: number;
}

export function runCounts(outcomes: readonly RuleOutcome[], targets: readonly string[], unreadableFiles: number, nameCollisions: number): RunCounts {
  let every = 0;
  let everyLeftOut = 0;
  let some = 0;
  let none = 0;
  let skipped = 0;
  const byTarget = new Map<string, number>(targets.map((t) => [t, 0]));
  for (const o of outcomes) {
    if (o.skipped) skipped++;
    else if (o.failed.length === 0) {
      every++;
      if (o.skippedFor.length > 0) everyLeftOut++;
    } else if (o.converted.length > 0) {
      some++;
      for (const t of o.converted) byTarget.set(t, (byTarget.get(t) ?? 0) + 1);
    } else none++;
  }
  return {
    rules: outcomes.length,
    every,
    everyLeftOut,
    some,
    someByTarget: [...byTarget],
    none,
    skipped,
    unreadableFiles,
    nameCollisions,
    failed: some + none + unreadableFiles + nameCollisions,
  };
}

/**
 * `3 rules: 1 converted to every target, 1 to some (sigma 1, splunk 0, elastic 1), 1 to none, 0 skipped`,
 * then what else failed the run, if anything.
 */
export function formatRunSummary(c: RunCounts): string {
  const leftOut = c.everyLeftOut > 0 ? ` (${c.everyLeftOut} left out of some by --unmapped skip)` : "";
  const someTargets = c.some > 0 ? ` (${c.someByTarget.map(([t, n]) => `${t} ${n}`).join(", ")})` : "";
  const extra = [
    ...(c.unreadableFiles > 0 ? [`${c.unreadableFiles} ${c.unreadableFiles === 1 ? "file" : "files"} failed to load`] : []),
    ...(c.nameCollisions > 0 ? [`${c.nameCollisions} output ${c.nameCollisions === 1 ? "name" : "names"} taken twice`] : []),
  ];
  const rules = `${c.rules} ${c.rules === 1 ? "rule" : "rules"}`;
  return `${rules}: ${c.every} converted to every target${leftOut}, ${c.some} to some${someTargets}, ${c.none} to none, ${c.skipped} skipped${extra.length > 0 ? `; ${extra.join(", ")}` : ""}\n`;
}
