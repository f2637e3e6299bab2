/**
 * An ES|QL pipeline → query IR. Commands are replayed in order:
 * - FROM gives the index patterns and METADATA fields (kept beside the query);
 * - WHERE adds a condition every row must meet (see esql-lower-cond.ts for conditions);
 * - EVAL defines columns, which later commands see through: `EVAL x = TO_LOWER(f) | WHERE x LIKE
 *   "a*"` reads as a case-insensitive match on `f`; RENAME likewise;
 * - KEEP, DROP and SORT choose and order output columns and rows, not which events match; LIMIT
 *   caps the rows of a run (read with a warning);
 * - GROK and DISSECT keep every row and add columns: left out while nothing that decides which
 *   events or groups alert reads those columns, refused by name otherwise (esql-extract.ts);
 * - MV_EXPAND f is read when the conditions after it hold for some value of `f` exactly when the
 *   IR's "any value matches" tests hold (see `distributes`), and the aggregation, if any, does not
 *   count the extra rows;
 * - STATS … BY keys, with the WHERE after it, becomes a correlation when the WHERE is a
 *   conjunction of bounds on aggregates (esql-lower-stats.ts): COUNT(*) → event_count,
 *   COUNT_DISTINCT(f) → value_count, COALESCE(SUM(f), 0) → value_sum, AVG(f) → value_avg; the
 *   first aggregate bounded is the correlation's measure, the others its extra measures;
 *   filtered COUNT(*)s all above 0 → temporal. Other aggregates only decorate the alert and are dropped. A `BY` on
 *   `DATE_TRUNC(span, @timestamp)` (or BUCKET) is the correlation's timespan, read with a warning;
 *   without one the correlation counts over each run's look-back, which the rule's schedule gives.
 * Anything else is refused by name with its position (`esql/unsupported-command`, …).
 */
import { durationMs } from "../../ir/duration.js";
import type { CountCondition, Duration, Expr, NodeOf, Query, Span } from "../../ir/query.js";
import type { EsqlCommand, EsqlExpr, EsqlQuery } from "./esql-ast.js";
import { fieldBehind, splitAnd, subst, unwrapParen } from "./esql-expr-util.js";
import { extractedColumns } from "./esql-extract.js";
import { mkAnd, mkNot, refuse } from "./esql-ir-build.js";
import { type CondContext, condContext, isTrue } from "./esql-lower-cond.js";
import { type KeySource, readCondition, readStats, spanDuration, type Stats } from "./esql-lower-stats.js";

/** Something the reading changed or could not keep, which the user must be told. */
export interface EsqlNote {
  readonly severity: "info" | "warning";
  readonly code: string;
  readonly message: string;
  readonly offset: number;
  readonly end?: number;
}

/**
 * `WHERE @timestamp >= NOW() - 1 hour` before any STATS: the events of the last hour of each run.
 * Left out of the query, since it is the run's look-back when it is not longer than the rule's
 * (read-esql-rule.ts makes it the look-back). `strict`: written `>`, which leaves out the one
 * instant the look-back starts at.
 */
export interface EsqlWindow {
  readonly duration: Duration;
  readonly strict: boolean;
  readonly offset: number;
  readonly end: number;
}

export interface EsqlLowered {
  readonly query: Query;
  readonly window?: EsqlWindow;
  readonly indices: readonly string[];
  readonly metadata: readonly string[];
  readonly notes: readonly EsqlNote[];
}

