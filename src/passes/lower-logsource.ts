/**
 * lowerLogsource: puts a log source back into a query as the target's source conditions
 * (`source="XmlWinEventLog:..." EventCode=1`), ANDed in front of the query. `lowerLogsources` does
 * it for a whole rule: the rule's log source for a boolean query, each step's and each correlated
 * rule's own for sequences, samples and correlations.
 */
import type { Logsource, Query, SequenceStep } from "../ir/query.js";
import { findLogsourceSearch, type TargetMapping } from "../mapping/mappings.js";
import type { MappingProblem } from "./map-fields.js";

export interface LowerResult {
  readonly query: Query;
  readonly problems: readonly MappingProblem[];
}

export function lowerLogsource(query: Query, ls: Logsource | undefined, table: TargetMapping): LowerResult {
  if (!ls || Object.keys(ls).length === 0) return { query, problems: [] };
  const row = findLogsourceSearch(table, ls);
  if (!row) {
    const said = Object.entries(ls).map(([k, v]) => `${k}: ${v}`).join(", ");
    return {
      query,
      problems: [
        {
          severity: "warning",
          code: "mapping/logsource-unmapped",
          message: `log source {${said}} has no entry in mapping ${table.name}; the search is not restricted to that source${
            table.identity ? ", and its field names are used as the rule writes them, unchecked against any add-on" : ""
          }`,
          field: "logsource",
        },
      ],
    };
  }
  const conditions: Query[] = Object.entries(row.conditions).map(([field, v]) => {
    const values = Array.isArray(v) ? v : [v];
    const matches = values.map((x): Query => ({
      kind: "match",
      field,
      value: typeof x === "number" ? { kind: "number", value: x, raw: String(x) } : { kind: "string", parts: [{ kind: "text", value: String(x) }] },
      caseSensitive: false,
    }));
    return matches.length === 1 ? matches[0]! : { kind: "or", children: matches };
  });
  const body = query.kind === "and" ? query.children : query.kind === "all" ? [] : [query];
  const all = [...conditions, ...body];
  return { query: all.length === 1 ? all[0]! : { kind: "and", children: all }, problems: [] };
}

export function lowerLogsources(query: Query, ls: Logsource | undefined, table: TargetMapping): LowerResult {
  const problems: MappingProblem[] = [];
  const lower = (q: Query, own: Logsource | undefined): Query => {
    const r = lowerLogsource(q, own, table);
    problems.push(...r.problems);
    return r.query;
  };
  const step = (s: SequenceStep): SequenceStep => ({ ...s, query: lower(s.query, s.logsource) });
  switch (query.kind) {
    case "sequence": {
      const steps = query.steps.map(step);
      return { query: { ...query, steps, ...(query.until ? { until: step(query.until) } : {}) }, problems };
    }
    case "sample":
      return { query: { ...query, steps: query.steps.map(step) }, problems };
    case "correlation":
      return { query: { ...query, rules: query.rules.map((r) => ({ ...r, query: lower(r.query, r.logsource) })) }, problems };
    case "newTerms":
      return { query: { ...query, query: lower(query.query, ls) }, problems };
    case "pipe":
      // EQL pipes have no form in a target that has log-source conditions to add.
      return { query, problems };
    default:
      return lowerLogsource(query, ls, table);
  }
}
