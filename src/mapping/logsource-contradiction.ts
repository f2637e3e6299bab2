/**
 * A log source's conditions put in front of a query (`EventCode=1` for process_creation) and a
 * conjunct of the query that allows only other whole values of the same field (`EventCode="10"`,
 * as an ECS rule's event.code beside an event.category it was lifted from): the search would match
 * no event. The callers refuse such a rule by name rather than write it.
 */
import type { Query } from "../ir/query.js";

export interface LogsourceContradiction {
  readonly field: string;
  readonly message: string;
}

export function logsourceContradiction(conditions: Readonly<Record<string, unknown>>, body: readonly Query[]): LogsourceContradiction | undefined {
  for (const [field, v] of Object.entries(conditions)) {
    const allowed = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    const folded = new Set(allowed.map((x) => x.toLowerCase()));
    for (const c of body) {
      const values = wholeValues(c, field);
      if (values && values.length > 0 && values.every((x) => !folded.has(x.toLowerCase()))) {
        return { field, message: `the query's \`${field}\` (${values.join(", ")}) is none of its log source's (${allowed.join(", ")}): the search would match no event` };
      }
    }
  }
  return undefined;
}

/** The whole values a conjunct allows for `field` (a match, or an OR of matches), or undefined. */
function wholeValues(q: Query, field: string): string[] | undefined {
  if (q.kind === "match" && q.field === field) {
    if (q.value.kind === "number") return [q.value.raw];
    if (q.value.kind === "string" && q.value.parts.every((p) => p.kind === "text")) return [q.value.parts.map((p) => (p.kind === "text" ? p.value : "")).join("")];
    return undefined;
  }
  if (q.kind === "or") {
    const all = q.children.map((c) => wholeValues(c, field));
    return all.every((x): x is string[] => x !== undefined) ? all.flat() : undefined;
  }
  return undefined;
}