export function lowerEsql(ast: EsqlQuery, text: string): EsqlLowered {
  const [from, ...rest] = ast.commands;
  if (from?.t !== "from") {
    const at = from?.span ?? { start: 0, end: 0 };
    return refuse("esql/unsupported-command", `a rule reads events with \`FROM\`, not \`${from?.t === "other" ? from.name.toUpperCase() : "?"}\``, at);
  }
  const cx = condContext(text);
  const notes: EsqlNote[] = [];
  const env = new Map<string, EsqlExpr>();
  const rows: { cond: EsqlExpr; span: Span }[] = [];
  const expanded: { field: string; span: Span }[] = [];
  const post: EsqlExpr[] = [];
  const postEnv = new Map<string, EsqlExpr>();
  let stats: Stats | undefined;
  let limit: EsqlCommand | undefined;
  let window: EsqlWindow | undefined;
  /** A second STATS that only merges the alerting groups by some of their keys. */
  let regrouped: Extract<EsqlCommand, { t: "stats" }> | undefined;
  /** Columns EVAL or RENAME define after STATS (they may hide a key). */
  const postDefined = new Set<string>();

  for (const cmd of rest) {
    const scope = stats ? postEnv : env;
    if (stats && (cmd.t === "eval" || cmd.t === "rename")) {
      for (const name of cmd.t === "eval" ? cmd.fields.flatMap((f) => f.name ?? []) : cmd.pairs.map((x) => x.to.name)) postDefined.add(name);
    }
    switch (cmd.t) {
      case "where":
        if (regrouped) refuse("esql/unsupported-command", "a condition after a second STATS (on what it aggregates) has no IR form", cmd.span);
        if (stats) post.push(subst(cmd.cond, postEnv));
        else {
          const cond = subst(cmd.cond, env);
          const kept: EsqlExpr[] = [];
          for (const c of splitAnd(cond)) {
            const w = nowWindow(c);
            if (!w) kept.push(c);
            else if (!window || durationMs(w.duration) < durationMs(window.duration) || (w.strict && durationMs(w.duration) === durationMs(window.duration))) window = w;
          }
          if (kept.length === 1) rows.push({ cond: kept[0]!, span: cmd.span });
          else if (kept.length > 1) rows.push({ cond: kept.length === splitAnd(cond).length ? cond : { t: "and", operands: kept, span: cmd.span }, span: cmd.span });
        }
        break;
      case "eval":
        for (const f of cmd.fields) {
          if (f.name === undefined) continue; // an unnamed column is named by its text: nothing reads it back here
          scope.set(f.name, subst(f.expr, scope));
        }
        break;
      case "rename":
        for (const { from: a, to: b } of cmd.pairs) {
          if (a.name.includes("*") || b.name.includes("*")) refuse("esql/unsupported-command", "RENAME with wildcards has no IR form", cmd.span);
          scope.set(b.name, subst({ t: "field", name: a.name, span: a.span }, scope));
        }
        break;
      case "keep":
      case "drop":
      case "sort":
        break;
      case "limit":
        limit = cmd;
        break;
      case "mv_expand":
        if (stats) refuse("esql/unsupported-command", "MV_EXPAND after STATS has no IR form", cmd.span);
        expanded.push({ field: fieldBehind(cmd.field.name, env, cmd.field.span), span: cmd.span });
        break;
      case "stats":
        if (cmd.inline) refuse("esql/unsupported-command", "INLINE STATS (an aggregate added to every row) has no IR form", cmd.span);
        if (stats) {
          if (regrouped || !onlyRegroups(cmd, stats, postDefined)) refuse("esql/unsupported-command", "a second STATS (an aggregation of aggregates) has no IR form", cmd.span);
          regrouped = cmd;
          break;
        }
        stats = readStats(cmd, env, text);
        for (const [name, field] of stats.keyNames) if (name !== field) postEnv.set(name, { t: "field", name: field, span: cmd.span });
        for (const [name, key] of stats.coalesced) postEnv.set(name, key.expr);
        break;
      case "dissect":
      case "grok":
        // Keeps every row; its columns hide fields of the same name, and reading one later is refused.
        for (const [name, marker] of extractedColumns(cmd)) scope.set(name, marker);
        break;
      case "other":
        refuse("esql/unsupported-command", `${cmd.name.toUpperCase()} has no IR form`, cmd.span);
        break;
      case "from":
        refuse("esql/unsupported-command", "a second FROM", cmd.span);
    }
  }

  let rowQuery = mkAnd(rows.map((r) => isTrue(r.cond, cx)));
  if (limit) {
    notes.push({ severity: "warning", code: "esql/limit", message: "LIMIT caps the rows (alerts) of each run; the IR matches every event the conditions select", offset: limit.span.start, end: limit.span.end });
  }
  const indices = from.sources.map((s) => s.name);
  const metadata = from.metadata.map((m) => m.name);
  const warned = () => [...cx.warnings.values()].map((w): EsqlNote => ({ severity: "warning", code: w.code, message: w.message, offset: w.span.start, end: w.span.end }));
  if (!stats) {
    for (const x of expanded) checkExpansion(rowQuery, x.field, x.span, false);
    notes.push(...warned());
    return { query: rowQuery, indices, metadata, notes, ...(window ? { window } : {}) };
  }
  const measured = readCondition(post, stats, cx, rows.map((r) => r.cond));
  if (measured.implied) {
    // Conditions every rule's own filter implies are left out of the filter they share.
    const implied = new Set(measured.implied);
    rowQuery = mkAnd(rows.flatMap((r) => splitAnd(r.cond)).filter((c) => !implied.has(c)).map((c) => isTrue(c, cx)));
  }
  rowQuery = mkAnd([rowQuery, ...measured.rowFilters]);
  const measures = [measured, ...(measured.extraMeasures ?? []), ...(measured.anyOf ?? []).flat()];
  const keyFields = [...stats.groupBy, ...[...stats.coalesced.values()].flatMap((k) => k.fields.flatMap((f) => f.field ?? []))];
  for (const x of expanded) {
    if (keyFields.includes(x.field) || measures.some((m) => m.valueField === x.field || ("valueFallbacks" in m && m.valueFallbacks?.includes(x.field)))) {
      refuse("esql/mv-expand-aggregate", `\`${x.field}\` is expanded and then grouped or counted: the rows hold only its matching values`, x.span);
    }
    // Extra rows of one event change counts, sums and averages, but not "one event or more".
    const counted = measures.some((m) => m.type !== "value_count" && m.type !== "temporal" && !(m.type === "event_count" && m.condition.every(someEvent)));
    for (const q of [rowQuery, ...(measured.ruleFilters ?? []).map((r) => mkAnd([rowQuery, r.query]))]) checkExpansion(q, x.field, x.span, counted);
  }
  if (regrouped) {
    const keys = regrouped.by.map((b) => (b.expr.t === "field" ? b.expr.name : "?"));
    notes.push({ severity: "warning", code: "esql/regrouped", message: `the second STATS merges the groups that alert by ${keys.map((k) => `\`${k}\``).join(", ")}: ES|QL makes one alert per ${keys.length > 1 ? "combination of them" : "value"}, the correlation one per group of the first STATS (by ${[...stats.keyNames.keys()].map((k) => `\`${k}\``).join(", ")}); the same events alert`, offset: regrouped.span.start, end: regrouped.span.end });
  }
  if (stats.timespan) {
    notes.push({ severity: "warning", code: "esql/time-bucket", message: `the aggregation groups events into fixed ${stats.timespan.value}${stats.timespan.unit} buckets; read as a correlation timespan, which also finds events that straddle a bucket boundary`, offset: stats.span.start, end: stats.span.end });
  } else {
    notes.push({ severity: "info", code: "esql/lookback-window", message: "the aggregation counts over each run's look-back window: the correlation's timespan is the rule's look-back", offset: stats.span.start, end: stats.span.end });
  }
  const rules = measured.ruleFilters ? measured.ruleFilters.map((r) => ({ name: r.name, query: mkAnd([rowQuery, r.query]) })) : [{ name: "events", query: rowQuery }];
  const query: Query = {
    kind: "correlation",
    type: measured.type,
    rules: stats.coalesced.size > 0 ? splitByKeySource(rules, stats, measured.type, cx) : rules,
    groupBy: stats.groupBy,
    ...(stats.timespan ? { timespan: stats.timespan } : {}),
    condition: measured.condition,
    ...(measured.valueField !== undefined ? { valueField: measured.valueField } : {}),
    ...(measured.extraMeasures ? { extraMeasures: measured.extraMeasures } : {}),
    ...(measured.anyOf ? { anyOf: measured.anyOf } : {}),
    span: stats.span,
  };
  notes.push(...warned());
  return { query, indices, metadata, notes, ...(window ? { window } : {}) };
}

/** `@timestamp >= NOW() - span` (or `>`, or the sides swapped) with a span of fixed length. */
function nowWindow(c: EsqlExpr): EsqlWindow | undefined {
  const u = unwrapParen(c);
  if (u.t !== "cmp") return undefined;
  const isTime = (e: EsqlExpr) => {
    const x = unwrapParen(e);
    return x.t === "field" && x.name === "@timestamp";
  };
  const [bound, op] = isTime(u.left) ? [u.right, u.op] : isTime(u.right) ? [u.left, ({ "<": ">", "<=": ">=" } as Record<string, string>)[u.op]] : [undefined, undefined];
  if (!bound || (op !== ">=" && op !== ">")) return undefined;
  const b = unwrapParen(bound);
  if (b.t !== "arith" || b.op !== "-") return undefined;
  const now = unwrapParen(b.left);
  const span = unwrapParen(b.right);
  if (now.t !== "call" || now.name !== "now" || now.args.length !== 0 || span.t !== "timespan") return undefined;
  const duration = spanDuration(span);
  return duration ? { duration, strict: op === ">", offset: u.span.start, end: u.span.end } : undefined;
}

/** Aggregates that only show values of the rows of a group, never decide whether it is a row. */
const SHOWN = new Set(["values", "min", "max", "mv_slice", "mv_dedupe", "mv_sort", "mv_first", "mv_last", "mv_min", "mv_max"]);

function shows(e: EsqlExpr): boolean {
  const u = e.t === "paren" ? e.inner : e;
  if (u.t === "field" || u.t === "lit") return true;
  return u.t === "call" && SHOWN.has(u.name) && u.args.every(shows);
}

/**
 * A second STATS that takes the groups the first one kept and merges them by some of its keys,
 * with aggregates that only show their values (`VALUES`, `MIN`, `MAX`, …, none filtered): every
 * group the first STATS keeps is in one row of it, and each row comes from such a group, so the
 * same events alert, merged into fewer alerts (the warning `esql/regrouped` says so).
 */
function onlyRegroups(cmd: Extract<EsqlCommand, { t: "stats" }>, first: Stats, postDefined: ReadonlySet<string>): boolean {
  if (cmd.inline || cmd.by.length === 0) return false;
  if (!cmd.aggs.every((a) => a.where === undefined && shows(a.field.expr) && a.field.expr.t !== "field" && a.field.expr.t !== "lit")) return false;
  return cmd.by.every((b) => b.name === undefined && b.expr.t === "field" && first.keyNames.has(b.expr.name) && !postDefined.has(b.expr.name));
}

/** Splits of one rule by which field gives its COALESCE keys, at most. */
const MAX_KEY_SPLITS = 16;

/**
 * A key `k = COALESCE(a, b)` is `a` for the events that have an `a`, else `b` (a source `CASE(c, a,
 * null)` only where c holds): each rule becomes
 * one rule per choice, disjoint, with the chosen field as the alias of `k`. Every event matches
 * one of them as it matched the rule, so counts, distinct values, sums and averages are the same.
 * A temporal correlation counts rules, which splitting would change: refused.
 */
function splitByKeySource(rules: readonly { name: string; query: Query }[], stats: Stats, type: string, cx: CondContext): NodeOf<"correlation">["rules"] {
  const keys = [...stats.coalesced];
  if (type === "temporal") refuse("esql/group-key", `the key \`${keys[0]![0]}\` is a COALESCE, and the correlation counts kinds of events`, stats.span);
  let choices: { aliases: Record<string, string>; tests: Query[] }[] = [{ aliases: {}, tests: [] }];
  for (const [name, key] of keys) {
    // A source is taken when its condition is TRUE (and, in a COALESCE, its field has a value).
    const when = (k: KeySource) => (k.when ? [isTrue(k.when, cx)] : []);
    const taken = (k: KeySource) => mkAnd([...when(k), ...(k.byCondition || k.field === undefined ? [] : [exists(k.field)])]);
    choices = choices.flatMap((c) => key.fields.flatMap((f, i) => f.field === undefined ? [] : [{
      aliases: { ...c.aliases, [name]: f.field },
      tests: [...c.tests, ...key.fields.slice(0, i).map((g) => mkNot(taken(g))), ...when(f), exists(f.field)],
    }]));
    if (choices.length > MAX_KEY_SPLITS) refuse("esql/too-complex", `the COALESCE keys make more than ${MAX_KEY_SPLITS} cases`, stats.span);
  }
  return rules.flatMap((r) => choices.map((c, i) => ({ name: `${r.name}_${i + 1}`, query: mkAnd([r.query, ...c.tests]), aliases: c.aliases })));
}

