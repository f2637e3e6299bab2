/**
 * mapToCim: a boolean query (Sigma taxonomy or ECS, its log source already lifted) → the same
 * query in the CIM field names of the data set that holds its events. Pure IR → IR. Conditions the
 * data set says another way are rewritten by the route's value rows, the log source's own CIM
 * conditions are ANDed in front, and every field is renamed; whatever has no row is a problem
 * naming the field, so the caller can search the raw events instead of matching something else.
 */
import type { Logsource, Query } from "../ir/query.js";
import { findCimRoute, type CimDataset, type CimRoute, type CimValueRow } from "../mapping/cim-mapping.js";
import { queryFields } from "../ir/query-fields.js";
import { lookupMap } from "../mapping/lookup-map.js";
import { mapFields, type MappingProblem } from "./map-fields.js";

export interface CimResult {
  readonly dataset?: CimDataset;
  /** The route used: its field table also renames join keys. */
  readonly route?: CimRoute;
  /** In CIM names without the data set prefix (`process_name`); absent when a problem is an error. */
  readonly query?: Query;
  readonly problems: readonly MappingProblem[];
}

export function mapToCim(query: Query, logsource: Logsource | undefined, routes: readonly CimRoute[]): CimResult {
  const found = findCimRoute(routes, logsource);
  if (!found) {
    const ls = logsource ? Object.entries(logsource).map(([k, v]) => `${k}: ${v}`).join(", ") : "none";
    return { problems: [{ severity: "error", code: "cim/no-dataset", message: `no CIM data set holds the log source (${ls})`, field: "" }] };
  }
  const { route, row } = found;
  const problems: MappingProblem[] = [];
  // Fields of value rows keep their source names through the renaming; the rows rewrite them next.
  const valueFields = new Set(route.values.map((v) => v.field));
  const rows = route.fields.fields;
  const renames = { ...route.fields, fields: lookupMap(rows, (k) => rows.get(k) ?? (valueFields.has(k) ? { from: k, to: k, value: "same" as const } : undefined)) };
  for (const f of new Set(queryFields(query).map((u) => u.field))) {
    const why = route.widening.get(f);
    if (why) problems.push({ severity: "warning", code: "mapping/widened", message: `\`${f}\` → \`${rows.get(f)?.to}\`: ${why}; the search matches more`, field: f });
  }
  const mapped = mapFields(query, renames, logsource?.product ? { product: logsource.product } : {});
  problems.push(...mapped.problems.map((p) => (p.code === "mapping/unmapped-field" ? { ...p, message: `field \`${p.field}\` has no field in CIM ${route.dataset.key}` } : p)));
  if (problems.some((p) => p.severity === "error")) return { dataset: route.dataset, route, problems };
  const rewritten = rewriteValues(mapped.query, route.values, problems);
  if (problems.some((p) => p.severity === "error")) return { dataset: route.dataset, route, problems };
  const conditions = Object.entries(row.conditions).map(([field, value]): Query => text(field, value));
  const body = simplify(rewritten);
  const q = conditions.length === 0 ? body : simplify({ kind: "and", children: [...conditions, body] });
  return { dataset: route.dataset, route, query: q, problems };
}

function text(field: string, value: string): Query {
  return { kind: "match", field, value: { kind: "string", parts: [{ kind: "text", value }] }, caseSensitive: false };
}

/** Conditions on value-row fields become what the data set says; `negated` tracks NOT above. */
function rewriteValues(q: Query, rows: readonly CimValueRow[], problems: MappingProblem[], negated = false): Query {
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map((c) => rewriteValues(c, rows, problems, negated)) };
    case "not":
      return { ...q, child: rewriteValues(q.child, rows, problems, !negated) };
    case "match": {
      const forField = rows.filter((r) => r.field === q.field);
      if (forField.length === 0) return q;
      const v = q.value;
      const literal = v.kind === "string" && v.parts.every((p) => p.kind === "text") ? v.parts.map((p) => (p.kind === "text" ? p.value : "")).join("") : undefined;
      const same = (a: string) => (q.caseSensitive ? a === literal : a.toLowerCase() === literal?.toLowerCase());
      const row = literal === undefined ? undefined : forField.find((r) => r.values.some(same));
      if (!row) {
        problems.push({ severity: "error", code: "mapping/value-unmapped", message: `\`${q.field}\` ${literal === undefined ? "with this value" : `value "${literal}"`} has no CIM equivalent`, field: q.field });
        return q;
      }
      if (row.widens) {
        if (negated) {
          problems.push({ severity: "error", code: "cim/negated-widening", message: `\`${q.field}: ${literal}\` under NOT: the CIM rewrite matches more (${row.widens}), so its negation would match less`, field: q.field });
          return q;
        }
        problems.push({ severity: "warning", code: "mapping/widened", message: `\`${q.field}: ${literal}\` → ${describe(row)}: ${row.widens}; the search matches more`, field: q.field });
      }
      if (row.narrows) {
        // Matching less is a missed detection, never a wrong one; under NOT it is matching more.
        const effect = negated ? "so its negation matches more" : "the search may match less";
        problems.push({ severity: "warning", code: "mapping/logsource-narrowed", message: `\`${q.field}: ${literal}\` → ${describe(row)}: ${row.narrows}; ${effect}`, field: q.field });
      }
      if (row.to === "all") return { kind: "all", ...(q.span ? { span: q.span } : {}) };
      const conds = Object.entries(row.to).map(([f, val]) => ({ ...text(f, val), ...(q.span ? { span: q.span } : {}) }));
      return conds.length === 1 ? conds[0]! : { kind: "and", children: conds };
    }
    default:
      return q;
  }
}

function describe(row: CimValueRow): string {
  return row.to === "all" ? "every event of the data set" : Object.entries(row.to).map(([f, v]) => `${f}=${v}`).join(" ");
}

/** `all`/`none` folded out of and/or/not, so `a OR all` does not reach the printer as a term. */
export function simplify(q: Query): Query {
  switch (q.kind) {
    case "and":
    case "or": {
      const kids = q.children.map(simplify);
      const absorbing = q.kind === "and" ? "none" : "all";
      const neutral = q.kind === "and" ? "all" : "none";
      if (kids.some((k) => k.kind === absorbing)) return { kind: absorbing };
      const rest = kids.filter((k) => k.kind !== neutral);
      if (rest.length === 0) return { kind: neutral };
      if (rest.length === 1) return rest[0]!;
      return { ...q, children: rest };
    }
    case "not": {
      const c = simplify(q.child);
      if (c.kind === "all") return { kind: "none" };
      if (c.kind === "none") return { kind: "all" };
      return { ...q, child: c };
    }
    default:
      return q;
  }
}
