/**
 * An argument count as a condition on the command line (ECS → Sigma): Sigma has no field for ECS
 * `process.args_count`. Arguments are separated by blanks (Elastic Defend and Sysmon for Linux join
 * argv with spaces; Windows splits its command line at spaces and tabs outside quotes, as the Windows
 * integration's pipeline does), so N arguments are a command line with at least N-1 blanks. An
 * argument may hold blanks of its own, so the converse fails: only a lower bound (`>= N`, `> N`) can
 * be said, and it matches more (a warning), so only where a match counts for the rule.
 */
import type { Query } from "../ir/query.js";

/** `q` (a range on an argument count) as a test of the command line `to`, or why it cannot be. */
export function argCountQuery(q: Extract<Query, { kind: "range" }>, to: string): { readonly query: Query; readonly atLeast: number } | { readonly reason: string } {
  const v = q.value.kind === "number" && Number.isInteger(q.value.value) ? q.value.value : undefined;
  const atLeast = v === undefined ? undefined : q.op === "gte" ? v : q.op === "gt" ? v + 1 : undefined;
  if (atLeast === undefined) return { reason: "only a lower bound on a whole number (`>= N`, `> N`) is a number of blanks in it" };
  const keep = { ...(q.span ? { span: q.span } : {}), ...(q.search ? { search: q.search } : {}) };
  // At least one argument: the command line is there.
  if (atLeast <= 1) return { query: { kind: "exists", field: to, ...keep }, atLeast };
  // Each repetition takes what precedes one blank and the blank itself: one way to match, so a
  // backtracking engine stays linear (`(.*[ ]){n}` would not). A tab is written as itself: `\t` is a
  // `t` in a Lucene regex.
  return { query: { kind: "regex", field: to, pattern: `([^ \t]*[ \t]){${atLeast - 1}}.*`, dialect: "lucene", caseSensitive: false, ...keep }, atLeast };
}
