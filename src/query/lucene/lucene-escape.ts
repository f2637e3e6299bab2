/**
 * How text is written in the Lucene query string syntax (Kibana `language: lucene`, Elasticsearch
 * `query_string`) so that it reads back as the same characters. Source: Elasticsearch "Query
 * string query", reserved characters: `+ - = && || > < ! ( ) { } [ ] ^ " ~ * ? : \ /` and
 * whitespace are escaped with `\`, except `<` and `>`, which cannot be escaped at all. The regex
 * half (Lucene's own regular expressions, also EQL's `regex`) is the one table both printers use.
 */
import type { Part } from "../../ir/query.js";

/** What the query string parser (Lucene's classic QueryParser) reads as whitespace between clauses. */
export const LUCENE_WHITESPACE: ReadonlySet<string> = new Set([" ", "\t", "\n", "\r", "\u3000"]);

/** Characters a bare term or field name writes with a backslash. */
export const LUCENE_TERM_RESERVED: ReadonlySet<string> = new Set([..."+-=&|!(){}[]^\"~*?:\\/", ...LUCENE_WHITESPACE]);

/** Characters no escape can make literal in a bare term: a pattern holding one needs a regex. */
export const LUCENE_UNESCAPABLE: ReadonlySet<string> = new Set(["<", ">"]);

/** Inside `"..."` only the quote and the backslash are special. */
export const LUCENE_PHRASE_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\" };

/** Inside `/.../` the slash ends the regex, so it is escaped (Lucene reads `\/` as `/`). */
export const LUCENE_REGEX_DELIMITER_ESCAPES: Readonly<Record<string, string>> = { "/": "\\/" };

/** Words the query string parser reads as operators when they stand alone. */
export const LUCENE_OPERATOR_WORDS: ReadonlySet<string> = new Set(["AND", "OR", "NOT", "TO"]);

/** A literal as a bare term: every reserved character escaped. Undefined when one cannot be. */
export function escapeLuceneTerm(text: string): string | undefined {
  let out = "";
  for (const ch of text) {
    if (LUCENE_UNESCAPABLE.has(ch)) return undefined;
    // Any other space character is escaped too: harmless to Lucene, and clearer to a reader.
    out += LUCENE_TERM_RESERVED.has(ch) || /\s/.test(ch) ? `\\${ch}` : ch;
  }
  return out;
}

export function quoteLucenePhrase(text: string): string {
  let out = '"';
  for (const ch of text) out += LUCENE_PHRASE_ESCAPES[ch] ?? ch;
  return out + '"';
}

/** A field name: reserved characters escaped (a bare `*` would be a field wildcard). */
export function formatLuceneField(name: string): string | undefined {
  return escapeLuceneTerm(name);
}

/**
 * The optional operators of a Lucene regular expression Elasticsearch enables by default; written
 * with a backslash they stand for themselves. Source: Elasticsearch "Regular expression syntax".
 */
export const LUCENE_REGEX_OPERATORS: ReadonlySet<string> = new Set([..."@&~<>#\""]);

/** Characters a Lucene regular expression (EQL `regex`, query string `/…/`) reads as syntax. */
export const LUCENE_REGEX_RESERVED: ReadonlySet<string> = new Set([..."." + "?+*|{}[]()\\", ...LUCENE_REGEX_OPERATORS]);

/** Literal text as a Lucene regex that matches exactly that text. */
export function luceneRegexLiteral(text: string): string {
  let out = "";
  for (const ch of text) out += LUCENE_REGEX_RESERVED.has(ch) ? `\\${ch}` : ch;
  return out;
}

/** One letter in both cases (`[cC]`), for a regex that must ignore case; other characters as literals. */
export function foldCaseChar(ch: string): string {
  const variants = [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()].filter((c) => [...c].length === 1))];
  return variants.length > 1 ? `[${variants.join("")}]` : luceneRegexLiteral(ch);
}

/** A wildcard pattern as an anchored Lucene regex: `*` → `.*`, `?` → `.`, text literal (or case-folded). */
export function luceneRegexOfParts(parts: readonly Part[], foldCase = false): string {
  let out = "";
  for (const p of parts) {
    if (p.kind === "any") out += ".*";
    else if (p.kind === "one") out += ".";
    else for (const ch of p.value) out += foldCase ? foldCaseChar(ch) : luceneRegexLiteral(ch);
  }
  return out;
}

/** A Lucene regex written between `/…/` in a query string. */
export function luceneRegexLiteralBody(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    // An escape pair is kept whole, so an existing `\/` is not escaped twice.
    if (ch === "\\" && i + 1 < pattern.length) {
      out += ch + pattern[i + 1];
      i++;
      continue;
    }
    out += LUCENE_REGEX_DELIMITER_ESCAPES[ch] ?? ch;
  }
  return out;
}
