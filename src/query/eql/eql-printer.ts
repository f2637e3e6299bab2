/**
 * Query IR → Elasticsearch EQL. Parentheses come from EQL precedence (`or` < `and` < `not` <
 * comparison), so an `or` inside an `and` is always grouped. A run of same-field matches inside
 * an `or` prints as one list (`f in (..)`, `f : (..)`, `f like (..)`, `cidrMatch(f, ..)`).
 * What EQL cannot say becomes an `error` issue; the text is then not to be used.
 *
 * @example printEql(q).text // 'process where process.name : "cmd.exe"'
 */
import type { Duration, Expr, Query, SequenceStep, Value } from "../../ir/query.js";
import { assertNever } from "../../ir/query.js";
import type { PrintIssue, PrintResult } from "../print-result.js";
import { pcreToLucene } from "../regex/pcre-to-lucene.js";
import { quoteEqlCategory, quoteEqlField, quoteEqlString } from "./eql-escape.js";
import { CATEGORY_FIELD } from "./eql-lower.js";
import { EQL_FUNCTIONS } from "./eql-functions.js";
import { cidrBlock, eqlFieldRef, listOptions, type ListOp, type ListOptions, matchText, patternOf, valueText } from "./eql-print-values.js";

interface Ctx {
  readonly issues: PrintIssue[];
}

const PREC = { or: 1, and: 2, not: 3, atom: 4 } as const;

interface Printed {
  readonly text: string;
  readonly prec: number;
}

export function printEql(q: Query): PrintResult {
  const ctx: Ctx = { issues: [] };
  return { text: printStatement(q, ctx), issues: ctx.issues };
}

function issue(ctx: Ctx, node: Query, code: string, reason: string, severity: PrintIssue["severity"] = "error"): void {
  ctx.issues.push({ severity, code, reason, node });
}

function printStatement(q: Query, ctx: Ctx): string {
  switch (q.kind) {
    case "pipe": {
      const input = printStatement(q.input, ctx);
      const sep = input.includes("\n") ? "\n" : " ";
      return input + q.pipes.map((p) => `${sep}| ${p.name} ${p.count}`).join("");
    }
    case "sequence": {
      const head = `sequence${byText(q.by)}${q.maxspan ? ` with maxspan=${durationText(q.maxspan)}` : ""}`;
      const lines = [head, ...q.steps.map((s) => `  ${stepText(s, ctx)}`)];
      if (q.until) {
        if (q.until.missing || q.until.runs !== undefined) issue(ctx, q, "eql/until-step", "`until` takes a plain step");
        lines.push(`until ${stepText(q.until, ctx)}`);
      }
      return lines.join("\n");
    }
    case "sample": {
      if (q.steps.some((s) => s.missing || s.runs !== undefined)) {
        issue(ctx, q, "eql/sample-step", "`sample` steps cannot be missing events or have runs");
      }
      return [`sample${byText(q.by)}`, ...q.steps.map((s) => `  ${stepText(s, ctx)}`)].join("\n");
    }
    default:
      return eventQuery(q, ctx);
  }
}

function byText(keys: readonly string[]): string {
  return keys.length ? ` by ${keys.map(quoteEqlField).join(", ")}` : "";
}

function durationText(d: Duration): string {
  return `${d.value}${d.unit}`;
}

function stepText(s: SequenceStep, ctx: Ctx): string {
  const runs = s.runs !== undefined ? ` with runs=${s.runs}` : "";
  return `${s.missing ? "!" : ""}[${eventQuery(s.query, ctx)}]${byText(s.by)}${runs}`;
}

/** The category a node pins: `match(event.category, "x", caseSensitive)` with one plain text. */
function categoryOf(q: Query): string | undefined {
  if (q.kind !== "match" || q.field !== CATEGORY_FIELD || !q.caseSensitive || q.value.kind !== "string") return undefined;
  const [only, ...more] = q.value.parts;
  return only?.kind === "text" && only.value !== "" && more.length === 0 ? only.value : undefined;
}

function eventQuery(q: Query, ctx: Ctx): string {
  const direct = categoryOf(q);
  if (direct !== undefined) return `${quoteEqlCategory(direct)} where true`;
  if (q.kind === "and") {
    const i = q.children.findIndex((c) => categoryOf(c) !== undefined);
    const cat = i >= 0 ? categoryOf(q.children[i] as Query) : undefined;
    if (cat !== undefined) {
      const rest = q.children.filter((_, k) => k !== i);
      const [only] = rest;
      const cond = rest.length === 0 ? "true" : rest.length === 1 && only ? cond0(only, ctx) : andText(rest, ctx);
      return `${quoteEqlCategory(cat)} where ${cond}`;
    }
  }
  return `any where ${cond0(q, ctx)}`;
}

