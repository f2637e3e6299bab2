/**
 * Query IR → Lucene query string (Kibana `language: lucene`).
 *
 * The query string parser turns `AND`/`OR`/`NOT` into must/should/must_not clauses and does not
 * honour their precedence, so every group of more than one clause is parenthesised and an `AND`
 * never shares a group with an `OR`. A negation stands beside a positive clause (`*:* AND NOT x`
 * when it has none), because a group of only negative clauses matches nothing in Lucene.
 *
 * Values: an exact, case-sensitive string is a phrase (`f:"text"`, one term on a keyword field);
 * a case-sensitive wildcard pattern a bare term with every reserved character escaped. Lucene has
 * no case-insensitive term syntax, so a case-insensitive string with letters becomes a regex that
 * lists both cases of each letter (`f:/.*[cC][mM][dD].* /`); so does a pattern holding `<` or `>`,
 * which no escape makes literal in a term. Nothing here widens or narrows a match silently: what
 * Lucene cannot say is an `error` issue, what it says differently a `warning`.
 */
import type { NodeOf, Part, Query, Value } from "../../ir/query.js";
import { assertNever } from "../../ir/query.js";
import { pcreToLucene } from "../regex/pcre-to-lucene.js";
import type { PrintIssue, PrintResult } from "../print-result.js";
import { escapeLuceneTerm, foldCaseChar, formatLuceneField, LUCENE_OPERATOR_WORDS, luceneRegexLiteralBody, luceneRegexOfParts, quoteLucenePhrase } from "./lucene-escape.js";

/** `printLucene({kind:"exists", field:"user.name"})` → `{ text: "_exists_:user.name", issues: [] }`. */
export function printLucene(q: Query): PrintResult {
  const issues: PrintIssue[] = [];
  const out = print(q, issues);
  return { text: out.negative ? `*:* AND ${out.text}` : out.text, issues };
}

interface Out {
  readonly text: string;
  /** A single clause (term, phrase, range, regex or parenthesised group). */
  readonly atom: boolean;
  /** `NOT x`: must stand beside a positive clause. */
  readonly negative: boolean;
}

const atom = (text: string): Out => ({ text, atom: true, negative: false });

function print(q: Query, issues: PrintIssue[]): Out {
  switch (q.kind) {
    case "and":
      return printGroup(q.children, "AND", issues);
    case "or":
      return printGroup(q.children, "OR", issues);
    case "not": {
      const child = print(q.child, issues);
      return { text: `NOT ${group(child)}`, atom: false, negative: true };
    }
    case "all":
      return atom("*:*");
    case "none":
      return { text: "NOT *:*", atom: false, negative: true };
    case "match":
      return matchText(q, issues);
    case "exists":
      return atom(`_exists_:${field(q, q.field, issues)}`);
    case "range":
      return atom(`${field(q, q.field, issues)}:${rangeText(q, issues)}`);
    case "cidr":
      issues.push({
        severity: "warning",
        code: "lucene/cidr-assumes-ip",
        reason: "Lucene has no CIDR syntax; `field:\"a.b.c.d/n\"` matches the range only when the field is ip-typed (on a keyword field it matches that literal text)",
        node: q,
      });
      return atom(`${field(q, q.field, issues)}:${quoteLucenePhrase(q.cidr)}`);
    case "regex":
      return regexText(q, issues);
    case "keyword":
      return unsupported(q, issues, "a bare Lucene term searches every field with each field's analyser; a Sigma keyword cannot be said exactly");
    case "fieldref":
      return unsupported(q, issues, "Lucene cannot compare two fields");
    case "nested":
      return unsupported(q, issues, "the Lucene query string has no nested-object query");
    case "opaque":
      if (q.language === "lucene") return q.text.trim() === "" ? atom("*:*") : atom(`(${q.text})`);
      return unsupported(q, issues, `a ${q.language} query kept as text cannot be written in Lucene`);
    case "compare":
    case "predicate":
      return unsupported(q, issues, "Lucene has no functions or expression comparisons");
    case "sequence":
    case "sample":
    case "correlation":
    case "newTerms":
    case "pipe":
      return unsupported(q, issues, `a ${q.kind} cannot be said in a Lucene query`);
    default:
      return assertNever(q);
  }
}

