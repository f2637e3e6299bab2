/**
 * The groups a correlation alerts on, as sorted JSON keys, for tests that compare the IR's
 * evaluation with ES|QL's over random streams.
 */
import type { StreamMatch } from "../../src/eval/stream-result.js";

/** ES|QL's rows by their group-by values; a row with a NULL key is left out (the IR has no such group). */
export function esqlGroups(rows: readonly ReadonlyMap<string, unknown>[], groupBy: readonly string[]): string[] {
  return rows
    .map((row) => JSON.stringify(groupBy.map((g) => row.get(g) ?? null)))
    .filter((k) => !JSON.parse(k).includes(null))
    .sort();
}

/** The IR's matches by their keys, each group once. */
export function irGroups(matches: readonly StreamMatch[]): string[] {
  return [...new Set(matches.map((m) => JSON.stringify(m.key ?? [])))].sort();
}