function cond0(q: Query, ctx: Ctx): string {
  return cond(q, ctx).text;
}

function wrap(p: Printed, min: number): string {
  return p.prec < min ? `(${p.text})` : p.text;
}

function andText(children: readonly Query[], ctx: Ctx): string {
  return children.map((c) => wrap(cond(c, ctx), PREC.and)).join(" and ");
}

function atom(text: string): Printed {
  return { text, prec: PREC.atom };
}

function cond(q: Query, ctx: Ctx): Printed {
  switch (q.kind) {
    case "and":
      return { text: andText(q.children, ctx), prec: PREC.and };
    case "or":
      return orText(q, ctx);
    case "not":
      return notText(q, ctx);
    case "all":
      return atom("true");
    case "none":
      return atom("false");
    case "match":
      return atom(matchText(q, ctx.issues));
    case "exists":
      // docs "Check if a field exists": `?my_field != null`; the `?` only matters for unmapped fields.
      return atom(`${eqlFieldRef(q)} != null`);
    case "range": {
      const op = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[q.op];
      return atom(`${eqlFieldRef(q)} ${op} ${valueText(q.value, q, ctx.issues)}`);
    }
    case "regex":
      return atom(regexText(q, ctx));
    case "cidr":
      return atom(`cidrMatch(${eqlFieldRef(q)}, ${quoteEqlString(cidrBlock(q.cidr))})`);
    case "compare": {
      const op = { eq: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" }[q.op];
      return atom(`${exprText(q.left, q, ctx).text} ${op} ${exprText(q.right, q, ctx).text}`);
    }
    case "predicate":
      return atom(exprText(q.expr, q, ctx).text);
    case "keyword":
      issue(ctx, q, "eql/keyword", "EQL has no free-text search over all fields");
      return atom("false");
    case "fieldref":
      issue(ctx, q, "eql/fieldref", "EQL cannot compare a field with another field");
      return atom("false");
    case "nested":
      issue(ctx, q, "eql/nested", "EQL cannot search nested fields");
      return atom("false");
    case "opaque":
      issue(ctx, q, "eql/opaque", `a ${q.language} query cannot be said in EQL`);
      return atom("false");
    case "correlation":
      issue(ctx, q, "eql/correlation", "EQL has no correlation (aggregation) queries");
      return atom("false");
    case "newTerms":
      issue(ctx, q, "eql/new-terms", "EQL has no first-seen (new terms) queries: that is a Kibana new-terms rule");
      return atom("false");
    case "sequence":
    case "sample":
    case "pipe":
      issue(ctx, q, "eql/nested-statement", `a ${q.kind} can only stand at the top of an EQL query`);
      return atom("false");
    default:
      return assertNever(q);
  }
}

function regexText(q: Extract<Query, { kind: "regex" }>, ctx: Ctx): string {
  if (q.multiline || q.dotAll) issue(ctx, q, "eql/regex-flags", "EQL regex has no multiline or dotAll flag");
  let pattern = q.pattern;
  let caseSensitive = q.caseSensitive;
  if (q.dialect !== "lucene") {
    const lucene = pcreToLucene(q.pattern);
    if (lucene.ok) {
      pattern = lucene.pattern;
      caseSensitive = q.caseSensitive && !lucene.caseInsensitive;
    } else issue(ctx, q, "eql/regex-dialect", `the PCRE pattern cannot be said as a Lucene regex: ${lucene.reason}`);
  }
  return `${eqlFieldRef(q)} ${caseSensitive ? "regex" : "regex~"} ${regexString(pattern)}`;
}

/** Raw strings keep regex backslashes readable; they cannot hold `"""` nor end in `"`. */
function regexString(p: string): string {
  return /["\\]/.test(p) && !p.includes('"""') && !p.endsWith('"') && !/[\r\n]/.test(p) ? `"""${p}"""` : quoteEqlString(p);
}

const LIST_PREFERENCE: readonly ListOp[] = ["in", ":", "like", "in~", "cidr"];
// Under `not`, a lookup reads best as `f not in~ (..)`.
const NEGATED_PREFERENCE: readonly ListOp[] = ["in", "in~", ":", "like", "cidr"];

interface Run {
  readonly children: readonly Query[];
  readonly field: string;
  readonly op?: ListOp;
  readonly items: readonly string[];
}

/** Maximal runs of neighbours that share a field and a list operator; order is kept. */
function runsOf(children: readonly Query[], ctx: Ctx, preference = LIST_PREFERENCE): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < children.length) {
    const first = children[i] as Query;
    const opts = listOptions(first, ctx.issues);
    const group: { q: Query; o: ListOptions }[] = [];
    if (opts) {
      let allowed = new Set(opts.ops.keys());
      group.push({ q: first, o: opts });
      for (let j = i + 1; j < children.length; j++) {
        const o = listOptions(children[j] as Query, ctx.issues);
        if (!o || o.field !== opts.field) break;
        const both = new Set([...allowed].filter((op) => o.ops.has(op)));
        if (both.size === 0) break;
        allowed = both;
        group.push({ q: children[j] as Query, o });
      }
      const op = preference.find((p) => allowed.has(p));
      if (group.length >= 2 && op) {
        runs.push({ children: group.map((g) => g.q), field: opts.field, op, items: group.map((g) => g.o.ops.get(op) ?? "") });
        i += group.length;
        continue;
      }
    }
    runs.push({ children: [first], field: "", items: [] });
    i++;
  }
  return runs;
}

function runText(r: Run, ctx: Ctx, negated = false): Printed {
  const f = r.field; // already written as EQL (quoted, `?` when optional)
  const list = r.items.join(", ");
  switch (r.op) {
    case undefined:
      return cond(r.children[0] as Query, ctx);
    case "cidr":
      return atom(`cidrMatch(${f}, ${list})`);
    case "in":
    case "in~":
      return atom(`${f} ${negated ? "not " : ""}${r.op} (${list})`);
    case ":":
    case "like":
      return atom(`${f} ${r.op} (${list})`);
  }
}

function orText(q: Extract<Query, { kind: "or" }>, ctx: Ctx): Printed {
  const runs = runsOf(q.children, ctx);
  const [only] = runs;
  if (runs.length === 1 && only) return runText(only, ctx);
  return { text: runs.map((r) => wrap(runText(r, ctx), PREC.or)).join(" or "), prec: PREC.or };
}

function notText(q: Extract<Query, { kind: "not" }>, ctx: Ctx): Printed {
  const c = q.child;
  if (c.kind === "match" && c.caseSensitive && c.value.kind !== "null" && !patternOf(c.value)?.wild) {
    return atom(`${eqlFieldRef(c)} != ${valueText(c.value, c, ctx.issues)}`);
  }
  if (c.kind === "or") {
    const runs = runsOf(c.children, ctx, NEGATED_PREFERENCE);
    const [only] = runs;
    if (runs.length === 1 && only && (only.op === "in" || only.op === "in~")) return runText(only, ctx, true);
  }
  return { text: `not ${wrap(cond(c, ctx), PREC.not)}`, prec: PREC.not };
}

const ARITH_PREC: Readonly<Record<string, number>> = { "+": 1, "-": 1, "*": 2, "/": 2, "%": 2 };

function exprText(e: Expr, node: Query, ctx: Ctx): Printed {
  switch (e.kind) {
    case "field":
      return atom(`${e.optional ? "?" : ""}${quoteEqlField(e.field)}`);
    case "literal":
      return atom(literalExprText(e.value, node, ctx));
    case "call":
      // Only EQL's own functions are written; another (ES|QL's `charLength`) is refused by name.
      if (!EQL_FUNCTIONS.includes(e.name)) issue(ctx, node, "eql/function", `the function ${e.name} has no EQL form`);
      return atom(`${e.name}${e.caseInsensitive ? "~" : ""}(${e.args.map((a) => exprText(a, node, ctx).text).join(", ")})`);
    case "arith": {
      const p = ARITH_PREC[e.op] ?? 1;
      const l = exprText(e.left, node, ctx);
      const r = exprText(e.right, node, ctx);
      const lt = l.prec < p ? `(${l.text})` : l.text;
      const rt = r.prec <= p ? `(${r.text})` : r.text;
      return { text: `${lt} ${e.op} ${rt}`, prec: p };
    }
    default:
      return assertNever(e);
  }
}

function literalExprText(v: Value, node: Query, ctx: Ctx): string {
  return valueText(v, node, ctx.issues);
}
