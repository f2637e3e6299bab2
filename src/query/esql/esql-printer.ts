/**
 * Query IR → ES|QL. Choices (details in docs/esql.md, "Printing"):
 * - `FROM` names the given index patterns; a query that does not aggregate reads `METADATA _id,
 *   _index, _version`, which Kibana needs to deduplicate its alerts.
 * - Conditions are written in negation normal form so that ES|QL's NULL (a test of a missing field)
 *   never stands under NOT; a negated test adds its NULL case (`f != "x" OR f IS NULL`). Parentheses
 *   come from ES|QL precedence (OR < AND < NOT < predicates).
 * - Case-insensitive strings compare `TO_LOWER(f)` with the lower-cased value or pattern; wildcards
 *   are LIKE patterns (`*`, `?`, with `\*`, `\?`, `\\` for the characters); regexes are RLIKE in
 *   Lucene syntax (PCRE is translated by pcre-to-lucene, never approximated).
 * - A field that may hold several values (`multiValued`, by default the ECS array fields): ES|QL
 *   tests one value and is NULL on several, where the IR matches any value. Existence and ranges are
 *   exact anyway (`MV_MAX`, `MV_MIN`); other tests get `| MV_EXPAND f` (one row per value) when the
 *   condition holds for some single value exactly when the IR's "any value" tests hold, and a
 *   warning per test otherwise.
 * - A correlation is `STATS … BY` its group keys over each run's window, followed by `WHERE` on the
 *   measure: COUNT(*), COUNT_DISTINCT, SUM, AVG (extra measures as further columns, their bounds
 *   joined with AND); `temporal` counts each rule's events with a
 *   filtered COUNT. Its timespan is the rule's look-back, which the rule's schedule must give.
 *
 * @example printEsql(q, { indices: ["logs-*"] }).text
 */
import type { CorrelationMeasure, NodeOf, Query } from "../../ir/query.js";
import { requiresField } from "../../ir/query-fields.js";
import type { PrintIssue, PrintResult } from "../print-result.js";
import { isEcsArrayField } from "./esql-ecs-arrays.js";
import { quoteEsqlField, quoteEsqlString } from "./esql-escape.js";
import { atom, cidrCond, type Cond, type EsqlFieldType, issue, leaf, type LeafContext, numberLiteral, PREC } from "./esql-print-leaves.js";
import { isComputedMeasure } from "../../ir/correlation-measures.js";

export type { EsqlFieldType } from "./esql-print-leaves.js";

export interface EsqlPrintOptions {
  /** FROM's index patterns; `*` when none are given. */
  readonly indices?: readonly string[];
  /** What is known of a field's mapping (types change how values are compared). */
  readonly fieldType?: (field: string) => EsqlFieldType | undefined;
  /** Fields that may hold several values per event; by default the ECS array fields. */
  readonly multiValued?: (field: string) => boolean;
}

export const METADATA_FIELDS = ["_id", "_index", "_version"] as const;

export function printEsql(q: Query, options: EsqlPrintOptions = {}): PrintResult {
  const issues: PrintIssue[] = [];
  const multi = options.multiValued ?? isEcsArrayField;
  const fieldType = options.fieldType ?? (() => undefined);
  const from = `FROM ${(options.indices?.length ? options.indices : ["*"]).map(indexText).join(", ")}`;
  if (q.kind === "correlation") {
    const cx: LeafContext = { issues, fieldType, oneValue: (f) => !multi(f) };
    return { text: printCorrelation(q, from, cx).join("\n"), issues };
  }
  const nnf = toNnf(q, false);
  const expand = [...valueFields(nnf)].filter((f) => multi(f) && distributes(nnf, f)).sort();
  const cx: LeafContext = { issues, fieldType, oneValue: (f) => !multi(f) || expand.includes(f) };
  const lines = [`${from} METADATA ${METADATA_FIELDS.join(", ")}`, ...expand.map((f) => `| MV_EXPAND ${quoteEsqlField(f)}`)];
  if (nnf.kind !== "all") lines.push(`| WHERE ${cond(nnf, cx).text}`);
  return { text: lines.join("\n"), issues };
}

