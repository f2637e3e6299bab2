/**
 * IR boolean query (Splunk field names) → SPL.
 *
 * The search command is fast but case-insensitive, has one wildcard that cannot be escaped, and no
 * regex. So a query is rendered twice: `search` gets the tightest superset of the query it can say
 * exactly-or-wider (case folded, `?` widened to `*`, regexes dropped), and when that superset is
 * not exact, `| where` repeats the whole query exactly with eval functions (case-sensitive `==`,
 * `like`, `match`, `cidrmatch`). The result matches exactly what the IR matches, and says so.
 *
 * A field whose name the search command reads as a directive (`earliest`, `index`, `tag`; see
 * spl-search-modifiers.ts) is never written as a search term: `| where` tests it as a field.
 *
 * Precedence: in SPL search NOT > OR > AND (implicit); an OR inside an AND is parenthesised
 * anyway, and an AND inside an OR must be. In eval, NOT > AND > OR; the same parentheses are used.
 */
import { assertNever, type Expr, type Query, type Value } from "../../ir/query.js";
import type { PrintIssue } from "../print-result.js";
import { luceneToPcre } from "../regex/lucene-to-pcre.js";
import { isSearchDirective } from "./spl-search-modifiers.js";
import { anchoredRegex, evalField, likePattern, quoteSpl, regexBody, SEARCH_FIELD, searchValue } from "./spl-tokens.js";

/** `text: null` means "every event" (nothing to filter on in search). */
interface SearchPart {
  readonly text: string | null;
  readonly exact: boolean;
  readonly prec: "atom" | "not" | "or" | "and";
}

export interface SplQuery {
  /** Terms for the search command ("" when nothing restricts it). */
  readonly search: string;
  /** An eval expression for `| where`, present when the search terms match more than the query. */
  readonly where?: string;
  readonly issues: readonly PrintIssue[];
}

export function renderSplQuery(q: Query): SplQuery {
  const issues: PrintIssue[] = [];
  const s = search(q, issues);
  if (issues.length > 0) return { search: "", issues };
  if (s.exact) return { search: s.text ?? "", issues };
  // Conjuncts the search already says exactly need no second check in `where`.
  const inexact = q.kind === "and" ? q.children.filter((c) => !search(c, []).exact) : [q];
  const w = where(inexact.length === 1 ? inexact[0]! : { kind: "and", children: inexact }, issues);
  return { search: s.text ?? "", where: w.text, issues };
}

/** The exact eval condition for a query, whether or not search terms could say it. */
export function renderSplCondition(q: Query): { text: string; issues: readonly PrintIssue[] } {
  const issues: PrintIssue[] = [];
  search(q, issues);
  const w = where(q, issues);
  return { text: w.text, issues };
}

const ALL: SearchPart = { text: null, exact: true, prec: "atom" };
const WIDER: SearchPart = { text: null, exact: false, prec: "atom" };

