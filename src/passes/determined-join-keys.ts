/**
 * Drops sequence-wide join keys that the other keys determine (ECS → Sigma). ECS defines
 * `process.entity_id` as an identifier unique across hosts ("to identify a specific process over
 * time, across multiple monitored hosts"), and a process, its parent and its session leader run on
 * the host an endpoint event names in `host.id`. So `sequence by host.id, process.entity_id` joins
 * exactly the events `sequence by process.entity_id` joins: equal entity ids are one process, on one
 * host. The host key has no Sigma name (Sigma's taxonomy has no host identifier); without this it
 * kept the whole rule in ECS names.
 *
 * Only where every step joins on a determining field at one position of its key tuple (sequence-wide
 * keys first, then the step's own): a step keyed on something else could join events of two hosts.
 */
import type { Query, SequenceStep } from "../ir/query.js";

export function dropDeterminedKeys(query: Query, determined: Readonly<Record<string, readonly string[]>>): Query {
  if (query.kind !== "sequence" && query.kind !== "sample") return query;
  const steps: readonly SequenceStep[] = query.kind === "sequence" && query.until ? [...query.steps, query.until] : query.steps;
  const tuples = steps.map((s) => [...query.by, ...s.by]);
  const width = tuples[0]?.length ?? 0;
  if (tuples.some((t) => t.length !== width)) return query;
  const by = query.by.filter((key) => {
    const determiners = determined[key];
    if (!determiners) return true;
    for (let p = 0; p < width; p++) if (tuples.every((t) => determiners.includes(t[p]!))) return false;
    return true;
  });
  if (by.length === query.by.length) return query;
  return { ...query, by };
}
