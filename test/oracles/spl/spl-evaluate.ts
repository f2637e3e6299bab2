/**
 * Evaluates a parsed SPL pipeline on one JSON event with SPL's semantics, so that what a renderer
 * writes can be held against what the IR means (evaluate.ts). Field resolution is shared with the
 * IR evaluator (fieldValues), so only the languages' semantics differ:
 *
 * - Search terms: `field=value` folds case (JS toLowerCase), `*` is the only wildcard (zero or
 *   more characters, also inside quotes); a CIDR value (`ip="10.0.0.0/8"`) matches addresses in
 *   the block; `field=*` means "has a value"; a multi-valued field
 *   matches when any value does; `NOT x` includes events without the field. `field<5`: numeric
 *   when the bound is a number (non-numeric values never match), else string order. A bare term
 *   is searched as contained in the string form of any value of the event (like the IR's
 *   `keyword`; Splunk's segmenter, which matches whole tokens, is out of scope); a lone `*` is
 *   every event.
 * - Eval (`| where`): field values are multi-valued lists or null (absent, JSON null, or an empty
 *   list); a comparison or function on a multi-valued field holds when it holds for any value.
 *   That last rule is an ASSUMPTION: Splunk's Search Reference documents no per-value meaning
 *   for `==`, `lower()`, `like()` or `match()` on a multi-valued field (the Search Manual's
 *   "Evaluate and manipulate fields with multiple values" sends readers to the mv functions).
 *   `multivalue: "refuse"` drops it: such an expression is then refused (unevaluable), so a form
 *   proven under it does not rest on the assumption. `mvfind(mv, "re")` is documented: the
 *   0-based index of the first value the regex matches, or null when none does.
 *   `==`/`!=`/`<`... compare numerically when both sides are numbers or numeric field values,
 *   else as case-sensitive strings. `like` has `%` and `_`, case-sensitive. `match` is an
 *   unanchored PCRE (via translatePcre). `searchmatch("...")` applies search semantics.
 *   Null logic is a parameter because Splunk documents it only by example: `sql` (the default,
 *   Splunk's rule: a comparison with an absent field is null, `where` keeps only true) propagates
 *   null through comparisons and NOT, so `NOT f=="a"` is not true when `f` is absent; `boolean`
 *   takes a comparison with null as false.
 * - `| regex f="re"`: some value of f matches the unanchored PCRE; `!=`: none does.
 * - A search term on a directive's name (`earliest=`, `index=`, `tag=`) is refused: Splunk reads
 *   it as a time range or scope, not as a condition on the event. With `eventTags: true`, `tag=x`
 *   is read as Splunk's tag search: the tags Splunk attaches to the event at search time (from
 *   tags.conf, on its field values and event types) are the event's multi-valued `tag` field in
 *   test events, and the term matches when any of them equals x, case-folded, as any field term.
 * - `_raw` (the event text) is the list of string forms of every value, as for bare terms.
 */
import { inCidr, parseCidr, parseIp } from "../../../src/eval/cidr.js";
import { fieldValues, allLeaves, stringForm } from "../../../src/eval/field-values.js";
import { translatePcre } from "../../../src/query/regex/regex-dialects.js";
import { escapeRegExp } from "../../../src/eval/string-pattern.js";
import { assertNever } from "../../../src/ir/query.js";
import type { EvalExpr, EvalOp, SearchNode, SplCommand, SplPipeline, TstatsHead } from "./spl-ast.js";
import { SplCursor } from "./spl-cursor.js";
import { parseSearch } from "./spl-search-parser.js";
import { isSearchDirective } from "./spl-directives.js";

export type SplEvalResult = { readonly ok: true; readonly matched: boolean } | { readonly ok: false; readonly reason: string };

export interface SplEvalOptions {
  readonly nullLogic?: "boolean" | "sql";
  /** "any" (the default, an assumption: see above) or "refuse": eval on more than one value is unevaluable. */
  readonly multivalue?: "any" | "refuse";
  /** `tag=x` in the search part tests the event's `tag` list instead of being refused as a directive. */
  readonly eventTags?: boolean;
}

