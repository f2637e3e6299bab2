/**
 * IR boolean query (CIM field names, unprefixed) + CIM data set → an accelerated data-model search,
 * the way Splunk's ESCU detections are written:
 *
 *   | tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime max(_time) as lastTime
 *       from datamodel=Endpoint.Processes where Processes.process_name="cmd.exe" by Processes.dest Processes.user ...
 *   | `drop_dm_object_name(Processes)`
 *   | where match(process, "...")
 *
 * tstats `where` has search-command semantics (case-insensitive, `*` wildcard, CIDR), so it gets
 * the same exact-or-wider terms as a raw search (spl-query.ts). What it cannot say (regex,
 * case-sensitive comparison, field-to-field) is checked exactly by `| where` on the grouped rows,
 * so every field `| where` reads is grouped. Grouping by a field the query does not require would
 * see "null" (fillnull_value) for events without it instead of a missing value: such a field is
 * refused by name. fillnull_value keeps events whose context fields (dest, user, ...) are missing,
 * which tstats would otherwise drop from the result without a word.
 */
import { assertNever, type Query } from "../../ir/query.js";
import { renameExprFields } from "../../ir/query-fields.js";
import type { CimDataset } from "../../mapping/cim-mapping.js";
import type { PrintIssue } from "../../query/print-result.js";
import { nonEmptyField, renderSplQuery } from "../../query/spl/spl-printer.js";

export interface TstatsOptions {
  /** true searches only accelerated summaries: fast, but misses events not yet summarised. */
  readonly summariesOnly: boolean;
  /**
   * Group by these instead of the data set's context fields, without fillnull_value: tstats then
   * leaves out events without one of them, as a first-seen search must (no "null" group).
   */
  readonly groupBy?: readonly string[];
}

export interface TstatsQuery {
  readonly text: string;
  /** The fields of the result rows (after drop_dm_object_name), in `by` order. */
  readonly groupBy: readonly string[];
  readonly issues: readonly PrintIssue[];
}

/** The value tstats writes into a grouped field an event lacks (ESCU's fillnull_config). */
export const TSTATS_FILLNULL = "null";

export function renderTstats(q: Query, ds: CimDataset, opts: TstatsOptions): TstatsQuery {
  const issues: PrintIssue[] = [];
  for (const k of keywords(q)) issues.push({ severity: "error", code: "splunk/tstats-keyword", reason: "a data-model search has no event text to search free-text keywords in", node: k });
  const prefixed = renameFields(q, (f) => `${ds.object}.${f}`);
  const search = renderSplQuery(prefixed);
  const plain = renderSplQuery(q);
  issues.push(...search.issues);
  if (issues.some((i) => i.severity === "error")) return { text: "", groupBy: [], issues };

  const whereFields = plain.where === undefined ? [] : whereFieldsOf(q);
  for (const f of whereFields) {
    if (!ds.fields.includes(f)) {
      issues.push({ severity: "error", code: "splunk/tstats-group", reason: `\`${f}\` is not a field of ${ds.key}, so tstats cannot group by it for the exact \`| where\``, node: q });
    } else if (!requires(q, f)) {
      issues.push({
        severity: "error",
        code: "splunk/tstats-group",
        reason: `\`${f}\` cannot be grouped: the query also matches events without it, which tstats would group under "${TSTATS_FILLNULL}" for the exact \`| where\``,
        node: q,
      });
    }
  }
  if (issues.some((i) => i.severity === "error")) return { text: "", groupBy: [], issues };

  const groupBy = [...new Set([...(opts.groupBy ?? ds.group), ...whereFields])];
  const head = [
    "| tstats",
    `summariesonly=${opts.summariesOnly ? "true" : "false"} allow_old_summaries=true${opts.groupBy ? "" : ` fillnull_value=${TSTATS_FILLNULL}`}`,
    "count min(_time) as firstTime max(_time) as lastTime",
    `from datamodel=${ds.key}`,
    ...(search.search ? [`where ${search.search}`] : []),
    `by ${groupBy.map((f) => `${ds.object}.${f}`).join(" ")}`,
  ].join(" ");
  const lines = [head, `| \`drop_dm_object_name(${ds.object})\``, ...(plain.where !== undefined ? [`| where ${plain.where}`] : [])];
  return { text: lines.join("\n"), groupBy, issues };
}

/** Keyword nodes (free text), which a data-model search cannot express. */
function keywords(q: Query): Query[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(keywords);
    case "not":
      return keywords(q.child);
    case "keyword":
      return [q];
    default:
      return [];
  }
}

/**
 * Fields the `| where` part reads: those of the conjuncts the search terms cannot say exactly
 * (renderSplQuery checks only those again).
 */
function whereFieldsOf(q: Query): string[] {
  const inexact = q.kind === "and" ? q.children.filter((c) => renderSplQuery(c).where !== undefined) : [q];
  return [...new Set(inexact.flatMap(fieldsOf))];
}

function fieldsOf(q: Query): string[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(fieldsOf);
    case "not":
      return fieldsOf(q.child);
    case "match":
    case "exists":
    case "range":
    case "regex":
    case "cidr":
      return [q.field];
    case "fieldref":
      return [q.field, q.other];
    case "compare": {
      const f = nonEmptyField(q);
      return f === undefined ? [] : [f];
    }
    default:
      return [];
  }
}

/** Whether every event the query matches has a value in `field`. */
export function requires(q: Query, field: string): boolean {
  switch (q.kind) {
    case "and":
      return q.children.some((c) => requires(c, field));
    case "or":
      return q.children.every((c) => requires(c, field));
    case "none":
      return true;
    case "match":
      return q.field === field && q.value.kind !== "null";
    case "exists":
    case "range":
    case "regex":
    case "cidr":
      return q.field === field;
    case "fieldref":
      return q.field === field || q.other === field;
    case "compare":
      return nonEmptyField(q) === field;
    default:
      return false;
  }
}

/** Every field name of a boolean query through `f` (tstats names fields `<object>.<field>`). */
export function renameFields(q: Query, f: (field: string) => string): Query {
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map((c) => renameFields(c, f)) };
    case "not":
      return { ...q, child: renameFields(q.child, f) };
    case "match":
    case "exists":
    case "range":
    case "regex":
    case "cidr":
      return { ...q, field: f(q.field) };
    case "fieldref":
      return { ...q, field: f(q.field), other: f(q.other) };
    case "compare":
      return { ...q, left: renameExprFields(q.left, f), right: renameExprFields(q.right, f) };
    case "all":
    case "none":
    case "keyword":
    case "predicate":
    case "nested":
    case "sequence":
    case "sample":
    case "correlation":
    case "newTerms":
    case "pipe":
    case "opaque":
      // Not boolean field conditions: renderSplQuery refuses them by name.
      return q;
    default:
      return assertNever(q);
  }
}
