/**
 * An ES|QL pipeline → query IR. Commands are replayed in order:
 * - FROM gives the index patterns and METADATA fields (kept beside the query);
 * - WHERE adds a condition every row must meet (see esql-lower-cond.ts for conditions);
 * - EVAL defines columns, which later commands see through: `EVAL x = TO_LOWER(f) | WHERE x LIKE
 *   "a*"` reads as a case-insensitive match on `f`; RENAME likewise;
 * - KEEP, DROP and SORT choose and order output columns and rows, not which events match; LIMIT
 *   caps the rows of a run (read with a warning);
 * - MV_EXPAND f is read when the conditions after it hold for some value of `f` exactly when the
 *   IR's "any value matches" tests hold (see `distributes`), and the aggregation, if any, does not
 *   count the extra rows;
 * - STATS … BY keys, with the WHERE after it, becomes a correlation when the WHERE bounds one
 *   aggregate: COUNT(*) → event_count, COUNT_DISTINCT(f) → value_count, SUM(f) → value_sum,
 *   AVG(f) → value_avg. Other aggregates only decorate the alert and are dropped. A `BY` on
 *   `DATE_TRUNC(span, @timestamp)` (or BUCKET) is the correlation's timespan, read with a warning;
 *   without one the correlation counts over each run's look-back, which the rule's schedule gives.
 * Anything else is refused by name with its position (`esql/unsupported-command`, …).
 */
import type { CorrelationType, CountCondition, Duration, Expr, Query, Span } from "../../ir/query.js";
import type { EsqlCommand, EsqlExpr, EsqlField, EsqlQuery } from "./esql-ast.js";
import { ALL, mkAnd, refuse } from "./esql-ir-build.js";
import { type CondContext, condContext, formOf, isTrue, notNull } from "./esql-lower-cond.js";
import { MEASURES } from "./esql-functions.js";

/** Something the reading changed or could not keep, which the user must be told. */
export interface EsqlNote {
  readonly severity: "info" | "warning";
  readonly code: string;
  readonly message: string;
  readonly offset: number;
  readonly end?: number;
}

export interface EsqlLowered {
  readonly query: Query;
  readonly indices: readonly string[];
  readonly metadata: readonly string[];
  readonly notes: readonly EsqlNote[];
}

interface Agg {
  readonly name: string;
  readonly fn: string;
  readonly arg?: EsqlExpr;
  readonly star: boolean;
  readonly where?: EsqlExpr;
  /** `COALESCE(SUM(x), 0)`: 0 where no value adds up, as the IR's value_sum. */
  readonly zeroWhenEmpty?: boolean;
  readonly span: Span;
}

interface Stats {
  readonly aggs: ReadonlyMap<string, Agg>;
  readonly groupBy: readonly string[];
  /** Each key's column name (`Esql.ip` in `BY Esql.ip = TO_IP(source.ip)`) → its source field. */
  readonly keyNames: ReadonlyMap<string, string>;
  readonly timespan?: Duration;
  readonly span: Span;
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