/** An index pattern as FROM reads it: bare, or quoted when it holds a character the source mode stops at. */
function indexText(pattern: string): string {
  return /^[^:"=|,[\]/() \t\r\n]+$/.test(pattern) ? pattern : quoteEsqlString(pattern);
}

/** `not` pushed down to the tests (De Morgan); `not` then stands only directly above a test. */
function toNnf(q: Query, negated: boolean): Query {
  switch (q.kind) {
    case "not":
      return toNnf(q.child, !negated);
    case "and":
    case "or": {
      const kind = (q.kind === "and") !== negated ? "and" : "or";
      const children = q.children.map((c) => toNnf(c, negated));
      return { kind, children, ...(q.span ? { span: q.span } : {}) };
    }
    case "all":
      return negated ? { kind: "none" } : q;
    case "none":
      return negated ? { kind: "all" } : q;
    default:
      return negated ? { kind: "not", child: q, ...(q.span ? { span: q.span } : {}) } : q;
  }
}

/** Fields whose tests read values one at a time (match, regex, CIDR, field references, expressions). */
function valueFields(q: Query, out = new Set<string>()): Set<string> {
  switch (q.kind) {
    case "and":
    case "or":
      q.children.forEach((c) => valueFields(c, out));
      break;
    case "not":
      valueFields(q.child, out);
      break;
    case "match":
      if (q.value.kind !== "null") out.add(q.field);
      break;
    case "regex":
    case "cidr":
      out.add(q.field);
      break;
    case "fieldref":
      out.add(q.field).add(q.other);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Whether "some single value of `field` makes the condition hold" (MV_EXPAND, then WHERE) says
 * the same as the IR's per-test "any value": every test of the field positive, and no `and` with
 * two branches that test it (two values could meet them apart).
 */
function distributes(q: Query, field: string): boolean {
  const mentions = valueFields(q).has(field);
  if (!mentions) return true;
  switch (q.kind) {
    case "and":
      return q.children.filter((c) => valueFields(c).has(field)).length <= 1 && q.children.every((c) => distributes(c, field));
    case "or":
      return q.children.every((c) => distributes(c, field));
    case "not":
      return false;
    default:
      return true;
  }
}

function wrap(c: Cond, min: number): string {
  return c.prec < min ? `(${c.text})` : c.text;
}

function cond(q: Query, cx: LeafContext): Cond {
  switch (q.kind) {
    case "and": {
      // `f IS NOT NULL AND (f != "x" OR f IS NULL)` is `f != "x"`: a negated test that is NULL
      // where the field is missing needs no NULL case beside a test that the field is there.
      const present = new Set(q.children.flatMap((c) => (c.kind === "exists" ? [c.field] : [])));
      const covered = new Set(q.children.flatMap((c) => (c.kind === "not" && oneFieldTest(c.child) !== undefined && present.has(oneFieldTest(c.child)!) ? [oneFieldTest(c.child)!] : [])));
      const children = q.children.filter((c) => !(c.kind === "exists" && covered.has(c.field)));
      const inner: LeafContext = covered.size ? { ...cx, present: (f) => covered.has(f) || (cx.present?.(f) ?? false) } : cx;
      const parts = andRuns(children, inner);
      return parts.length === 1 ? parts[0]! : { text: parts.map((c) => wrap(c, PREC.and)).join(" AND "), prec: PREC.and };
    }
    case "or": {
      const parts = orRuns(q.children, cx);
      return parts.length === 1 ? parts[0]! : { text: parts.map((c) => wrap(c, PREC.or)).join(" OR "), prec: PREC.or };
    }
    case "not":
      return leaf(q.child, true, cx);
    default:
      return leaf(q, false, cx);
  }
}

/** The one field a test reads, when its ES|QL form is NULL exactly where that field is missing. */
function oneFieldTest(q: Query): string | undefined {
  switch (q.kind) {
    case "match":
      return q.value.kind === "null" ? undefined : q.field;
    case "regex":
    case "cidr":
    case "range":
      return q.field;
    default:
      return undefined;
  }
}

/** An equality test `f == "v"` (or with `TO_LOWER`) that can join an `IN` list. */
function listItem(q: Query, cx: LeafContext): { key: string; name: string; field: string; operand: string; item: string } | undefined {
  if (q.kind !== "match" || !cx.oneValue(q.field)) return undefined;
  const t = cx.fieldType(q.field);
  const f = quoteEsqlField(q.field);
  if (q.value.kind === "number") {
    if (t === "number") return { key: `${q.field}\u0000number`, name: q.field, field: f, operand: f, item: numberLiteral(q.value) };
    if (t !== undefined && t !== "keyword" && t !== "text") return undefined;
    // As matchCond writes it: the text of the number's source or canonical spelling.
    if (String(q.value.value) !== q.value.raw) return undefined;
    return { key: `${q.field}\u0000string`, name: q.field, field: f, operand: `TO_STRING(${f})`, item: quoteEsqlString(q.value.raw) };
  }
  if (q.value.kind !== "string" || q.value.parts.some((p) => p.kind !== "text")) return undefined;
  if (t === "number" || t === "boolean" || t === "date") return undefined;
  const text = q.value.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
  const fold = !q.caseSensitive && text.toLowerCase() !== text.toUpperCase();
  const operand = fold ? `TO_LOWER(${f})` : t === undefined ? f : f;
  return { key: `${q.field}\u0000${fold ? "lower" : t === undefined ? "string" : "plain"}`, name: q.field, field: f, operand, item: quoteEsqlString(fold ? text.toLowerCase() : text) };
}

/** Neighbours in an OR: equality tests of one operand become `IN`, CIDR tests of one field one call. */
function orRuns(children: readonly Query[], cx: LeafContext): Cond[] {
  const out: Cond[] = [];
  for (let i = 0; i < children.length; ) {
    const c = children[i]!;
    const item = listItem(c, cx);
    if (item) {
      let j = i + 1;
      const items = [item.item];
      for (; j < children.length; j++) {
        const other = listItem(children[j]!, cx);
        if (other?.key !== item.key) break;
        items.push(other.item);
      }
      if (items.length > 1) {
        out.push(atom(`${item.operand} IN (${[...new Set(items)].join(", ")})`));
        i = j;
        continue;
      }
    }
    if (c.kind === "cidr" && cx.oneValue(c.field)) {
      let j = i + 1;
      const blocks = [c.cidr];
      for (; j < children.length; j++) {
        const other = children[j]!;
        if (other.kind !== "cidr" || other.field !== c.field) break;
        blocks.push(other.cidr);
      }
      if (blocks.length > 1) {
        out.push(cidrCond(c, blocks, false, cx));
        i = j;
        continue;
      }
    }
    out.push(cond(c, cx));
    i++;
  }
  return out;
}

/** Neighbours in an AND: negated equality tests of one operand become `NOT IN` (with the NULL case). */
function andRuns(children: readonly Query[], cx: LeafContext): Cond[] {
  const out: Cond[] = [];
  for (let i = 0; i < children.length; ) {
    const c = children[i]!;
    const item = c.kind === "not" ? listItem(c.child, cx) : undefined;
    if (item) {
      let j = i + 1;
      const items = [item.item];
      for (; j < children.length; j++) {
        const o = children[j]!;
        const other = o.kind === "not" ? listItem(o.child, cx) : undefined;
        if (other?.key !== item.key) break;
        items.push(other.item);
      }
      if (items.length > 1) {
        const list = `${item.operand} NOT IN (${[...new Set(items)].join(", ")})`;
        out.push(cx.present?.(item.name) ? atom(list) : { text: `${list} OR ${item.field} IS NULL`, prec: PREC.or });
        i = j;
        continue;
      }
    }
    out.push(cond(c, cx));
    i++;
  }
  return out;
}

// ---- correlations -------------------------------------------------------------------------------

function printCorrelation(q: NodeOf<"correlation">, from: string, cx: LeafContext): string[] {
  if (q.type === "temporal_ordered") {
    issue(cx, q, "esql/temporal-ordered", "ES|QL has no ordered sequence of events within a group");
    return [from];
  }
  if (q.rules.length === 0) {
    issue(cx, q, "esql/correlation", "a correlation needs at least one rule");
    return [from];
  }
  if (q.type !== "temporal" && q.condition.length === 0) {
    issue(cx, q, "esql/correlation", `a ${q.type} correlation needs a condition`);
    return [from];
  }
  const ruleConds = q.rules.map((r) => {
    if (r.query.kind === "correlation" || r.query.kind === "sequence" || r.query.kind === "sample" || r.query.kind === "pipe") {
      issue(cx, r.query, "esql/correlation-rule", `a correlation over a ${r.query.kind} has no ES|QL form`);
    }
    return cond(toNnf(r.query, false), cx);
  });
  const anyRule = ruleConds.length === 1 ? ruleConds[0]! : { text: ruleConds.map((c) => wrap(c, PREC.or)).join(" OR "), prec: PREC.or };
  // The group keys: an alias means the key comes from another field for some rules.
  const keys = q.groupBy.map((g) => {
    const perRule = q.rules.map((r) => r.aliases?.[g] ?? g);
    if (perRule.every((f) => f === perRule[0])) return { name: perRule[0]!, expr: undefined };
    const branches = q.rules.map((_, i) => `${wrapArg(ruleConds[i]!)}, ${quoteEsqlField(perRule[i]!)}`).join(", ");
    return { name: g, expr: `CASE(${branches})` };
  });
  // The IR leaves out an event without a value for every key; STATS would make a NULL group.
  const keyTests = keys.filter((k) => k.expr || !q.rules.every((r) => requiresField(r.query, k.name))).map((k) => `${quoteEsqlField(k.name)} IS NOT NULL`);
  const lines = [from];
  const computed = keys.filter((k) => k.expr);
  if (computed.length === 0) {
    lines.push(`| WHERE ${[keyTests.length ? wrap(anyRule, PREC.and) : anyRule.text, ...keyTests].join(" AND ")}`);
  } else {
    lines.push(`| WHERE ${anyRule.text}`);
    for (const k of computed) lines.push(`| EVAL ${quoteEsqlField(k.name)} = ${k.expr}`);
    lines.push(`| WHERE ${keyTests.join(" AND ")}`);
  }
  for (const k of keys) {
    if (!k.expr && !cx.oneValue(k.name)) {
      issue(cx, q, "esql/multi-value-key", `STATS puts an event with several \`${k.name}\` values in each value's group; the IR groups it by its first value`, "warning");
    }
  }
  const by = keys.length ? ` BY ${keys.map((k) => quoteEsqlField(k.name)).join(", ")}` : "";
  const measure = measureText(q, ruleConds, cx);
  let { aggs, where } = measure;
  const extra = q.extraMeasures ?? [];
  // Further measures of the same groups: each its own column, every bound joined with AND; an OR
  // of sets of them (`anyOf`) in parentheses.
  const used = new Set(aggs.map((a) => a.slice(0, a.indexOf(" ="))));
  const column = (m: CorrelationMeasure): string => {
    let name = `Esql.${m.type}`;
    for (let i = 2; used.has(name); i++) name = `Esql.${m.type}_${i}`;
    used.add(name);
    const more = m.type === "value_count" && m.valueField !== undefined && isComputedMeasure(m)
      ? { aggs: [`${name} = COUNT_DISTINCT(${countedText(m.valueField, m.valueFallbacks ?? [], m.valueLowerCased === true)})`], where: m.condition.map((c) => `${name} ${COUNT_OP[c.op]} ${c.value}`).join(" AND ") }
      : measureText({ ...q, type: m.type, condition: m.condition, ...(m.valueField !== undefined ? { valueField: m.valueField } : {}) }, ruleConds, cx, name);
    if (m.filter && (m.type === "value_sum" || m.type === "value_avg")) {
      // `COALESCE(SUM(x), 0) WHERE c` would filter the expression, not the sum.
      issue(cx, q, "esql/correlation", `a filtered ${m.type} measure has no ES|QL form here`);
    }
    const only = m.filter ? ` WHERE ${cond(toNnf(m.filter, false), cx).text}` : "";
    aggs = [...aggs, ...more.aggs.map((a) => a + only)];
    return more.where;
  };
  for (const m of extra) where = `${where} AND ${column(m)}`;
  // A set of no bounds always holds, and so does the OR.
  const sets = q.anyOf?.some((set) => set.length === 0) ? [] : (q.anyOf ?? []);
  if (sets.length > 0) {
    const alternatives = sets.map((set) => {
      const bounds = set.map(column);
      return set.flatMap((m) => m.condition).length === 1 ? bounds[0]! : `(${bounds.join(" AND ")})`;
    });
    where = `${where} AND (${alternatives.join(" OR ")})`;
  }
  if (keys.length === 0 && (q.type !== "temporal" || extra.length > 0 || sets.length > 0)) {
    // STATS without BY returns one row even over no event; the IR needs an event to alert.
    let rows = aggs.find((a) => / = COUNT\(\*\)$/.test(a))?.split(" = ")[0];
    if (!rows) {
      rows = "Esql.event_count";
      for (let i = 2; used.has(rows); i++) rows = `Esql.event_count_${i}`;
      aggs = [...aggs, `${rows} = COUNT(*)`];
    }
    where = `${rows} > 0 AND ${where}`;
  }
  lines.push(`| STATS ${aggs.join(", ")}${by}`);
  if (measure.eval) lines.push(`| EVAL ${measure.eval}`);
  lines.push(`| WHERE ${where}`);
  return lines;
}


/** A computed value an extra measure counts: `COALESCE(a, b)` of its fields, lower-cased with `TO_LOWER`. */
function countedText(field: string, fallbacks: readonly string[], lowerCased: boolean): string {
  const fields = [field, ...fallbacks].map(quoteEsqlField);
  const value = fields.length > 1 ? `COALESCE(${fields.join(", ")})` : fields[0]!;
  return lowerCased ? `TO_LOWER(${value})` : value;
}

function wrapArg(c: Cond): string {
  return c.prec <= PREC.or ? `(${c.text})` : c.text;
}

const COUNT_OP = { gt: ">", gte: ">=", lt: "<", lte: "<=", eq: "==", neq: "!=" } as const;

/** The aggregate and bound of `q`'s measure; `column` names it (by default `Esql.<type>`). */
function measureText(q: NodeOf<"correlation">, ruleConds: readonly Cond[], cx: LeafContext, column?: string): { aggs: string[]; eval?: string; where: string } {
  const bound = (name: string) => q.condition.map((c) => `${column ?? name} ${COUNT_OP[c.op]} ${c.value}`).join(" AND ");
  const col = (name: string) => column ?? name;
  const field = q.valueField;
  const numeric = (f: string) => (cx.fieldType(f) === "number" ? quoteEsqlField(f) : `TO_DOUBLE(${quoteEsqlField(f)})`);
  switch (q.type) {
    case "event_count":
      return { aggs: [`${col("Esql.event_count")} = COUNT(*)`], where: bound("Esql.event_count") };
    case "value_count":
    case "value_sum":
    case "value_avg": {
      if (!field) {
        issue(cx, q, "esql/correlation", `a ${q.type} correlation needs the field it measures`);
        return { aggs: ["Esql.event_count = COUNT(*)"], where: "false" };
      }
      if (q.type === "value_count") return { aggs: [`${col("Esql.value_count")} = COUNT_DISTINCT(${quoteEsqlField(field)})`], where: bound("Esql.value_count") };
      // SUM over no number is NULL in ES|QL and 0 in the IR.
      if (q.type === "value_sum") return { aggs: [`${col("Esql.value_sum")} = COALESCE(SUM(${numeric(field)}), 0)`], where: bound("Esql.value_sum") };
      return { aggs: [`${col("Esql.value_avg")} = AVG(${numeric(field)})`], where: bound("Esql.value_avg") };
    }
    case "temporal": {
      const names = ruleConds.map((_, i) => `Esql.rule${i}_count`);
      const aggs = ruleConds.map((c, i) => `${names[i]} = COUNT(*) WHERE ${c.text}`);
      if (q.condition.length === 0) return { aggs, where: names.map((n) => `${n} > 0`).join(" AND ") };
      const rules = `Esql.rule_count = ${names.map((n) => `CASE(${n} > 0, 1, 0)`).join(" + ")}`;
      return { aggs, eval: rules, where: bound("Esql.rule_count") };
    }
    case "temporal_ordered":
      return { aggs: [], where: "false" };
  }
}
