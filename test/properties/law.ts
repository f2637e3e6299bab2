/**
 * The round-trip law shared by every language: for each event, the IR's verdict equals the
 * verdict of the rendering read back. Printer warnings name a documented change of the match;
 * `withChanges` applies it to the IR so the law checks the documented meaning, not the original.
 */
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import type { PrintIssue } from "../../src/query/print-result.js";

/** Counts kept by one property test so that a high skip rate fails it (a vacuous law). */
export interface LawStats {
  cases: number;
  /** The printer refused the query (an error issue). */
  refused: number;
  /** The IR itself cannot be evaluated (a regex the evaluator refuses). */
  unevaluable: number;
  /** Cases with at least one warning, checked against the documented change. */
  changed: number;
  /** Disagreeing events explained by a named known difference, by name. */
  known: Record<string, number>;
}

export function newStats(): LawStats {
  return { cases: 0, refused: 0, unevaluable: 0, changed: 0, known: {} };
}

export function formatStats(name: string, s: LawStats): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, s.cases)).toFixed(1)}%`;
  return `${name}: ${s.cases} cases, ${s.refused} refused by the printer (${pct(s.refused)}), ${s.unevaluable} unevaluable (${pct(s.unevaluable)}), ${s.changed} checked against a documented change (${pct(s.changed)})${Object.entries(s.known).map(([k, n]) => `; known "${k}": ${n} events`).join("")}`;
}

/** Replaces nodes (found by identity, as printers report them) with their documented meaning. */
export function withChanges(q: Query, change: (node: Query) => Query | undefined): Query {
  const c = change(q);
  if (c !== undefined) return c;
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map((x) => withChanges(x, change)) };
    case "not":
      return { ...q, child: withChanges(q.child, change) };
    default:
      return q;
  }
}

/** A change function from printer warnings: each warned node is rewritten by its code's rule. */
export function documentedChanges(issues: readonly PrintIssue[], rules: Readonly<Record<string, (node: Query) => Query>>): (node: Query) => Query | undefined {
  const byNode = new Map<Query, PrintIssue>();
  for (const i of issues) if (i.severity === "warning") byNode.set(i.node, i);
  return (node) => {
    const i = byNode.get(node);
    if (!i) return undefined;
    const rule = rules[i.code];
    if (!rule) throw new Error(`printer warning ${i.code} has no documented change in the law: ${i.reason}`);
    return rule(node);
  };
}

/**
 * A named, narrow known difference: `applies` says whether an event that disagrees is explained
 * by it. Each one is reported (see the test's log) rather than excluded wholesale.
 */
export interface Known {
  readonly name: string;
  readonly applies: (ir: Query, event: Record<string, unknown>) => boolean;
}

export type Verdict = (event: Record<string, unknown>) => { ok: true; matched: boolean } | { ok: false; reason: string };

/**
 * Checks every event; returns a message for the first disagreement, `undefined` when all agree.
 * `expected` must compile (callers count an IR that does not as unevaluable and skip it).
 */
export function disagreement(
  expected: Query,
  actual: Verdict,
  events: readonly Record<string, unknown>[],
  text: string,
  known: readonly Known[] = [],
  onKnown: (k: Known) => void = () => {},
): string | undefined {
  const c = compileQuery(expected);
  if (!c.ok) return `the expected IR does not compile: ${c.reason}`;
  for (const e of events) {
    const want = c.test(e);
    const got = actual(e);
    if (!got.ok) return `${text}\nread back, it cannot be evaluated: ${got.reason}\nevent: ${JSON.stringify(e)}`;
    if (got.matched !== want) {
      const k = known.find((x) => x.applies(expected, e));
      if (k) {
        onKnown(k);
        continue;
      }
      return `${text}\nIR ${JSON.stringify(expected)}\nevent ${JSON.stringify(e)}\nIR says ${want}, the rendering read back says ${got.matched}`;
    }
  }
  return undefined;
}

/** Counts a known difference in the stats. */
export function countKnown(s: LawStats): (k: Known) => void {
  return (k) => {
    s.known[k.name] = (s.known[k.name] ?? 0) + 1;
  };
}