  for (const cmd of rest) {
    const scope = stats ? postEnv : env;
    switch (cmd.t) {
      case "where":
        if (stats) post.push(subst(cmd.cond, postEnv));
        else rows.push({ cond: subst(cmd.cond, env), span: cmd.span });
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
        if (stats) refuse("esql/unsupported-command", "a second STATS (an aggregation of aggregates) has no IR form", cmd.span);
        stats = readStats(cmd, env, text);
        for (const [name, field] of stats.keyNames) if (name !== field) postEnv.set(name, { t: "field", name: field, span: cmd.span });
        break;
      case "dissect":
      case "grok":
        refuse("esql/unsupported-command", `${cmd.t.toUpperCase()} (extracting new columns from text) has no IR form`, cmd.span);
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
  if (!stats) {
    for (const x of expanded) checkExpansion(rowQuery, x.field, x.span, false);
    return { query: rowQuery, indices, metadata, notes };
  }
  const measured = readCondition(post, stats, cx);
  rowQuery = mkAnd([rowQuery, ...measured.rowFilters]);
  for (const x of expanded) {
    if (stats.groupBy.includes(x.field) || measured.valueField === x.field) {
      refuse("esql/mv-expand-aggregate", `\`${x.field}\` is expanded and then grouped or counted: the rows hold only its matching values`, x.span);
    }
    checkExpansion(rowQuery, x.field, x.span, measured.type !== "value_count");
  }
  if (stats.timespan) {
    notes.push({ severity: "warning", code: "esql/time-bucket", message: `the aggregation groups events into fixed ${stats.timespan.value}${stats.timespan.unit} buckets; read as a correlation timespan, which also finds events that straddle a bucket boundary`, offset: stats.span.start, end: stats.span.end });
  } else {
    notes.push({ severity: "info", code: "esql/lookback-window", message: "the aggregation counts over each run's look-back window: the correlation's timespan is the rule's look-back", offset: stats.span.start, end: stats.span.end });
  }
  const query: Query = {
    kind: "correlation",
    type: measured.type,
    rules: measured.ruleFilters ? measured.ruleFilters.map((r) => ({ name: r.name, query: mkAnd([rowQuery, r.query]) })) : [{ name: "events", query: rowQuery }],
    groupBy: stats.groupBy,
    ...(stats.timespan ? { timespan: stats.timespan } : {}),
    condition: measured.condition,
    ...(measured.valueField !== undefined ? { valueField: measured.valueField } : {}),
    span: stats.span,
  };
  return { query, indices, metadata, notes };
}

/** `expr` with every column defined by EVAL/RENAME replaced by its definition. */
export function subst(e: EsqlExpr, env: ReadonlyMap<string, EsqlExpr>): EsqlExpr {
  if (env.size === 0) return e;
  const s = (x: EsqlExpr) => subst(x, env);
  switch (e.t) {
    case "field":
      return env.get(e.name) ?? e;
    case "lit":
    case "timespan":
    case "match":
      if (e.t === "match" && env.has(e.field)) {
        return refuse("esql/unsupported-expression", "the match operator on a computed column has no IR form", e.span);
      }
      return e;
    case "call":
      return { ...e, args: e.args.map(s) };
    case "neg":
    case "not":
      return { ...e, operand: s(e.operand) };
    case "cast":
    case "isnull":
    case "like":
      return { ...e, operand: s(e.operand) };
    case "in":
      return { ...e, operand: s(e.operand), items: e.items.map(s) };
    case "arith":
    case "cmp":
      return { ...e, left: s(e.left), right: s(e.right) };
    case "and":
    case "or":
      return { ...e, operands: e.operands.map(s) };
    case "paren":
      return { ...e, inner: s(e.inner) };
  }
}

/** The source field a column name stands for (MV_EXPAND, BY keys, measured fields). */
function fieldBehind(name: string, env: ReadonlyMap<string, EsqlExpr>, at: Span): string {
  const e = subst({ t: "field", name, span: at }, env);
  const inner = unwrapConversions(e);
  if (inner.t !== "field") return refuse("esql/computed-field", `\`${name}\` is computed (${describeExpr(inner)}); the IR groups and counts source fields`, at);
  return inner.name;
}

function unwrapConversions(e: EsqlExpr, numeric = false): EsqlExpr {
  if (e.t === "paren") return unwrapConversions(e.inner, numeric);
  // `TO_IP(source.ip)` as a key is the address itself (ECS keeps addresses in ip fields); SUM and
  // AVG of `TO_DOUBLE(x)` add up what the IR's value_sum and value_avg do, numbers and numeric text.
  const through = numeric ? ["to_double", "to_dbl"] : ["to_ip", "to_string"];
  if (e.t === "call" && through.includes(e.name) && e.args.length === 1) return unwrapConversions(e.args[0]!, numeric);
  return e;
}

function describeExpr(e: EsqlExpr): string {
  return e.t === "call" ? `${e.name.toUpperCase()}(…)` : `a ${e.t} expression`;
}

function readStats(cmd: Extract<EsqlCommand, { t: "stats" }>, env: ReadonlyMap<string, EsqlExpr>, text: string): Stats {
  const aggs = new Map<string, Agg>();
  for (const { field, where } of cmd.aggs) {
    let e = unwrapParen(field.expr);
    const name = field.name ?? text.slice(field.span.start, field.span.end);
    const [inner, zero] = e.t === "call" && e.name === "coalesce" && e.args.length === 2 ? [unwrapParen(e.args[0]!), e.args[1]] : [undefined, undefined];
    const zeroWhenEmpty = inner?.t === "call" && inner.name === "sum" && zero?.t === "lit" && (zero.value.type === "integer" || zero.value.type === "decimal") && zero.value.value === 0;
    if (zeroWhenEmpty && inner) e = inner;
    if (e.t !== "call") {
      aggs.set(name, { name, fn: "?", star: false, span: field.span });
      continue;
    }
    const arg = e.args[0];
    aggs.set(name, {
      name,
      fn: e.name,
      star: e.star,
      ...(arg ? { arg: subst(arg, env) } : {}),
      ...(where ? { where: subst(where, env) } : {}),
      ...(zeroWhenEmpty ? { zeroWhenEmpty } : {}),
      span: field.span,
    });
  }
  const groupBy: string[] = [];
  const keyNames = new Map<string, string>();
  let timespan: Duration | undefined;
  for (const key of cmd.by) {
    const bucket = timeBucket(subst(key.expr, env));
    if (bucket) {
      if (timespan) refuse("esql/group-key", "two time buckets in one STATS", key.span);
      timespan = bucket;
      continue;
    }
    const field = groupField(key, env);
    groupBy.push(field);
    const e = unwrapParen(key.expr);
    keyNames.set(key.name ?? (e.t === "field" ? e.name : field), field);
  }
  return { aggs, groupBy, keyNames, ...(timespan ? { timespan } : {}), span: cmd.span };
}

function unwrapParen(e: EsqlExpr): EsqlExpr {
  return e.t === "paren" ? unwrapParen(e.inner) : e;
}

function groupField(key: EsqlField, env: ReadonlyMap<string, EsqlExpr>): string {
  const e = unwrapConversions(subst(key.expr, env));
  if (e.t !== "field") return refuse("esql/group-key", `the group key ${describeExpr(e)} is computed; the IR groups by source fields`, key.span);
  return e.name;
}

const UNITS: ReadonlyMap<string, Duration["unit"] | [Duration["unit"], number]> = new Map<string, Duration["unit"] | [Duration["unit"], number]>([
  ["ms", "ms"], ["millisecond", "ms"], ["milliseconds", "ms"],
  ["s", "s"], ["sec", "s"], ["second", "s"], ["seconds", "s"],
  ["m", "m"], ["min", "m"], ["minute", "m"], ["minutes", "m"],
  ["h", "h"], ["hour", "h"], ["hours", "h"],
  ["d", "d"], ["day", "d"], ["days", "d"],
  ["w", ["d", 7]], ["week", ["d", 7]], ["weeks", ["d", 7]],
]);

/** `DATE_TRUNC(5 minutes, @timestamp)` or `BUCKET(@timestamp, 5 minutes)` → 5m. */
function timeBucket(e: EsqlExpr): Duration | undefined {
  const c = unwrapParen(e);
  if (c.t !== "call" || c.args.length !== 2) return undefined;
  const [a, b] = c.name === "date_trunc" ? c.args : c.name === "bucket" || c.name === "tbucket" ? [c.args[1], c.args[0]] : [];
  if (a?.t !== "timespan" || b?.t !== "field" || b.name !== "@timestamp") return undefined;
  const unit = UNITS.get(a.unit);
  if (unit === undefined) return refuse("esql/group-key", `unknown time unit \`${a.unit}\``, a.span);
  return Array.isArray(unit) ? { value: a.value * unit[1], unit: unit[0] } : { value: a.value, unit };
}

interface Measured {
  readonly type: CorrelationType;
  readonly condition: readonly CountCondition[];
  readonly valueField?: string;
  /** Conditions on group keys, and the aggregate's own `WHERE`: filters on the events. */
  readonly rowFilters: readonly Query[];
  /** `temporal`: each rule's own filter (the `WHERE` of its `COUNT(*) WHERE …`), by name. */
  readonly ruleFilters?: readonly { readonly name: string; readonly query: Query }[];
}

const COUNT_OPS: Readonly<Record<string, CountCondition["op"]>> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "==": "eq", "!=": "neq" };
const FLIPPED: Readonly<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

/** The WHERE after STATS: bounds on one aggregate, and tests of group keys. */
function readCondition(post: readonly EsqlExpr[], stats: Stats, cx: CondContext): Measured {
  const conjuncts = post.flatMap(splitAnd);
  const bounds: { agg: Agg; op: CountCondition["op"]; value: number; span: Span }[] = [];
  const keyTests: Query[] = [];
  for (const c of conjuncts) {
    const now = callNamed(c, "now");
    if (now) refuse("esql/time-dependent", "the condition compares with the time of the search (`NOW()`), which the IR cannot hold", now.span);
    const refs = aggregateRefs(c, stats);
    if (refs.size === 0) {
      const keys = new Set(stats.groupBy);
      if (!onlyKeys(c, keys)) refuse("esql/aggregate-condition", "this condition after STATS uses a value that is neither an aggregate nor a group key", c.span);
      keyTests.push(isTrue(c, cx));
      continue;
    }
    bounds.push(bound(c, stats));
  }
  // `COUNT(*) > 0` beside a bound on another aggregate says only that the group has an event,
  // which every correlation match has (the printer writes it for a STATS without BY).
  const presence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && (b.agg.star || b.agg.arg === undefined) && !b.agg.where && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  if (bounds.some((b) => !presence(b))) bounds.splice(0, bounds.length, ...bounds.filter((b) => !presence(b)));
  // `a = COUNT(*) WHERE x, b = COUNT(*) WHERE y … | WHERE a > 0 AND b > 0`: events of every kind
  // in the group, a temporal correlation (what the printer writes for one).
  const filteredPresence = (b: (typeof bounds)[number]) => b.agg.fn === "count" && b.agg.star && b.agg.where !== undefined && ((b.op === "gt" && b.value === 0) || (b.op === "gte" && b.value === 1));
  const kinds = new Set(bounds.map((b) => b.agg.name));
  if (kinds.size >= 2 && bounds.every(filteredPresence)) {
    const ruleFilters = [...kinds].map((name) => ({ name, query: isTrue(stats.aggs.get(name)!.where!, cx) }));
    return { type: "temporal", condition: [], rowFilters: keyTests, ruleFilters };
  }
  const measured = new Set(bounds.map((b) => b.agg.name));
  if (measured.size > 1) {
    const at = bounds[1]!.span;
    refuse("esql/several-aggregates", `the condition bounds ${[...measured].map((n) => `\`${n}\``).join(" and ")}: a correlation measures one aggregate`, at,
      "Sigma and the IR hold one count per correlation; Elastic keeps the query as written");
  }
  const agg = bounds[0]?.agg;
  // No condition at all: every group the rows form alerts, i.e. at least one event.
  if (!agg) return { type: "event_count", condition: [{ op: "gte", value: 1 }], rowFilters: keyTests };
  const type = MEASURES[agg.fn];
  if (!type) return refuse("esql/unsupported-aggregate", `the aggregate \`${agg.fn.toUpperCase()}\` has no correlation form`, agg.span, "a correlation counts events (COUNT), distinct values (COUNT_DISTINCT), or adds up (SUM) or averages (AVG) a field");
  const condition = bounds.map((b) => ({ op: b.op, value: b.value }));
  const rowFilters = [...keyTests];
  if (agg.where) {
    // A filtered aggregate counts some rows only; that is a filter on the events when the bound
    // needs at least one of them (a group with none never reaches the bound).
    if (!(type === "event_count" || type === "value_count") || !condition.every((c) => (c.op === "gt" && c.value >= 0) || (c.op === "gte" && c.value >= 1))) {
      refuse("esql/filtered-aggregate", "an aggregate with its own WHERE is a correlation only when its bound needs at least one event", agg.span);
    }
    rowFilters.push(isTrue(agg.where, cx));
  }
  if (type === "value_sum" && !agg.zeroWhenEmpty && condition.every((c) => holdsAt(c, 0))) {
    // SUM of no number is NULL (no alert), where the IR adds up to 0 (which meets this bound).
    refuse("esql/sum-of-nothing", `\`${agg.name}\` is NULL where no value adds up, and the bound holds for the IR's 0`, agg.span, "write COALESCE(SUM(…), 0)");
  }
  let valueField: string | undefined;
  if (type === "event_count") {
    if (!agg.star && agg.arg !== undefined) {
      // COUNT(x) counts the rows where x has a value (each value, if x has several).
      rowFilters.push(notNull(formOf(agg.arg, cx)));
    }
  } else {
    if (!agg.arg) return refuse("esql/unsupported-aggregate", `\`${agg.fn.toUpperCase()}\` needs a field`, agg.span);
    const inner = unwrapConversions(agg.arg, type === "value_sum" || type === "value_avg");
    if (inner.t !== "field") return refuse("esql/computed-field", `\`${agg.name}\` measures ${describeExpr(inner)}; a correlation measures a source field`, agg.span);
    valueField = inner.name;
  }
  return { type, condition, ...(valueField !== undefined ? { valueField } : {}), rowFilters: rowFilters.filter((q) => q !== ALL) };
}

