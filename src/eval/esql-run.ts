/**
 * Runs an ES|QL syntax tree (read by rulecast's own ES|QL parser) over JSON events with ES|QL's
 * semantics (esql-expr.ts), independently of the IR and of the ES|QL printer, so that what the
 * printer writes can be held against what the IR means.
 *
 * - FROM: one row per event (index patterns are not checked); METADATA `_id` is the event's
 *   position, `_index` "events", `_version` 1.
 * - WHERE keeps TRUE rows; EVAL adds columns; RENAME moves one; KEEP/DROP hide names; SORT orders
 *   (NULLs last ascending, first descending); LIMIT cuts.
 * - MV_EXPAND f: one row per value of `f` (a NULL `f` keeps its row).
 * - STATS aggs BY keys: a row joins the group of each value of a multi-valued key, and a NULL key
 *   forms its own group. COUNT(*) counts rows, COUNT(x) values, COUNT_DISTINCT(x) distinct values
 *   (exactly; Elasticsearch is exact up to 3,000 and approximate above), SUM/AVG/MIN/MAX read every
 *   value and are NULL with none; `agg WHERE cond` reads only the rows where `cond` is TRUE. Keys
 *   may be `DATE_TRUNC(span, @timestamp)`/`BUCKET(@timestamp, span)` over fixed spans.
 * - GROK, DISSECT, INLINE STATS, ENRICH, … and `NOW()` are refused, not approximated.
 */
import type { EsqlCommand, EsqlExpr, EsqlQuery } from "../query/esql/esql-ast.js";
import { column, evalExpr, isDouble, isDoubleColumn, type Row } from "./esql-expr.js";
import { compareScalars, EsqlRefused, type EsqlValue, fromList, isMulti, refuse, type Scalar, toList } from "./esql-values.js";
import { timestampOf } from "./stream-events.js";

export type EsqlRunResult =
  | { readonly ok: true; readonly rows: readonly ReadonlyMap<string, EsqlValue>[]; readonly sources: readonly number[] }
  | { readonly ok: false; readonly reason: string };

interface RowAt extends Row {
  /** Index of the event the row came from (−1 after STATS). */
  readonly source: number;
}

/** All rows the query returns over `events` (output columns only where EVAL/STATS made them). */
export interface EsqlOptions {
  /**
   * Read events as an index with the ECS mapping holds them (numbers in numeric fields, booleans
   * in boolean fields: ecs-typed.ts), not as a dynamic mapping would type their JSON.
   */
  readonly ecsMapped?: boolean;
}

export function runEsql(q: EsqlQuery, events: readonly Record<string, unknown>[], opts: EsqlOptions = {}): EsqlRunResult {
  try {
    const rows = run(q, events, opts.ecsMapped === true);
    return { ok: true, rows: rows.map((r) => r.cols), sources: rows.map((r) => r.source) };
  } catch (e) {
    if (e instanceof EsqlRefused) return { ok: false, reason: e.reason };
    throw e;
  }
}

/** For a query that does not aggregate: whether it returns a row for this one event. */
export function esqlMatches(q: EsqlQuery, event: Record<string, unknown>, opts: EsqlOptions = {}): { ok: true; matched: boolean } | { ok: false; reason: string } {
  const r = runEsql(q, [event], opts);
  return r.ok ? { ok: true, matched: r.rows.length > 0 } : r;
}

function run(q: EsqlQuery, events: readonly Record<string, unknown>[], ecsMapped: boolean): RowAt[] {
  const [from, ...rest] = q.commands;
  if (from?.t !== "from") return refuse("the query does not start with FROM");
  const meta = new Set(from.metadata.map((m) => m.name));
  let rows: RowAt[] = events.map((event, i) => {
    const cols = new Map<string, EsqlValue>();
    if (meta.has("_id")) cols.set("_id", String(i));
    if (meta.has("_index")) cols.set("_index", "events");
    if (meta.has("_version")) cols.set("_version", 1);
    return { event, cols, source: i, ...(ecsMapped ? { ecsMapped } : {}) };
  });
  for (const cmd of rest) rows = step(cmd, rows);
  return rows;
}

function withCols(row: RowAt, set: (cols: Map<string, EsqlValue>) => void): RowAt {
  const cols = new Map(row.cols);
  set(cols);
  return { ...row, cols };
}

