/**
 * Drops join keys (sequence-wide or a step's own) that the other keys determine (ECS → Sigma). ECS defines
 * `process.entity_id` as an identifier unique across hosts ("to identify a specific process over
 * time, across multiple monitored hosts"), and a process, its parent and its session leader run on
 * the host an endpoint event names in `host.id`. So `sequence by host.id, process.entity_id` joins
 * exactly the events `sequence by process.entity_id` joins: equal entity ids are one process, on one
 * host. The host key has no Sigma name (Sigma's taxonomy has no host identifier); without this it
 * kept the whole rule in ECS names.
 *
 * Only where every step joins on a determining field at one position of its key tuple (sequence-wide
 * keys first, then the step's own): a step keyed on something else could join events of two hosts.
 * A step's own host key (`[...] by host.id, process.entity_id` in every step) is dropped the same way
 * as a sequence-wide one: the positions of a key tuple join alike, wherever they are written.
 */
import type { Query, SequenceStep } from "../ir/query.js";

export function dropDeterminedKeys(query: Query, determined: Readonly<Record<string, readonly string[]>>): Query {
  if (query.kind !== "sequence" && query.kind !== "sample") return query;
  const steps: readonly SequenceStep[] = query.kind === "sequence" && query.until ? [...query.steps, query.until] : query.steps;
  const tuples = steps.map((s) => [...query.by, ...s.by]);
  const width = tuples[0]?.length ?? 0;
  if (tuples.some((t) => t.length !== width)) return query;
  const shared = query.by.length;
  /** Key position `p` says nothing more: in every step another position joins on a field that determines that step's key at `p`. */
  const redundant = (p: number, dropped: ReadonlySet<number>): boolean => {
    for (let q = 0; q < width; q++) {
      if (q === p || dropped.has(q)) continue;
      if (tuples.every((t) => determined[t[p]!]?.includes(t[q]!) === true)) return true;
    }
    return false;
  };
  const dropped = new Set<number>();
  // Sequence-wide keys first, then each step's own (`[...] by host.id, process.entity_id`): a
  // position is judged against the positions still kept, so two keys never justify each other.
  for (let p = 0; p < width; p++) if (redundant(p, dropped)) dropped.add(p);
  if (dropped.size === 0) return query;
  const own = (s: SequenceStep): SequenceStep => ({ ...s, by: s.by.filter((_, i) => !dropped.has(shared + i)) });
  const by = query.by.filter((_, i) => !dropped.has(i));
  if (query.kind === "sample") return { ...query, by, steps: query.steps.map(own) };
  return { ...query, by, steps: query.steps.map(own), ...(query.until ? { until: own(query.until) } : {}) };
}