function callNamed(e: EsqlExpr, name: string): EsqlExpr | undefined {
  let found: EsqlExpr | undefined;
  visit(e, (x) => {
    if (!found && x.t === "call" && x.name === name) found = x;
  });
  return found;
}

/** Calls `f` on `e` and every expression inside it. */
function visit(e: EsqlExpr, f: (x: EsqlExpr) => void): void {
  f(e);
  switch (e.t) {
    case "call":
      return e.args.forEach((a) => visit(a, f));
    case "neg":
    case "not":
    case "cast":
    case "isnull":
    case "like":
      return visit(e.operand, f);
    case "in":
      visit(e.operand, f);
      return e.items.forEach((a) => visit(a, f));
    case "arith":
    case "cmp":
      visit(e.left, f);
      return visit(e.right, f);
    case "and":
    case "or":
      return e.operands.forEach((o) => visit(o, f));
    case "paren":
      return visit(e.inner, f);
    default:
      return;
  }
}

function holdsAt(c: CountCondition, n: number): boolean {
  return { gt: n > c.value, gte: n >= c.value, lt: n < c.value, lte: n <= c.value, eq: n === c.value, neq: n !== c.value }[c.op];
}

function splitAnd(e: EsqlExpr): EsqlExpr[] {
  if (e.t === "and") return e.operands.flatMap(splitAnd);
  if (e.t === "paren") return splitAnd(e.inner);
  return [e];
}