function search(q: Query, issues: PrintIssue[]): SearchPart {
  /** A field the search command can test; a directive's name (`earliest`, `index`) is left to `where`. */
  const fieldOk = (field: string): boolean => {
    if (isSearchDirective(field)) return false;
    if (SEARCH_FIELD.test(field)) return true;
    issues.push({ severity: "error", code: "splunk/field-name", reason: `field name \`${field}\` cannot be written in SPL`, node: q });
    return false;
  };
  switch (q.kind) {
    case "all":
      return ALL;
    case "and": {
      const kids = q.children.map((c) => search(c, issues));
      const said = kids.filter((k) => k.text !== null);
      const exact = kids.every((k) => k.exact);
      if (said.length === 0) return { text: null, exact, prec: "atom" };
      if (said.length === 1) return { ...said[0]!, exact };
      return { text: said.map((k) => (k.prec === "or" ? `(${k.text})` : k.text)).join(" "), exact, prec: "and" };
    }
    case "or": {
      const kids = q.children.map((c) => search(c, issues));
      if (kids.some((k) => k.text === null)) return { text: null, exact: kids.every((k) => k.exact) && kids.every((k) => k.text === null), prec: "atom" };
      const exact = kids.every((k) => k.exact);
      if (kids.length === 1) return kids[0]!;
      return { text: kids.map((k) => (k.prec === "and" ? `(${k.text})` : k.text)).join(" OR "), exact, prec: "or" };
    }
    case "not": {
      const k = search(q.child, issues);
      // NOT of a superset is a subset: only an exact child can be negated in search.
      if (!k.exact) return WIDER;
      if (k.text === null) return { text: "NOT *", exact: true, prec: "not" };
      return { text: `NOT ${k.prec === "atom" ? k.text : `(${k.text})`}`, exact: true, prec: "not" };
    }
    case "match": {
      if (!fieldOk(q.field)) return WIDER;
      const v = searchMatchValue(q.value);
      return { text: v.null ? `NOT ${q.field}=*` : `${q.field}=${v.text}`, exact: v.exact && (!q.caseSensitive || (q.value.kind !== "string" && q.value.kind !== "boolean")), prec: v.null ? "not" : "atom" };
    }
    case "exists":
      if (!fieldOk(q.field)) return WIDER;
      return { text: `${q.field}=*`, exact: true, prec: "atom" };
    case "range": {
      if (!fieldOk(q.field)) return WIDER;
      if (q.value.kind !== "number") return WIDER;
      const op = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[q.op];
      return { text: `${q.field}${op}${q.value.raw}`, exact: true, prec: "atom" };
    }
    case "cidr":
      if (!fieldOk(q.field)) return WIDER;
      // The search command matches IP fields against CIDR notation.
      return { text: `${q.field}=${quoteSpl(q.cidr)}`, exact: true, prec: "atom" };
    case "keyword": {
      const v = searchMatchValue(q.value);
      return { text: v.text, exact: v.exact && !q.caseSensitive, prec: "atom" };
    }
    case "regex":
    case "fieldref":
      return WIDER;
    case "none":
      issues.push({ severity: "error", code: "splunk/match-none", reason: "this query matches no event", node: q });
      return WIDER;
    case "compare": {
      // `F=*` is wider (an empty value has a value); `| where` says the non-empty one exactly.
      const f = nonEmptyField(q);
      if (f !== undefined) return fieldOk(f) ? { text: `${f}=*`, exact: false, prec: "atom" } : WIDER;
      issues.push({ severity: "error", code: "splunk/expression", reason: EXPRESSION_UNCONVERTED, node: q });
      return WIDER;
    }
    case "predicate":
      issues.push({ severity: "error", code: "splunk/expression", reason: EXPRESSION_UNCONVERTED, node: q });
      return WIDER;
    case "nested":
      issues.push({ severity: "error", code: "splunk/nested", reason: `SPL has no nested-object query (\`${q.path}:{...}\`)`, node: q });
      return WIDER;
    case "sequence":
    case "sample":
    case "correlation":
    case "newTerms":
    case "pipe":
      issues.push({ severity: "error", code: "splunk/not-boolean", reason: `a ${q.kind} inside a boolean query cannot be said in SPL`, node: q });
      return WIDER;
    case "opaque":
      issues.push({ severity: "error", code: "splunk/opaque", reason: `a ${q.language} query is kept as text and cannot be converted to SPL`, node: q });
      return WIDER;
    default:
      return assertNever(q);
  }
}

const EXPRESSION_UNCONVERTED = "functions and arithmetic in conditions are not converted to SPL eval yet (only `length(F) > 0`)";

/**
 * The field of `length(F) > 0` (or `>= 1`, either way round): F holds a non-empty value. (`!= 0` is
 * also true where F is absent, in the IR evaluator as in EQL's null comparisons, so it is not this.)
 * EQL's length maps over a multi-valued field and the comparison holds when it holds for one value
 * (expr-eval.ts), as mvfind finds one value. Other lengths are not said: EQL counts UTF-16 units,
 * Splunk's len() and PCRE count characters.
 */
export function nonEmptyField(q: Extract<Query, { kind: "compare" }>): string | undefined {
  const lengthOf = (e: Expr): string | undefined =>
    e.kind === "call" && e.name === "length" && e.args.length === 1 && e.args[0]!.kind === "field" ? e.args[0]!.field : undefined;
  const num = (e: Expr): number | undefined => (e.kind === "literal" && e.value.kind === "number" ? e.value.value : undefined);
  const f = lengthOf(q.left);
  if (f !== undefined) {
    const n = num(q.right);
    return (n === 0 && q.op === "gt") || (n === 1 && q.op === "gte") ? f : undefined;
  }
  const g = lengthOf(q.right);
  const n = num(q.left);
  return g !== undefined && ((n === 0 && q.op === "lt") || (n === 1 && q.op === "lte")) ? g : undefined;
}

