/**
 * Counting a regex's matches with REPLACE, as Elastic's PowerShell rules do:
 *
 *     EVAL tmp = REPLACE(f, "<java regex>", "🔥")
 *     EVAL n = LENGTH(tmp) - LENGTH(REPLACE(tmp, "🔥", ""))
 *     WHERE n >= 1
 *
 * `n` is the length of the mark times the number of marks in `tmp`. A mark is in `tmp` exactly when
 * the regex matches `f` somewhere (each match became one) or `f` already held one (nothing the
 * regex did not match is changed): so `n >= 1` (`> 0`, `!= 0`) reads as "the regex finds a match in
 * `f`, or `f` contains the mark", and `n == 0` as its negation where `f` has a value. Larger bounds
 * (`n >= 5`) are REPLACE's own scan written as one regex (marksAtLeast). The mark must be literal
 * both as the regex of the second REPLACE and as a replacement (no `$` or `\`).
 */
import type { EsqlExpr } from "./esql-ast.js";
import { javaRegexToPcre } from "../regex/java-regex.js";
import type { CmpOp } from "./esql-ast.js";
import type { Query, Span } from "../../ir/query.js";
import { mkAnd, mkNot, mkOr, NONE, refuse, withSpan } from "./esql-ir-build.js";

/** What `LENGTH(REPLACE(f, re, mark)) - LENGTH(REPLACE(REPLACE(f, re, mark), mark, ""))` counts. */
export interface ReplaceCount {
  /** The expression searched (a field, for the caller to read as a form). */
  readonly subject: EsqlExpr;
  readonly regex: string;
  readonly regexSpan: Span;
  readonly mark: string;
}

const JAVA_REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

function unparen(e: EsqlExpr): EsqlExpr {
  return e.t === "paren" ? unparen(e.inner) : e;
}

function stringLit(e: EsqlExpr | undefined): string | undefined {
  const u = e && unparen(e);
  return u?.t === "lit" && u.value.type === "string" ? u.value.value : undefined;
}

/** The same expression, spans aside (EVAL columns are substituted, so both LENGTHs hold a copy). */
function same(a: EsqlExpr, b: EsqlExpr): boolean {
  return JSON.stringify(a, (k, v) => (k === "span" ? undefined : v)) === JSON.stringify(b, (k, v) => (k === "span" ? undefined : v));
}

function call(e: EsqlExpr | undefined, name: string, arity: number): readonly EsqlExpr[] | undefined {
  const u = e && unparen(e);
  return u?.t === "call" && u.name === name && u.args.length === arity ? u.args : undefined;
}

/** `e` as a count of marks, or undefined when it is not one. */
export function replaceCount(e: EsqlExpr): ReplaceCount | undefined {
  if (e.t !== "arith" || e.op !== "-") return undefined;
  const [marked] = call(e.left, "length", 1) ?? [];
  const [removedFrom, markRe, empty] = call(call(e.right, "length", 1)?.[0], "replace", 3) ?? [];
  const [subject, regex, mark] = call(marked, "replace", 3) ?? [];
  if (!marked || !removedFrom || !subject || !regex || !same(marked, removedFrom)) return undefined;
  const m = stringLit(mark);
  const re = stringLit(regex);
  if (m === undefined || re === undefined || stringLit(markRe) !== m || stringLit(empty) !== "") return undefined;
  if (m === "" || JAVA_REGEX_SYNTAX.test(m)) return undefined;
  return { subject, regex: re, regexSpan: unparen(regex).span, mark: m };
}

const FLIP: Readonly<Record<CmpOp, CmpOp>> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/**
 * `count op n` as the IR says where it is TRUE: found (some mark) or none. `field`: the subject,
 * read as a field by the caller; `present`: where it has a value.
 */
export function compareReplaceCount(c: ReplaceCount, field: string, present: Query, op: CmpOp, n: number, countOnLeft: boolean, at: Span): Query {
  const o = countOnLeft ? op : FLIP[op];
  // The count is k marks of `len` characters: a bound on it is a range of k, from `lo` to `hi`.
  const len = Array.from(c.mark).length;
  const range = (lo: number, hi: number): Query => {
    if (hi < lo) return NONE;
    const from = lo <= 0 ? present : marksAtLeast(c, field, lo, at);
    return hi === Infinity ? from : mkAnd([from, mkNot(marksAtLeast(c, field, hi + 1, at))]);
  };
  const exact = n % len === 0 ? n / len : undefined;
  switch (o) {
    case ">=":
      return range(Math.ceil(n / len), Infinity);
    case ">":
      return range(Math.floor(n / len) + 1, Infinity);
    case "<":
      return range(0, Math.ceil(n / len) - 1);
    case "<=":
      return range(0, Math.floor(n / len));
    case "==":
      return exact === undefined ? NONE : range(exact, exact);
    case "!=":
      if (exact === undefined) return present;
      return exact === 0 ? range(1, Infinity) : mkOr([range(0, exact - 1), range(exact + 1, Infinity)]);
  }
}

