/**
 * Runs the correlation search rulecast writes without a timespan (src/query/spl/spl-correlation.ts)
 * over a whole stream of events, as Splunk would over one search range: the candidate search, the
 * `eval rc_rules=mvappend(if(c, "i", null()), …)` tags, the `where`s, a filtered measure's
 * `eval rc_value_2=if(c, v, null())`, one `stats … by …` of the functions rulecast writes (`count`,
 * `count(f)`, `dc(f)`, `sum(f)`, `avg(f)`), an `eval x=coalesce(x, 0)`, and the final `where`.
 * Conditions are evaluated by the SPL oracle (spl-evaluate.ts); anything else is refused, so a form
 * the printer starts writing is not silently misread. Splunk semantics taken: `count` counts
 * events, `count(X)`/`dc(X)` the non-null values of X (every value of a multivalue field, as
 * strings for dc), `sum`/`avg` the numeric values (numbers and numeric strings), null over none;
 * `if(c, …)` takes a null condition as false; `stats … by k` leaves out events without `k`.
 */
import { parseSpl } from "./spl-parser.js";
import { evaluateSpl, evaluateSplSearch } from "./spl-evaluate.js";

export type StatsRun = { readonly ok: true; readonly rows: readonly Record<string, unknown>[] } | { readonly ok: false; readonly reason: string };

type Fn = "count" | "dc" | "sum" | "avg";
interface Aggregate {
  readonly fn: Fn;
  readonly name: string;
  /** The field read (none: `count` of events). */
  readonly field?: string;
}

export function runSplStats(text: string, events: readonly Record<string, unknown>[]): StatsRun {
  try {
    return { ok: true, rows: run(text, events) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason };
    throw e;
  }
}

class Refused {
  constructor(readonly reason: string) {}
}

function run(text: string, events: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const [head, ...commands] = text.split("\n| ");
  const search = parsed(head!);
  let rows = events.filter((e) => ok(evaluateSplSearch(search, e)));
  let grouped = false;
  for (const command of commands) {
    let m: RegExpMatchArray | null;
    if ((m = /^eval rc_rules=mvappend\((.*)\)$/s.exec(command))) {
      const tags = splitTop(m[1]!).map((arg) => {
        const t = /^if\((.*), "(\d+)", null\(\)\)$/s.exec(arg);
        if (!t) throw new Refused(`a tag rulecast does not write: ${arg}`);
        return { cond: parsed(`| where ${t[1]}`), tag: t[2]! };
      });
      rows = rows.map((e) => {
        const rc = tags.filter((t) => ok(evaluateSpl(t.cond, e))).map((t) => t.tag);
        return rc.length === 0 ? e : { ...e, rc_rules: rc };
      });
    } else if (command.startsWith("where ")) {
      const p = parsed(`| ${command}`);
      rows = rows.filter((r) => ok(evaluateSpl(p, r)));
    } else if ((m = /^stats (.*?)(?: by (.*))?$/s.exec(command))) {
      if (grouped) throw new Refused("a second stats");
      grouped = true;
      rows = stats(rows, splitTop(m[1]!).map(aggregate), m[2] === undefined ? [] : m[2].split(", "));
    } else if ((m = /^eval (.*)$/s.exec(command)) && !grouped) {
      // A filtered measure's value: `rc_value_2=if(c, v, null())`, v a field or 1.
      for (const part of splitTop(m[1]!)) {
        const f = /^(rc_value_\d+)=if\((.*), ('[^']*'|[\w.@]+|1), null\(\)\)$/s.exec(part);
        if (!f) throw new Refused(`an eval rulecast does not write before stats: ${part}`);
        const cond = parsed(`| where ${f[2]}`);
        const v = f[3]!;
        rows = rows.map((r) => {
          if (!ok(evaluateSpl(cond, r))) return r;
          const value = v === "1" ? 1 : r[v.startsWith("'") ? v.slice(1, -1) : v];
          return value === undefined ? r : { ...r, [f[1]!]: value };
        });
      }
    } else if ((m = /^eval (.*)$/s.exec(command)) && grouped) {
      for (const part of splitTop(m[1]!)) {
        const c = /^(\w+)=coalesce\((\w+), 0\)$/.exec(part);
        if (!c || c[1] !== c[2]) throw new Refused(`an eval rulecast does not write after stats: ${part}`);
        rows = rows.map((r) => ({ ...r, [c[1]!]: r[c[1]!] ?? 0 }));
      }
    } else if (/^`\w+`$/.test(command)) {
      // A filter macro: `search *` as shipped.
    } else {
      throw new Refused(`a command this oracle does not run: ${command.split(" ")[0]}`);
    }
  }
  if (!grouped) throw new Refused("no stats");
  return rows;
}

function parsed(text: string) {
  const p = parseSpl(text);
  if (!p.ok) throw new Refused(`${p.error.message}: ${text}`);
  return p.value;
}

function ok(r: { ok: true; matched: boolean } | { ok: false; reason: string }): boolean {
  if (!r.ok) throw new Refused(r.reason);
  return r.matched;
}

/** `count as n`, `count(f) as n`, `dc(f) as n`, `sum(f) as n`, `avg(f) as n`. */
function aggregate(text: string): Aggregate {
  let m = /^count as (\w+)$/.exec(text);
  if (m) return { fn: "count", name: m[1]! };
  m = /^(count|dc|sum|avg)\(([\w.@]+)\) as (\w+)$/.exec(text);
  if (m) return { fn: m[1] as Fn, field: m[2]!, name: m[3]! };
  throw new Refused(`a stats function this oracle does not run: ${text}`);
}

function stats(events: readonly Record<string, unknown>[], aggregates: readonly Aggregate[], by: readonly string[]): Record<string, unknown>[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const e of events) {
    const key = by.map((k) => valuesOf(e, k));
    if (key.some((v) => v.length !== 1)) {
      if (key.some((v) => v.length > 1)) throw new Refused("a multivalue group key");
      continue;
    }
    const id = JSON.stringify(key.map((v) => String(v[0])));
    groups.set(id, [...(groups.get(id) ?? []), e]);
  }
  return [...groups].map(([id, members]) => {
    const row: Record<string, unknown> = Object.fromEntries(by.map((k, i) => [k, (JSON.parse(id) as string[])[i]]));
    for (const a of aggregates) {
      const values = a.field === undefined ? members.map(() => 1) : members.flatMap((e) => valuesOf(e, a.field!));
      const numbers = values.flatMap((v) => numeric(v) ?? []);
      const sum = numbers.reduce((x, y) => x + y, 0);
      const value =
        a.fn === "count" ? values.length : a.fn === "dc" ? new Set(values.map(String)).size : numbers.length === 0 ? undefined : a.fn === "sum" ? sum : sum / numbers.length;
      if (value !== undefined) row[a.name] = value;
    }
    return row;
  });
}

function valuesOf(event: Record<string, unknown>, field: string): (string | number)[] {
  const v = event[field];
  const all = Array.isArray(v) ? v : [v];
  return all.filter((x): x is string | number => typeof x === "string" || typeof x === "number");
}

function numeric(v: string | number): number | undefined {
  if (typeof v === "number") return v;
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : undefined;
}

/** Arguments at the top level of a comma list (not inside parentheses or quotes). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}