/** One clause: `(…)` unless it is one already; a negation gets the positive `*:*` beside it. */
function group(o: Out): string {
  if (o.negative) return `(*:* AND ${o.text})`;
  return o.atom ? o.text : `(${o.text})`;
}

function printGroup(children: readonly Query[], op: "AND" | "OR", issues: PrintIssue[]): Out {
  if (children.length === 0) return op === "AND" ? atom("*:*") : { text: "NOT *:*", atom: false, negative: true };
  if (children.length === 1) return print(children[0]!, issues);
  const outs = children.map((c) => print(c, issues));
  // Under AND a negation stands beside the positive clauses; under OR it is a clause of its own.
  const clause = (o: Out): string => (o.negative && op === "AND" ? o.text : group(o));
  const parts = outs.map(clause);
  // An AND of negations only would be a group with no positive clause.
  if (op === "AND" && outs.every((o) => o.negative)) parts.unshift("*:*");
  return { text: `(${parts.join(` ${op} `)})`, atom: true, negative: false };
}

function field(node: Query, name: string, issues: PrintIssue[]): string {
  const f = formatLuceneField(name);
  if (f !== undefined) return f;
  issues.push({ severity: "error", code: "lucene/field-name", reason: `field name \`${name}\` holds \`<\` or \`>\`, which the Lucene query string cannot escape`, node });
  return name;
}

function matchText(q: NodeOf<"match">, issues: PrintIssue[]): Out {
  const f = field(q, q.field, issues);
  const v = q.value;
  switch (v.kind) {
    case "null":
      return { text: `NOT _exists_:${f}`, atom: false, negative: true };
    case "number": {
      const n = escapeLuceneTerm(v.raw || String(v.value));
      return n === undefined ? unsupported(q, issues, `the number ${v.raw} cannot be written as a Lucene term`) : atom(`${f}:${n}`);
    }
    case "boolean":
      return atom(`${f}:${v.value}`);
    case "string":
      return atom(`${f}:${stringValue(q, v.parts)}`);
    default:
      return assertNever(v);
  }
}

function stringValue(q: NodeOf<"match">, parts: readonly Part[]): string {
  const wild = parts.some((p) => p.kind !== "text");
  const text = parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
  const folds = !q.caseSensitive && [...text].some((c) => c.toLowerCase() !== c.toUpperCase());
  if (!wild && !folds) {
    // An empty phrase has no term to look up; the regex `""` (an empty quoted string) matches exactly "".
    if (text === "") return '/""/';
    return quoteLucenePhrase(text);
  }
  if (!folds) {
    const term = termText(parts);
    if (term !== undefined) return term;
  }
  return `/${luceneRegexLiteralBody(luceneRegexOfParts(parts, !q.caseSensitive))}/`;
}

/** A wildcard pattern as a bare term, or undefined when a character in it cannot be escaped. */
function termText(parts: readonly Part[]): string | undefined {
  let out = "";
  for (const p of parts) {
    if (p.kind === "any") out += "*";
    else if (p.kind === "one") out += "?";
    else {
      const e = escapeLuceneTerm(p.value);
      if (e === undefined) return undefined;
      out += e;
    }
  }
  return LUCENE_OPERATOR_WORDS.has(out) ? `\\${out}` : out;
}

const RANGE_BRACKETS: Readonly<Record<NodeOf<"range">["op"], (v: string) => string>> = {
  lt: (v) => `{* TO ${v}}`,
  lte: (v) => `[* TO ${v}]`,
  gt: (v) => `{${v} TO *}`,
  gte: (v) => `[${v} TO *]`,
};

function rangeText(q: NodeOf<"range">, issues: PrintIssue[]): string {
  return RANGE_BRACKETS[q.op](boundText(q, q.value, issues));
}

function boundText(q: Query, v: Value, issues: PrintIssue[]): string {
  switch (v.kind) {
    case "number":
      return v.raw || String(v.value);
    case "string":
      if (v.parts.some((p) => p.kind !== "text")) return unsupported(q, issues, "a range bound cannot be a wildcard pattern").text;
      return quoteLucenePhrase(v.parts.map((p) => (p.kind === "text" ? p.value : "")).join(""));
    case "boolean":
    case "null":
      return unsupported(q, issues, `a range bound cannot be ${v.kind === "null" ? "null" : "a boolean"}`).text;
    default:
      return assertNever(v);
  }
}