class Refused {
  constructor(readonly reason: string) {}
}

/** The whole pipeline: the search part and every command must keep the event. */
export function evaluateSpl(p: SplPipeline, event: Record<string, unknown>, opts: SplEvalOptions = {}): SplEvalResult {
  if (p.tstats) {
    const head = p.tstats;
    return guard(() => tstatsRows(head, event).some((row) => tstatsCommands(head, p.commands).every((c) => commandHolds(c, row, opts))));
  }
  if (p.commands.some((c) => c.kind === "drop-object")) return { ok: false, reason: "drop_dm_object_name outside a tstats search" };
  return guard(() => noDirective(p.search, opts) && (p.search === undefined || searchHolds(p.search, event)) && p.commands.every((c) => commandHolds(c, event, opts)));
}

/** The search part alone (rulecast's superset of the query); for tstats, its where clause. */
export function evaluateSplSearch(p: SplPipeline, event: Record<string, unknown>, opts: SplEvalOptions = {}): SplEvalResult {
  if (p.tstats) {
    const head = p.tstats;
    return guard(() => head.where === undefined || searchHolds(head.where, inDataset(head, event)));
  }
  return guard(() => noDirective(p.search, opts) && (p.search === undefined || searchHolds(p.search, event)));
}

/**
 * A directive anywhere in the search part changes what the search reads (its time range, its
 * indexes), whatever the event: such a pipeline is refused before any term is evaluated.
 */
function noDirective(n: SearchNode | undefined, opts: SplEvalOptions): true {
  if (!n) return true;
  switch (n.kind) {
    case "and":
    case "or":
      n.children.forEach((c) => noDirective(c, opts));
      return true;
    case "not":
      return noDirective(n.child, opts);
    case "compare":
    case "in":
      if (opts.eventTags && n.field === "tag") return true;
      if (isSearchDirective(n.field)) throw new Refused(`\`${n.field}${n.kind === "compare" ? n.op : " IN "}...\` is a search directive (time range, scope), not a field test`);
      return true;
    case "term":
      return true;
  }
}

/**
 * A data-model search over one event whose fields carry CIM names (`process_name`): the where
 * clause reads them as `<object>.<field>`, and the event yields one row per combination of its
 * grouped values (a multi-valued field gives one row per value); a missing grouped value is the
 * fillnull_value, or without it the event yields no row, as tstats drops it.
 */
function tstatsRows(head: TstatsHead, event: Record<string, unknown>): Record<string, unknown>[] {
  const view = inDataset(head, event);
  if (head.where !== undefined && !searchHolds(head.where, view)) return [];
  const fill = head.options["fillnull_value"];
  const object = objectOf(head);
  let rows: Record<string, unknown>[] = [{}];
  for (const f of head.by) {
    const vs: (string | number)[] = values(view, f);
    const column = vs.length > 0 ? [...new Set(vs)] : fill !== undefined ? [fill] : [];
    const name = f.startsWith(`${object}.`) ? f.slice(object.length + 1) : f;
    rows = rows.flatMap((r) => column.map((v) => ({ ...r, [name]: v })));
    if (rows.length > 4096) throw new Refused("too many tstats rows for one event");
  }
  return rows;
}

function inDataset(head: TstatsHead, event: Record<string, unknown>): Record<string, unknown> {
  return { [objectOf(head)]: event };
}

function objectOf(head: TstatsHead): string {
  return head.datamodel.slice(head.datamodel.indexOf(".") + 1);
}

/**
 * The commands after tstats, on its rows: the first must be drop_dm_object_name of the data set's
 * object (rows are then keyed by plain names); a `where` or `regex` may read only grouped fields.
 */
function tstatsCommands(head: TstatsHead, commands: readonly SplCommand[]): readonly SplCommand[] {
  const object = objectOf(head);
  const first = commands[0];
  if (!first || first.kind !== "drop-object" || first.object !== object) throw new Refused(`a tstats search over ${head.datamodel} must continue with \`drop_dm_object_name(${object})\``);
  const grouped = new Set(head.by.map((f) => (f.startsWith(`${object}.`) ? f.slice(object.length + 1) : f)));
  for (const c of commands.slice(1)) {
    const read = c.kind === "where" ? exprFields(c.expr) : c.kind === "regex" ? [c.field] : [];
    for (const f of read) if (!grouped.has(f)) throw new Refused(`\`${f}\` is read after tstats but not grouped by`);
  }
  return [{ kind: "drop-object", object, at: first.at }, ...commands.slice(1)];
}

