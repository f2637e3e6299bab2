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
 * `f`, or `f` contains the mark", and `n == 0` as its negation where `f` has a value. Other bounds
 * count matches (`n >= 5`), which no IR test says: refused. The mark must be literal both as the
 * regex of the second REPLACE and as a replacement (no `$` or `\`).
 */
import type { EsqlExpr } from "./esql-ast.js";
import { javaRegexToPcre } from "../regex/java-regex.js";
import type { CmpOp } from "./esql-ast.js";
import type { Query, Span } from "../../ir/query.js";
import { mkAnd, mkNot, mkOr, refuse, withSpan } from "./esql-ir-build.js";

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
  // The count is 0 or a multiple of the mark's length in characters.
  const len = Array.from(c.mark).length;
  const found = (o === ">" && n >= 0 && n < len) || (o === ">=" && n >= 1 && n <= len) || (o === "!=" && n === 0);
  const none = (o === "==" && n === 0) || (o === "<" && n >= 1 && n <= len) || (o === "<=" && n >= 0 && n < len);
  if (!found && !none) {
    return refuse("esql/unsupported-function", "`REPLACE` counting a regex's matches is read only as whether it matches at all (`>= 1`, `== 0`): the IR cannot count matches", at);
  }
  const pcre = javaRegexToPcre(c.regex);
  if (!pcre.ok) return refuse("esql/unsupported-regex", `the Java regex of REPLACE has no IR form: ${pcre.reason}`, c.regexSpan);
  const hit = mkOr([
    withSpan<Query>({ kind: "regex", field, pattern: pcre.value.pattern, dialect: "pcre", caseSensitive: pcre.value.caseSensitive }, c.regexSpan),
    withSpan<Query>({ kind: "match", field, value: { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: c.mark }, { kind: "any" }] }, caseSensitive: true }, at),
  ]);
  return found ? hit : mkAnd([present, mkNot(hit)]);
}