/** The row with column `name` marked as holding doubles, or not (Row.doubleCols). */
function markDouble(row: RowAt, name: string, double: boolean): RowAt {
  if ((row.doubleCols?.has(name) ?? false) === double) return row;
  const doubleCols = new Set(row.doubleCols);
  if (double) doubleCols.add(name);
  else doubleCols.delete(name);
  return { ...row, doubleCols };
}

function step(cmd: EsqlCommand, rows: RowAt[]): RowAt[] {
  switch (cmd.t) {
    case "where":
      return rows.filter((r) => {
        const v = evalExpr(cmd.cond, r);
        if (v !== null && !isMulti(v) && typeof v !== "boolean") refuse("type error: WHERE needs a boolean");
        return v === true;
      });
    case "eval":
      return rows.map((r) => {
        let row = r;
        for (const f of cmd.fields) {
          const v = evalExpr(f.expr, row);
          const double = isDouble(f.expr, row);
          row = markDouble(withCols(row, (c) => c.set(f.name ?? "?", v)), f.name ?? "?", double);
        }
        return row;
      });
    case "rename":
      return rows.map((r) => {
        let row = r;
        for (const { from, to } of cmd.pairs) {
          const v = column(row, from.name);
          const double = isDoubleColumn(from.name, row);
          const hidden = from.name;
          const before = row.visible;
          row = markDouble({ ...withCols(row, (c) => c.set(to.name, v)), visible: (n) => n === to.name || (n !== hidden && (before?.(n) ?? true)) }, to.name, double);
        }
        return row;
      });
    case "keep":
    case "drop": {
      const res = cmd.patterns.map((p) => new RegExp(`^${p.name.split("*").map((s) => s.replace(/[\\^$.+?()[\]{}|]/g, "\\$&")).join(".*")}$`));
      const hit = (n: string) => res.some((re) => re.test(n));
      return rows.map((r) => {
        const before = r.visible;
        const visible = cmd.t === "keep" ? (n: string) => hit(n) && (before?.(n) ?? true) : (n: string) => !hit(n) && (before?.(n) ?? true);
        return { ...r, visible };
      });
    }
    case "sort":
      return [...rows].sort((a, b) => {
        for (const k of cmd.keys) {
          const x = sortValue(evalExpr(k.expr, a));
          const y = sortValue(evalExpr(k.expr, b));
          const nullsFirst = k.nulls ? k.nulls === "first" : k.desc;
          if (x === null || y === null) {
            if (x === y) continue;
            return (x === null) === nullsFirst ? -1 : 1;
          }
          const c = compareScalars(x, y);
          if (c !== 0) return k.desc ? -c : c;
        }
        return 0;
      });
    case "limit":
      return rows.slice(0, cmd.count);
    case "mv_expand":
      return rows.flatMap((r) => {
        const v = column(r, cmd.field.name);
        const values = toList(v);
        if (values.length <= 1) return [r];
        const double = isDoubleColumn(cmd.field.name, r);
        return values.map((one) => markDouble(withCols(r, (c) => c.set(cmd.field.name, one)), cmd.field.name, double));
      });
    case "stats":
      if (cmd.inline) return refuse("INLINE STATS is not modelled");
      return stats(cmd, rows);
    case "from":
    case "dissect":
    case "grok":
      return refuse(`${cmd.t.toUpperCase()} is not modelled`);
    case "other":
      return refuse(`${cmd.name.toUpperCase()} is not modelled`);
  }
}

/** SORT reads one value; several values sort by… Elasticsearch uses the smallest ascending. */
function sortValue(v: EsqlValue): Scalar | null {
  if (v === null) return null;
  if (isMulti(v)) return [...v].sort(compareScalars)[0] ?? null;
  return v as Scalar;
}

const FIXED_UNITS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000,
  minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000,
  days: 86_400_000, w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/** A BY key: a time bucket start (ms) or any value. */
function keyValue(e: EsqlExpr, row: RowAt): EsqlValue {
  const c = e.t === "paren" ? e.inner : e;
  if (c.t === "call" && (c.name === "date_trunc" || c.name === "bucket" || c.name === "tbucket") && c.args.length === 2) {
    const [span, time] = c.name === "date_trunc" ? c.args : [c.args[1], c.args[0]];
    if (span?.t !== "timespan" || !time) return refuse(`${c.name.toUpperCase()} with this span is not modelled`);
    const unit = FIXED_UNITS[span.unit];
    if (unit === undefined) return refuse(`the time unit ${span.unit} is not a fixed span`);
    const t = toList(evalExpr(time, row)).map(timestampOf);
    if (t.length !== 1 || t[0] === undefined) return null;
    const width = span.value * unit;
    return Math.floor(t[0] / width) * width;
  }
  return evalExpr(e, row);
}