function exprFields(e: EvalExpr): string[] {
  switch (e.kind) {
    case "and":
    case "or":
    case "compare":
      return [...exprFields(e.left), ...exprFields(e.right)];
    case "not":
      return exprFields(e.child);
    case "call":
      return e.args.flatMap(exprFields);
    case "field":
      return [e.name];
    case "string":
    case "number":
      return [];
    default:
      return assertNever(e);
  }
}

function guard(f: () => boolean): SplEvalResult {
  try {
    return { ok: true, matched: f() };
  } catch (e) {
    // `Refused` is raised only inside this module and always caught here.
    if (e instanceof Refused) return { ok: false, reason: e.reason };
    throw e;
  }
}

/** Non-null scalar values of a field, in their SPL form (booleans become their text). */
function values(event: unknown, field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const v of fieldValues(event, field)) {
    if (typeof v === "number") out.push(v);
    else {
      const s = stringForm(v);
      if (s !== undefined) out.push(s);
    }
  }
  return out;
}

/** A search-command wildcard pattern, whole-value, case-folded. */
function searchPattern(value: string, contains: boolean): RegExp {
  const body = value.split("*").map(escapeRegExp).join("[\\s\\S]*");
  return new RegExp(contains ? body : `^${body}$`, "i");
}

function numeric(x: string | number): number | undefined {
  if (typeof x === "number") return x;
  return x.trim() !== "" && !Number.isNaN(Number(x)) ? Number(x) : undefined;
}