/** Counts past this are refused: the regex repeats its search this many times. */
const MAX_COUNT = 1000;

/**
 * At least `k` marks. One: the regex finds a match, or the value held a mark. More: REPLACE scans
 * from left to right, taking at each step the leftmost match Java's regex prefers and going on after
 * it; a mark the value held before counts where no match took it. `\A(?:(?>[\d\D]*?(?:re|mark))){k}`
 * says that scan: the lazy skip finds the leftmost place where the regex (first) or the mark matches,
 * the atomic group keeps the match found first, and the next step starts where it ended. That holds
 * while no match is empty (an empty match moves Java's scan on by one character): refused otherwise.
 */
function marksAtLeast(c: ReplaceCount, field: string, k: number, at: Span): Query {
  const pcre = javaRegexToPcre(c.regex);
  if (!pcre.ok) return refuse("esql/unsupported-regex", `the Java regex of REPLACE has no IR form: ${pcre.reason}`, c.regexSpan);
  const contains = withSpan<Query>({ kind: "match", field, value: { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: c.mark }, { kind: "any" }] }, caseSensitive: true }, at);
  const { pattern } = pcre.value;
  if (k === 1) return mkOr([withSpan<Query>({ kind: "regex", field, pattern, dialect: "pcre", caseSensitive: true }, c.regexSpan), contains]);
  if (k > MAX_COUNT) return refuse("esql/too-complex", `a count of more than ${MAX_COUNT} matches`, at);
  // A longer mark can also be made of a mark's end and the next one's start: one character only.
  if (Array.from(c.mark).length !== 1) return refuse("esql/unsupported-function", "`REPLACE` counting more than one match is read with a mark of one character", at);
  if (pcre.value.minLength === 0) return refuse("esql/unsupported-function", "`REPLACE` counting matches of a regex that can match nothing is read only as whether it matches at all", c.regexSpan);
  return withSpan<Query>({ kind: "regex", field, pattern: `\\A(?:(?>[\\d\\D]*?(?:${pattern}|${c.mark}))){${k}}`, dialect: "pcre", caseSensitive: true }, c.regexSpan);
}

/**
 * `LENGTH(REPLACE(f, "re", "")) < LENGTH(f)` (and `==`; either side, any comparison): removing the
 * matches shortens the value exactly when the regex finds one, if none can be empty. What the ES|QL
 * printer writes for a regex Lucene cannot say (esql-print-leaves.ts). Undefined when `e` is not
 * this comparison; `want`: where it is TRUE, or FALSE.
 */
export function replaceShortens(e: EsqlExpr, want: boolean, field: (subject: EsqlExpr) => { field: string; present: Query }): Query | undefined {
  if (e.t !== "cmp") return undefined;
  const sides = (a: EsqlExpr, b: EsqlExpr) => {
    const [replaced] = call(a, "length", 1) ?? [];
    const [subject, regex, empty] = call(replaced, "replace", 3) ?? [];
    const [original] = call(b, "length", 1) ?? [];
    return subject && original && same(subject, original) && stringLit(empty) === "" && stringLit(regex) !== undefined ? { subject, regex: unparen(regex!) } : undefined;
  };
  const l = sides(e.left, e.right);
  const r = l ? undefined : sides(e.right, e.left);
  const m = l ?? r;
  if (!m) return undefined;
  // As `removed op original`: the removed value is never longer.
  const op = l ? e.op : FLIP[e.op];
  const shorter = op === "<" || op === "!=";
  const notShorter = op === "==" || op === ">=";
  const always = op === "<=";
  const { field: f, present } = field(m.subject);
  const re = javaRegexToPcre(stringLit(m.regex)!);
  if (!re.ok) return refuse("esql/unsupported-regex", `the Java regex of REPLACE has no IR form: ${re.reason}`, m.regex.span);
  if (re.value.minLength === 0) return refuse("esql/unsupported-function", "`REPLACE` removing the matches of a regex that can match nothing has no IR form", m.regex.span);
  const found = withSpan<Query>({ kind: "regex", field: f, pattern: re.value.pattern, dialect: "pcre", caseSensitive: true }, m.regex.span);
  const holds = always ? present : shorter ? found : notShorter ? mkAnd([present, mkNot(found)]) : NONE;
  if (want) return holds;
  if (always) return NONE;
  return holds === NONE ? present : mkAnd([present, mkNot(holds)]);
}