function stats(cmd: Extract<EsqlCommand, { t: "stats" }>, rows: RowAt[]): RowAt[] {
  const groups = new Map<string, { key: EsqlValue[]; rows: RowAt[] }>();
  for (const r of rows) {
    // A multi-valued key puts the row in the group of each of its values.
    let keys: EsqlValue[][] = [[]];
    for (const k of cmd.by) {
      const v = keyValue(k.expr, r);
      const options = v === null ? [null] : toList(v);
      keys = keys.flatMap((prefix) => options.map((o) => [...prefix, o]));
    }
    for (const key of keys) {
      const id = JSON.stringify(key);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key, rows: [] }));
      g.rows.push(r);
    }
  }
  if (cmd.by.length === 0 && groups.size === 0) groups.set("[]", { key: [], rows: [] });
  const out: RowAt[] = [];
  for (const g of groups.values()) {
    const cols = new Map<string, EsqlValue>();
    for (const { field, where } of cmd.aggs) {
      const members = where ? g.rows.filter((r) => evalExpr(where, r) === true) : g.rows;
      cols.set(field.name ?? "?", aggExpr(field.expr, members));
    }
    cmd.by.forEach((k, i) => {
      const name = k.name ?? (k.expr.t === "field" ? k.expr.name : "?");
      cols.set(name, g.key[i] ?? null);
    });
    out.push({ event: {}, cols, onlyCols: true, source: -1 });
  }
  return out;
}

const AGGREGATES: ReadonlySet<string> = new Set(["count", "count_distinct", "sum", "avg", "min", "max", "values"]);

/** An aggregation expression over a group: aggregate calls inside scalar functions (`COALESCE(SUM(x), 0)`). */
function aggExpr(e: EsqlExpr, rows: readonly RowAt[]): EsqlValue {
  if (e.t === "paren") return aggExpr(e.inner, rows);
  if (e.t === "call" && AGGREGATES.has(e.name)) return aggregate(e, rows);
  if (e.t === "lit") return evalExpr(e, { event: {}, cols: new Map() });
  if (e.t === "call") {
    const args = e.args.map((a) => aggExpr(a, rows));
    const cols = new Map(args.map((v, i) => [`\u0000${i}`, v] as const));
    const inner: EsqlExpr = { ...e, args: args.map((_, i) => ({ t: "field", name: `\u0000${i}`, span: e.span })) };
    return evalExpr(inner, { event: {}, cols, onlyCols: true });
  }
  return refuse("an aggregation must be an aggregate function");
}

function aggregate(e: Extract<EsqlExpr, { t: "call" }>, rows: readonly RowAt[]): EsqlValue {
  if (e.name === "count" && (e.star || e.args.length === 0)) return rows.length;
  const a = e.args[0];
  if (!a) return refuse(`${e.name.toUpperCase()} needs an argument`);
  const values = rows.flatMap((r) => toList(evalExpr(a, r)));
  switch (e.name) {
    case "count":
      return values.length;
    case "count_distinct":
      return new Set(values.map((v) => `${typeof v}:${String(v)}`)).size;
    case "sum":
    case "avg": {
      const nums = values.map((v) => (typeof v === "number" ? v : refuse(`type error: ${e.name.toUpperCase()} of ${JSON.stringify(v)}`)));
      if (nums.length === 0) return null;
      const sum = nums.reduce((x, y) => x + y, 0);
      return e.name === "sum" ? sum : sum / nums.length;
    }
    case "min":
    case "max": {
      if (values.length === 0) return null;
      const sorted = [...values].sort(compareScalars);
      return e.name === "min" ? sorted[0]! : sorted[sorted.length - 1]!;
    }
    case "values":
      return fromList([...new Map(values.map((v) => [`${typeof v}:${String(v)}`, v])).values()]);
    default:
      return refuse(`the aggregate ${e.name.toUpperCase()} is not modelled`);
  }
}