function searchMatchValue(v: Value): { text: string; exact: boolean; null?: boolean } {
  switch (v.kind) {
    case "string":
      // An empty value cannot be searched for; the where clause checks it.
      if (v.parts.length === 0) return { text: "*", exact: false };
      return searchValue(v.parts);
    case "number":
      return { text: v.raw, exact: true };
    case "boolean":
      return { text: quoteSpl(String(v.value)), exact: true };
    case "null":
      return { text: "", exact: true, null: true };
    default:
      return assertNever(v);
  }
}

interface WherePart {
  readonly text: string;
  readonly prec: "atom" | "not" | "and" | "or";
}

function joinWhere(kind: "and" | "or", kids: readonly WherePart[]): WherePart {
  if (kids.length === 1) return kids[0]!;
  const wrap = (k: WherePart) => ((k.prec === "or" || k.prec === "and") && k.prec !== kind ? `(${k.text})` : k.text);
  return { text: kids.map(wrap).join(kind === "and" ? " AND " : " OR "), prec: kind };
}

/**
 * `NOT q` in eval. A comparison on a field the event lacks is null in Splunk's eval, and `NOT null`
 * is null, which `where` drops; in the IR the comparison is false and its negation true. So the
 * negation is pushed down to single conditions (De Morgan), and each negated condition on fields
 * says that their absence passes: `isnull(F) OR NOT like(lower(F), ...)`. Un-negated conditions
 * need nothing: a null there drops the event, as a false one does.
 */
function whereNot(q: Query, issues: PrintIssue[]): WherePart {
  switch (q.kind) {
    case "and":
      return joinWhere("or", q.children.map((c) => whereNot(c, issues)));
    case "or":
      return joinWhere("and", q.children.map((c) => whereNot(c, issues)));
    case "not":
      return where(q.child, issues);
    default: {
      const k = where(q, issues);
      const negated: WherePart = { text: `NOT ${k.prec === "atom" || k.prec === "not" ? k.text : `(${k.text})`}`, prec: "not" };
      const nullable = nullableArgs(q);
      return nullable.length === 0 ? negated : joinWhere("or", [...nullable.map((f): WherePart => ({ text: `isnull(${f})`, prec: "atom" })), negated]);
    }
  }
}

/**
 * The eval arguments whose null makes a condition null (not false): each field it compares, absent
 * from the event, and for a numeric range `tonumber(F)`, which is also null for text that is no number.
 */
function nullableArgs(q: Query): string[] {
  const f = (name: string) => evalField(name) ?? name;
  switch (q.kind) {
    case "match":
      return q.value.kind === "null" ? [] : [f(q.field)];
    case "range":
      return [q.value.kind === "number" ? `tonumber(${f(q.field)})` : f(q.field)];
    case "regex":
    case "cidr":
      return [f(q.field)];
    case "fieldref":
      return q.field === q.other ? [f(q.field)] : [f(q.field), f(q.other)];
    default:
      return [];
  }
}

