/**
 * Drops tests of fields a lifted log source's Sigma events never hold (ECS → Sigma). Elastic Defend
 * gives a file event the name it had before a rename (`file.Ext.original.*`); Sigma's file_event is a
 * file creation (Sysmon 11 and its kin), which has no such field, so the field has no Sigma name and
 * used to keep the whole rule in ECS names. Against events without the field a test of it is
 * decided: a value, a pattern or a presence test is false, an absence test (`== null`) true.
 *
 * Only where the decided test widens the rule: a false test under a NOT (`not (… or
 * file.Ext.original.extension == "dpkg-new")`, an exclusion that excludes nothing) or a true one
 * outside it. Where an Elastic event of the log source does hold the field (Defend may attach the
 * earlier name to a creation that replaced a file) the Sigma rule matches more, so each dropped
 * field is a mapping/widened warning. A test that would narrow the rule (one the query requires)
 * leaves the query as it was, and so does a search that would be left with nothing to test.
 *
 * Applied to a boolean query under the rule's log source and to each step of a sequence or sample
 * under its own; a missing step or a sequence's `until` counts against the match, so there the
 * polarity flips. Correlations are left as they are.
 */
import type { Logsource, Query, SequenceStep } from "../ir/query.js";
import { describe, KEYS } from "./lift-context.js";
import type { MappingProblem } from "./map-fields.js";

/** Fields no event of a log source holds: `field.*` names every field under `field.`. */
export interface AbsentFields {
  readonly logsource: Logsource;
  readonly fields: readonly string[];
}

export interface DropResult {
  readonly query: Query;
  readonly problems: readonly MappingProblem[];
}

/** `query` with the tests of absent fields that widen it dropped, under `logsource` (each step under its own). */
export function dropAbsentFieldTests(query: Query, logsource: Logsource | undefined, table: readonly AbsentFields[]): DropResult {
  const problems: MappingProblem[] = [];
  const inSearch = (q: Query, ls: Logsource | undefined, negated: boolean): Query => {
    const absent = absentFor(ls, table);
    if (absent.length === 0) return q;
    const decided = decide(q, absent, negated);
    if (!decided || decided.dropped.size === 0 || decided.query.kind === "all" || decided.query.kind === "none") return q;
    for (const field of decided.dropped) {
      problems.push({
        severity: "warning",
        code: "mapping/widened",
        message: `\`${field}\` has no Sigma name under log source {${describe(ls!)}}, whose events do not hold it: the tests of it are dropped as they are decided there, so where an Elastic event of that log source holds it the Sigma rule matches more`,
        field,
      });
    }
    return decided.query;
  };
  const step = (s: SequenceStep, negated: boolean): SequenceStep => ({ ...s, query: inSearch(s.query, s.logsource ?? logsource, negated !== (s.missing === true)) });
  switch (query.kind) {
    case "sequence":
      return {
        query: { ...query, steps: query.steps.map((s) => step(s, false)), ...(query.until ? { until: step(query.until, true) } : {}) },
        problems,
      };
    case "sample":
      return { query: { ...query, steps: query.steps.map((s) => step(s, false)) }, problems };
    case "correlation":
    case "newTerms":
    case "pipe":
      return { query, problems };
    default:
      return { query: inSearch(query, logsource, false), problems };
  }
}

function absentFor(ls: Logsource | undefined, table: readonly AbsentFields[]): readonly string[] {
  if (!ls) return [];
  return table.filter((row) => KEYS.every((k) => row.logsource[k] === undefined || row.logsource[k] === ls[k])).flatMap((row) => row.fields);
}

function isAbsent(field: string, absent: readonly string[]): boolean {
  return absent.some((f) => (f.endsWith(".*") ? field.startsWith(f.slice(0, -1)) : field === f));
}

const ALL: Query = { kind: "all" };
const NONE: Query = { kind: "none" };

/**
 * The query with each test of an absent field replaced by its value and the booleans simplified;
 * undefined when one of them would narrow the query, or a test is of a kind this does not decide.
 */
function decide(q: Query, absent: readonly string[], negated: boolean): { query: Query; dropped: Set<string> } | undefined {
  const dropped = new Set<string>();
  let narrows = false;
  const leaf = (field: string, value: boolean, node: Query, neg: boolean): Query => {
    if (!isAbsent(field, absent)) return node;
    // A false test under a NOT, or a true one outside it, can only let more events through.
    if (value !== neg) {
      dropped.add(field);
      return value ? ALL : NONE;
    }
    narrows = true;
    return node;
  };
  const walk = (n: Query, neg: boolean): Query => {
    switch (n.kind) {
      case "and": {
        const kids = n.children.map((c) => walk(c, neg)).filter((c) => c.kind !== "all");
        if (kids.some((c) => c.kind === "none")) return NONE;
        return kids.length === 0 ? ALL : kids.length === 1 ? kids[0]! : { ...n, children: kids };
      }
      case "or": {
        const kids = n.children.map((c) => walk(c, neg)).filter((c) => c.kind !== "none");
        if (kids.some((c) => c.kind === "all")) return ALL;
        return kids.length === 0 ? NONE : kids.length === 1 ? kids[0]! : { ...n, children: kids };
      }
      case "not": {
        const child = walk(n.child, !neg);
        return child.kind === "all" ? NONE : child.kind === "none" ? ALL : { ...n, child };
      }
      case "match":
        return leaf(n.field, n.value.kind === "null", n, neg);
      case "exists":
      case "regex":
      case "range":
      case "cidr":
        return leaf(n.field, false, n, neg);
      default:
        return n;
    }
  };
  const query = walk(q, negated);
  return narrows ? undefined : { query, dropped };
}