function aggregateRefs(e: EsqlExpr, stats: Stats): Set<string> {
  const out = new Set<string>();
  visit(e, (x) => {
    if (x.t === "field" && stats.aggs.has(x.name)) out.add(x.name);
  });
  return out;
}

function onlyKeys(e: EsqlExpr, keys: ReadonlySet<string>): boolean {
  let ok = true;
  visit(e, (x) => {
    if ((x.t === "field" && !keys.has(x.name)) || (x.t === "match" && !keys.has(x.field))) ok = false;
  });
  return ok;
}

/** `agg op number` (or turned round): one bound of the measured aggregate. */
function bound(c: EsqlExpr, stats: Stats): { agg: Agg; op: CountCondition["op"]; value: number; span: Span } {
  const e = unwrapParen(c);
  if (e.t === "cmp") {
    const l = unwrapParen(e.left);
    const r = unwrapParen(e.right);
    const num = (x: EsqlExpr): number | undefined =>
      x.t === "lit" && (x.value.type === "integer" || x.value.type === "decimal") ? x.value.value
        : x.t === "neg" && x.operand.t === "lit" && (x.operand.value.type === "integer" || x.operand.value.type === "decimal") ? -x.operand.value.value
          : undefined;
    const agg = (x: EsqlExpr) => (x.t === "field" ? stats.aggs.get(x.name) : undefined);
    const [a, n, op] = agg(l) && num(r) !== undefined ? [agg(l), num(r), e.op] : agg(r) && num(l) !== undefined ? [agg(r), num(l), FLIPPED[e.op] ?? e.op] : [undefined, undefined, e.op];
    if (a && n !== undefined) {
      if (a.fn === "?") refuse("esql/unsupported-aggregate", `\`${a.name}\` is not an aggregate call`, a.span);
      return { agg: a, op: COUNT_OPS[op] ?? "eq", value: n, span: c.span };
    }
  }
  return refuse("esql/aggregate-condition", "the condition after STATS must bound one aggregate with a number (`count >= 10`), joined with AND", c.span,
    "a correlation condition is a conjunction of bounds on its count");
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