function where(q: Query, issues: PrintIssue[]): WherePart {
  const atom = (text: string): WherePart => ({ text, prec: "atom" });
  const field = (name: string): string => {
    const f = evalField(name);
    if (f === undefined) issues.push({ severity: "error", code: "splunk/field-name", reason: `field name \`${name}\` cannot be written in SPL eval`, node: q });
    return f ?? name;
  };
  switch (q.kind) {
    case "all":
      return atom("true()");
    case "none":
      return atom("false()");
    case "and":
    case "or": {
      const op = q.kind === "and" ? " AND " : " OR ";
      const kids = q.children.map((c) => where(c, issues));
      const wrap = (k: WherePart) => (k.prec === "or" || k.prec === "and") && k.prec !== q.kind ? `(${k.text})` : k.text;
      return { text: kids.map(wrap).join(op), prec: q.kind };
    }
    case "not":
      return whereNot(q.child, issues);
    case "match": {
      const f = field(q.field);
      const v = q.value;
      switch (v.kind) {
        case "null":
          return atom(`isnull(${f})`);
        case "number": {
          // The IR matches a number by its text ("10", not "10.0"); `==` in eval would compare numerically.
          const forms = [...new Set([String(v.value), v.raw])].map((t) => `tostring(${f})==${quoteSpl(t)}`);
          return forms.length === 1 ? atom(forms[0]!) : { text: forms.join(" OR "), prec: "or" };
        }
        case "boolean":
          return atom(`${q.caseSensitive ? f : `lower(${f})`}==${quoteSpl(String(v.value))}`);
        case "string": {
          const wild = v.parts.some((p) => p.kind !== "text");
          const subject = q.caseSensitive ? f : `lower(${f})`;
          if (!wild) {
            const text = v.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
            return atom(`${subject}==${quoteSpl(q.caseSensitive ? text : text.toLowerCase())}`);
          }
          const like = likePattern(v.parts, !q.caseSensitive);
          if (like !== undefined) return atom(`like(${subject}, ${like})`);
          return atom(`match(${f}, ${quoteSpl((q.caseSensitive ? "" : "(?i)") + anchoredRegex(v.parts))})`);
        }
        default:
          return assertNever(v);
      }
    }
    case "exists":
      return atom(`isnotnull(${field(q.field)})`);
    case "range": {
      const op = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[q.op];
      // tonumber(): eval would otherwise compare a text value with the number as strings.
      if (q.value.kind === "number") return atom(`tonumber(${field(q.field)})${op}${q.value.raw}`);
      issues.push({ severity: "error", code: "splunk/range-not-numeric", reason: `\`${q.field}\` is compared with a non-number; SPL compares such values as strings`, node: q });
      return atom("false()");
    }
    case "regex": {
      const pcre = q.dialect === "pcre" ? { ok: true as const, pattern: q.pattern } : luceneToPcre(q.pattern);
      if (!pcre.ok) {
        issues.push({ severity: "error", code: "splunk/regex-dialect", reason: `the Lucene regular expression on \`${q.field}\` cannot be said in PCRE: ${pcre.reason}`, node: q });
        return atom("false()");
      }
      const flags = `${q.caseSensitive ? "" : "i"}${q.multiline ? "m" : ""}${q.dotAll ? "s" : ""}`;
      return atom(`match(${field(q.field)}, ${quoteSpl((flags ? `(?${flags})` : "") + pcre.pattern)})`);
    }
    case "cidr":
      return atom(`cidrmatch(${quoteSpl(q.cidr)}, ${field(q.field)})`);
    case "keyword": {
      // searchmatch() applies search-command semantics (case-insensitive terms) to the event.
      const v = searchMatchValue(q.value);
      if (q.caseSensitive) {
        issues.push({ severity: "error", code: "splunk/keyword-case", reason: "SPL free-text search is case-insensitive; a case-sensitive keyword cannot be said", node: q });
      }
      if (v.exact || q.value.kind !== "string") return atom(`searchmatch(${quoteSpl(v.text)})`);
      // Search terms have no literal `*` and no one-character wildcard, so the widened terms are
      // narrowed again by the raw event text, where a regex can say both.
      const raw = `(?is)${regexBody(q.value.parts)}`;
      return { text: `searchmatch(${quoteSpl(v.text)}) AND match(_raw, ${quoteSpl(raw)})`, prec: "and" };
    }
    case "fieldref": {
      const a = field(q.field);
      const b = field(q.other);
      return atom(q.caseSensitive ? `${a}==${b}` : `lower(${a})==lower(${b})`);
    }
    case "compare": {
      // mvfind is documented per value: the index of the first value the regex matches, else null.
      const f = nonEmptyField(q);
      return f === undefined ? atom("false()") : atom(`isnotnull(mvfind(${field(f)}, ${quoteSpl("(?s).")}))`);
    }
    case "predicate":
    case "nested":
    case "sequence":
    case "sample":
    case "correlation":
    case "newTerms":
    case "pipe":
    case "opaque":
      // Already reported by the search pass.
      return atom("false()");
    default:
      return assertNever(q);
  }
}