function regexText(q: NodeOf<"regex">, issues: PrintIssue[]): Out {
  const f = field(q, q.field, issues);
  if (q.multiline || q.dotAll) issues.push({ severity: "error", code: "lucene/regex-flags", reason: "a Lucene regex has no multiline or dotAll flag", node: q });
  let pattern = q.pattern;
  let caseSensitive = q.caseSensitive;
  if (q.dialect !== "lucene") {
    const lucene = pcreToLucene(q.pattern);
    if (!lucene.ok) return unsupported(q, issues, `the PCRE pattern cannot be said as a Lucene regex: ${lucene.reason}`, "lucene/regex-dialect");
    pattern = lucene.pattern;
    caseSensitive = q.caseSensitive && !lucene.caseInsensitive;
  }
  if (!caseSensitive) {
    // The query string has no case-insensitive flag, so each letter lists both of its cases.
    const folded = foldRegex(pattern);
    if (folded === undefined) return unsupported(q, issues, "the Lucene query string has no case-insensitive regex flag, and this pattern's letters cannot be listed in both cases", "lucene/regex-case");
    pattern = folded;
  }
  return atom(`${f}:/${luceneRegexLiteralBody(pattern)}/`);
}

/**
 * A Lucene regex that matches what `pattern` matches ignoring case: a letter outside a class
 * becomes `[xX]`, a class gains the other case of each letter and letter range (`[^a-f]` →
 * `[^a-fA-F]`, which excludes both cases, as a case-insensitive negated class does). Undefined
 * for what cannot be folded that way (a range mixing letters and other characters, quoted strings).
 */
function foldRegex(pattern: string): string | undefined {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) return undefined;
      out += /\p{L}/u.test(n) ? foldCaseChar(n) : c + n;
      i++;
      continue;
    }
    if (c === '"') return undefined;
    if (c === "[") {
      const end = classEnd(pattern, i);
      if (end < 0) return undefined;
      const folded = foldClass(pattern.slice(i + 1, end));
      if (folded === undefined) return undefined;
      out += `[${folded}]`;
      i = end;
      continue;
    }
    out += /\p{L}/u.test(c) ? foldCaseChar(c) : c;
  }
  return out;
}

function classEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") i++;
  for (; i < p.length; i++) {
    if (p[i] === "\\") i++;
    else if (p[i] === "]") return i;
  }
  return -1;
}

function foldClass(body: string): string | undefined {
  const negated = body.startsWith("^");
  let i = negated ? 1 : 0;
  let extra = "";
  const atom = (): string | undefined => {
    const c = body[i];
    if (c === undefined) return undefined;
    if (c === "\\") {
      const n = body[i + 1];
      i += 2;
      return n;
    }
    i++;
    return c;
  };
  while (i < body.length) {
    const from = atom();
    if (from === undefined) return undefined;
    if (body[i] === "-" && i + 1 < body.length) {
      i++;
      const to = atom();
      if (to === undefined) return undefined;
      const letters = /^[a-z]$/.test(from) && /^[a-z]$/.test(to) ? "lower" : /^[A-Z]$/.test(from) && /^[A-Z]$/.test(to) ? "upper" : undefined;
      if (letters) extra += letters === "lower" ? `${from.toUpperCase()}-${to.toUpperCase()}` : `${from.toLowerCase()}-${to.toLowerCase()}`;
      else if (/\p{L}/u.test(from + to)) return undefined;
      continue;
    }
    if (/\p{L}/u.test(from)) for (const v of [from.toLowerCase(), from.toUpperCase()]) if (v !== from && [...v].length === 1) extra += v;
  }
  if (extra === "") return body;
  // Placed where it cannot join a range with a literal `-` or move a leading `]`.
  const rest = body.slice(negated ? 1 : 0);
  if (rest[0] !== "-" && rest[0] !== "]") return (negated ? "^" : "") + extra + rest;
  return body.endsWith("-") ? undefined : body + extra;
}

function unsupported(node: Query, issues: PrintIssue[], reason: string, code = `lucene/unsupported-${node.kind}`): Out {
  issues.push({ severity: "error", code, reason, node });
  return atom(`<unsupported ${node.kind}>`);
}