function order(op: "<" | "<=" | ">" | ">=", c: number): boolean {
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

function searchHolds(n: SearchNode, event: Record<string, unknown>): boolean {
  switch (n.kind) {
    case "and":
      return n.children.every((c) => searchHolds(c, event));
    case "or":
      return n.children.some((c) => searchHolds(c, event));
    case "not":
      return !searchHolds(n.child, event);
    case "compare": {
      const vs = values(event, n.field);
      switch (n.op) {
        case "=": {
          // The search command reads a CIDR value as an address block (`ip="10.0.0.0/8"`).
          const block = n.value.includes("/") ? parseCidr(n.value) : undefined;
          if (block) return vs.some((v) => {
            const ip = typeof v === "string" ? parseIp(v) : undefined;
            return ip !== undefined && inCidr(ip, block);
          });
          const re = searchPattern(n.value, false);
          return vs.some((v) => re.test(String(v)));
        }
        case "!=": {
          const re = searchPattern(n.value, false);
          return vs.some((v) => !re.test(String(v)));
        }
        default: {
          const op = n.op;
          const bound = numeric(n.value);
          if (bound === undefined) return vs.some((v) => typeof v === "string" && order(op, v < n.value ? -1 : v > n.value ? 1 : 0));
          return vs.some((v) => {
            const x = numeric(v);
            return x !== undefined && order(op, x - bound);
          });
        }
      }
    }
    case "in": {
      const res = n.values.map((v) => searchPattern(v, false));
      return values(event, n.field).some((v) => res.some((re) => re.test(String(v))));
    }
    case "term": {
      if (/^\**$/.test(n.value)) return true;
      const re = searchPattern(n.value, true);
      return allLeaves(event).some((x) => {
        const s = stringForm(x);
        return s !== undefined && re.test(s);
      });
    }
    default:
      return assertNever(n);
  }
}

function commandHolds(c: SplCommand, event: Record<string, unknown>, opts: SplEvalOptions): boolean {
  switch (c.kind) {
    case "where": {
      refuseMultivalue = opts.multivalue === "refuse";
      try {
        return truth(evalExpr(c.expr, event, opts)) === true;
      } finally {
        refuseMultivalue = false;
      }
    }
    case "drop-object":
      // Rows are built with plain names already (tstatsRows): keyed as after the rename.
      return true;
    case "filter-macro":
      // As shipped, every filter macro is `search *` (templates/splunk/macros.conf.hbs).
      return true;
    case "regex": {
      const re = pcre(c.pattern);
      const hit = values(event, c.field).some((v) => re.test(String(v)));
      return c.negate ? !hit : hit;
    }
    default:
      return assertNever(c);
  }
}

/** An eval value: null, a boolean, or a non-empty multi-valued list. */
type Val = null | boolean | readonly (string | number)[];

function truth(v: Val): boolean | null {
  if (v === null || typeof v === "boolean") return v;
  throw new Refused("a `where` condition evaluated to a value, not a boolean");
}

/**
 * PCRE reads several leading flag groups (`(?i)(?s)^...`, as rulecast writes a case flag before a
 * translated Lucene pattern) as one; translatePcre takes one group, so they are merged first.
 */
function pcre(pattern: string): RegExp {
  const lead = /^(?:\(\?[a-z]+\))+/.exec(pattern);
  const merged = lead ? `(?${[...new Set(lead[0].replace(/[(?)]/g, ""))].join("")})${pattern.slice(lead[0].length)}` : pattern;
  const r = translatePcre(merged, { caseSensitive: true });
  if (!r.ok) throw new Refused(`regex ${JSON.stringify(pattern)}: ${r.reason}`);
  return r.re;
}

/** `like` pattern: `%` any run, `_` one character, everything else literal and case-sensitive. */
function likeRegExp(p: string): RegExp {
  let body = "";
  for (const ch of p) body += ch === "%" ? "[\\s\\S]*" : ch === "_" ? "[\\s\\S]" : escapeRegExp(ch);
  return new RegExp(`^${body}$`, "u");
}

/** Set for the duration of one evaluateSpl call (evaluation is synchronous). */
let refuseMultivalue = false;

function list(v: Val, what: string): readonly (string | number)[] | null {
  if (v === null) return null;
  if (typeof v === "boolean") throw new Refused(`${what} takes a value, got a boolean`);
  if (refuseMultivalue && v.length > 1) throw new Refused(`${what} on a multi-valued value: Splunk documents no per-value meaning for it`);
  return v;
}

function stringArg(v: Val, what: string): string {
  const l = list(v, what);
  if (l === null || l.length !== 1 || typeof l[0] !== "string") throw new Refused(`${what} needs one string literal`);
  return l[0];
}

/** Some value of `v` satisfies `f`; null when `v` is null. */
function anyOf(v: Val, what: string, f: (x: string | number) => boolean): boolean | null {
  const l = list(v, what);
  return l === null ? null : l.some(f);
}

function compareScalars(op: EvalOp, a: string | number, b: string | number, aField: boolean, bField: boolean): boolean {
  // A quoted literal is a string; a field value that looks like a number is a number.
  const na = typeof a === "number" ? a : aField ? numeric(a) : undefined;
  const nb = typeof b === "number" ? b : bField ? numeric(b) : undefined;
  const c = na !== undefined && nb !== undefined ? na - nb : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  switch (op) {
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
    default:
      return order(op, c);
  }
}

/** Whether an expression's values come from the event (numeric-looking strings then count as numbers). */
function fromField(e: EvalExpr): boolean {
  return e.kind === "field" || (e.kind === "call" && e.name === "lower" && e.args.length === 1 && fromField(e.args[0]!));
}

function evalExpr(e: EvalExpr, event: Record<string, unknown>, opts: SplEvalOptions): Val {
  const sql = opts.nullLogic !== "boolean";
  const sub = (x: EvalExpr) => evalExpr(x, event, opts);
  switch (e.kind) {
    case "and": {
      const l = truth(sub(e.left));
      const r = truth(sub(e.right));
      if (l === false || r === false) return false;
      return l === true && r === true ? true : sql ? null : false;
    }
    case "or": {
      const l = truth(sub(e.left));
      const r = truth(sub(e.right));
      if (l === true || r === true) return true;
      return l === false && r === false ? false : sql ? null : false;
    }
    case "not": {
      const v = truth(sub(e.child));
      return v === null ? (sql ? null : true) : !v;
    }
    case "compare": {
      const l = list(sub(e.left), "a comparison");
      const r = list(sub(e.right), "a comparison");
      if (l === null || r === null) return sql ? null : false;
      const lf = fromField(e.left);
      const rf = fromField(e.right);
      return l.some((a) => r.some((b) => compareScalars(e.op, a, b, lf, rf)));
    }
    case "field": {
      // `_raw`, the event text, is modelled as bare terms are: the string forms of all its values.
      const vs = e.name === "_raw" && !("_raw" in event) ? rawTexts(event) : values(event, e.name);
      return vs.length === 0 ? null : vs;
    }
    case "string":
      return [e.value];
    case "number":
      return [e.value];
    case "call":
      return evalCall(e, event, opts, sql);
    default:
      return assertNever(e);
  }
}

function evalCall(e: Extract<EvalExpr, { kind: "call" }>, event: Record<string, unknown>, opts: SplEvalOptions, sql: boolean): Val {
  const arg = (i: number): Val => {
    const a = e.args[i];
    if (a === undefined) throw new Refused(`${e.name}() needs an argument ${i + 1}`);
    return evalExpr(a, event, opts);
  };
  const nullable = (v: boolean | null): Val => (v === null ? (sql ? null : false) : v);
  switch (e.name) {
    case "true":
      return true;
    case "false":
      return false;
    case "isnull":
      return arg(0) === null;
    case "isnotnull":
      return arg(0) !== null;
    case "mvfind": {
      // Documented per value: the 0-based index of the first value the regex matches, else null.
      const a = arg(0);
      if (typeof a === "boolean") throw new Refused("mvfind() takes a value, got a boolean");
      const re = pcre(stringArg(arg(1), "mvfind()'s regex"));
      const i = a === null ? -1 : a.findIndex((x) => re.test(String(x)));
      return i < 0 ? null : [i];
    }
    case "lower": {
      const l = list(arg(0), "lower()");
      return l === null ? null : l.map((x) => String(x).toLowerCase());
    }
    case "tostring": {
      // A number prints in its shortest form (10, not 10.0); text stays as it is.
      const l = list(arg(0), "tostring()");
      return l === null ? null : l.map((x) => (typeof x === "number" ? String(x) : x));
    }
    case "tonumber": {
      // Text that is not a number gives null, so a comparison with it is false.
      const l = list(arg(0), "tonumber()");
      const ns = (l ?? []).map((x) => (typeof x === "number" ? x : numeric(x))).filter((x): x is number => x !== undefined);
      return ns.length === 0 ? null : ns;
    }
    case "like": {
      const re = likeRegExp(stringArg(arg(1), "like()'s pattern"));
      return nullable(anyOf(arg(0), "like()", (x) => re.test(String(x))));
    }
    case "match": {
      const re = pcre(stringArg(arg(1), "match()'s regex"));
      return nullable(anyOf(arg(0), "match()", (x) => re.test(String(x))));
    }
    case "cidrmatch": {
      const block = parseCidr(stringArg(arg(0), "cidrmatch()'s block"));
      if (!block) throw new Refused("cidrmatch() got an invalid CIDR block");
      return nullable(anyOf(arg(1), "cidrmatch()", (x) => {
        const ip = typeof x === "string" ? parseIp(x) : undefined;
        return ip !== undefined && inCidr(ip, block);
      }));
    }
    case "searchmatch": {
      const text = stringArg(arg(0), "searchmatch()");
      const c = new SplCursor(text);
      let node: SearchNode | undefined;
      try {
        node = parseSearch(c);
      } catch {
        throw new Refused(`searchmatch(${JSON.stringify(text)}): not a search expression`);
      }
      if (!c.atEnd()) throw new Refused(`searchmatch(${JSON.stringify(text)}): trailing text`);
      return node === undefined || searchHolds(node, event);
    }
    default:
      throw new Refused(`the eval function ${e.name}() is not part of the subset rulecast writes`);
  }
}

function rawTexts(event: Record<string, unknown>): string[] {
  return allLeaves(event).map(stringForm).filter((x): x is string => x !== undefined);
}