/** A bound that holds for every count of 1 or more, and not for 0. */
function someEvent(c: CountCondition): boolean {
  return (c.op === "gt" || c.op === "gte" || c.op === "neq") && (c.op === "gt" ? c.value >= 0 && c.value < 1 : c.op === "gte" ? c.value > 0 && c.value <= 1 : c.value === 0);
}

function exists(field: string): Query {
  return { kind: "exists", field };
}

/**
 * MV_EXPAND f makes one row per value of `f`; a row passes when the conditions hold for that
 * value. For the IR's "some value matches" tests to say the same, every test of `f` must be
 * positive, and no `and` may test `f` in two branches (two tests could then be met by two
 * different values). `counted`: the aggregation counts rows, so at most one value per event may
 * pass (one case-sensitive equality test of `f`).
 */
function checkExpansion(q: Query, field: string, at: Span, counted: boolean): void {
  if (!distributes(q, field)) {
    refuse("esql/mv-expand", `the conditions test \`${field}\` in a way that differs between one value at a time (MV_EXPAND) and any of its values (the IR)`, at,
      "MV_EXPAND reads exactly when each branch of an AND tests the field at most once, and never under NOT");
  }
  if (counted && !singleValuePasses(q, field)) {
    refuse("esql/mv-expand-count", `after MV_EXPAND \`${field}\` the aggregate counts one row per matching value, not per event`, at);
  }
}

