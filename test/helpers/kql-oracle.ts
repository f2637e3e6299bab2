/**
 * Kibana's own reading of KQL (../shared/oracles/kql/check-kql.js: Kibana's grammar and its
 * compilation to the Query DSL over ECS field types), run as it is, read-only, from the repo root.
 */
import { spawnSync } from "node:child_process";

export interface KqlVerdict {
  readonly id: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly findings?: readonly { kind: string; field?: string; query: string }[];
}

/** Queries Kibana would not parse, or would send as a whitespace-split or field-less query_string. */
export function kibanaKqlProblems(queries: readonly { id: string; query: string }[]): string[] {
  const input = queries.map((q) => JSON.stringify(q)).join("\n") + "\n";
  const run = spawnSync(process.execPath, ["../shared/oracles/kql/check-kql.js"], { input, encoding: "utf8", maxBuffer: 1 << 30 });
  const verdicts = run.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as KqlVerdict);
  if (verdicts.length !== queries.length) throw new Error(`the KQL oracle answered ${verdicts.length} of ${queries.length} queries: ${run.stderr}`);
  return verdicts.flatMap((v, i) => {
    if (!v.ok) return [`${v.id}: does not parse (${v.error}): ${queries[i]!.query}`];
    const bad = (v.findings ?? []).filter((f) => f.kind !== "freetext_multi_match");
    return bad.map((f) => `${v.id}: ${f.kind}${f.field ? ` on ${f.field}` : ""} "${f.query}"`);
  });
}
