/**
 * dropForeignDatasets: leaves out OR branches that ask for a data set of another product. Elastic's
 * network rules OR Zeek's logs in beside endpoint and flow conditions (`destination.port:3389 or
 * data_stream.dataset:zeek.rdp`, `data_stream.dataset:(network_traffic.flow or zeek.connection) or
 * event.category:network`). A Sigma rule has one log source, and Zeek's logs are their own (product
 * zeek), so the Sigma rule cannot search them beside the rest: the branch is left out, with a
 * mapping/logsource-narrowed warning that names it. Only where something else remains in the OR,
 * never under a NOT (leaving a branch out there would widen the match), and not in a search that
 * asks for the foreign data sets alone (a rule about Zeek keeps them, and lifts to Zeek's log source).
 */
import type { Query } from "../ir/query.js";
import type { ForeignDatasets } from "../mapping/mapping-table.js";
import { branches, listed, matchText } from "./left-out-branches.js";
import { conjunctText } from "./lift-exactness.js";
import type { MappingProblem } from "./map-fields.js";

const DATASET_FIELDS = new Set(["event.dataset", "data_stream.dataset"]);

export function dropForeignDatasets(query: Query, rows: readonly ForeignDatasets[]): { query: Query; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  if (rows.length === 0) return { query, problems };
  const search = (q: Query): Query => dropInSearch(q, rows, problems);
  switch (query.kind) {
    case "sequence":
      return {
        query: { ...query, steps: query.steps.map((s) => ({ ...s, query: search(s.query) })), ...(query.until ? { until: { ...query.until, query: search(query.until.query) } } : {}) },
        problems,
      };
    case "sample":
      return { query: { ...query, steps: query.steps.map((s) => ({ ...s, query: search(s.query) })) }, problems };
    case "correlation":
      return { query: { ...query, rules: query.rules.map((r) => ({ ...r, query: search(r.query) })) }, problems };
    case "newTerms":
      return { query: { ...query, query: search(query.query) }, problems };
    case "pipe":
      return { query: { ...query, input: search(query.input) }, problems };
    default:
      return { query: search(query), problems };
  }
}

/** The row a branch's data set belongs to: a match on a data-set field with a listed value or prefix. */
function foreignRow(q: Query, rows: readonly ForeignDatasets[]): ForeignDatasets | undefined {
  const v = matchText(q);
  if (v === undefined || q.kind !== "match" || !DATASET_FIELDS.has(q.field)) return undefined;
  return rows.find((r) => listed(r.datasets, v));
}

function dropInSearch(query: Query, rows: readonly ForeignDatasets[], problems: MappingProblem[]): Query {
  const flat = (q: Query): Query[] => (q.kind === "and" ? q.children.flatMap(flat) : [q]);
  // A search about the foreign data sets themselves keeps them.
  if (flat(query).some((c) => branches(c).every((b) => foreignRow(b, rows) !== undefined))) return query;
  const walk = (q: Query): Query => {
    if (q.kind === "and") return { ...q, children: q.children.map(walk) };
    if (q.kind !== "or") return q;
    const all = branches(q);
    const kept = all.filter((b) => foreignRow(b, rows) === undefined);
    if (kept.length === 0 || kept.length === all.length) return { ...q, children: q.children.map(walk) };
    for (const b of all) {
      const row = foreignRow(b, rows);
      if (!row || b.kind !== "match") continue;
      problems.push({
        severity: "warning",
        code: "mapping/logsource-narrowed",
        message: `\`${conjunctText(b)}\` is left out of \`${conjunctText(q)}\`: ${row.reason}`,
        field: b.field,
      });
    }
    const children = kept.map(walk);
    return children.length === 1 ? children[0]! : { ...q, children };
  };
  return walk(query);
}