function mentions(q: Query, field: string): boolean {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.some((c) => mentions(c, field));
    case "not":
      return mentions(q.child, field);
    case "match":
    case "exists":
    case "range":
    case "regex":
    case "cidr":
      return q.field === field;
    case "fieldref":
      return q.field === field || q.other === field;
    case "compare":
      return exprMentions(q.left, field) || exprMentions(q.right, field);
    case "predicate":
      return exprMentions(q.expr, field);
    default:
      return false;
  }
}

function exprMentions(e: Expr, field: string): boolean {
  switch (e.kind) {
    case "field":
      return e.field === field;
    case "literal":
      return false;
    case "call":
      return e.args.some((a) => exprMentions(a, field));
    case "arith":
      return exprMentions(e.left, field) || exprMentions(e.right, field);
  }
}

function distributes(q: Query, field: string): boolean {
  if (!mentions(q, field)) return true;
  switch (q.kind) {
    case "and":
      return q.children.filter((c) => mentions(c, field)).length <= 1 && q.children.every((c) => distributes(c, field));
    case "or":
      return q.children.every((c) => distributes(c, field));
    case "not":
      return false;
    case "compare":
    case "predicate":
      return false;
    default:
      return true;
  }
}

function singleValuePasses(q: Query, field: string): boolean {
  if (!mentions(q, field)) return true;
  switch (q.kind) {
    case "and":
      return q.children.every((c) => singleValuePasses(c, field));
    case "match":
      return q.caseSensitive && q.value.kind !== "string" ? true : q.caseSensitive && q.value.kind === "string" && q.value.parts.every((p) => p.kind === "text");
    default:
      return false;
  }
}
