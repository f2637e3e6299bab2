/**
 * ES|QL quoting as data: one table per layer drives both the lexer (unescape) and the printer
 * (escape), so the two cannot disagree. Sources: Elasticsearch `EsqlBaseLexer.g4` (as Kibana's
 * copy in ../shared/oracles/esql): `"…"` allows only the escapes `\t \n \r \" \\` and no raw line
 * break; `"""…"""` is raw but cannot hold a line break nor `"""`; identifiers in backquotes double
 * a literal backquote. The LIKE layer (docs "LIKE": `\` escapes `*` and `?`, and itself) sits on
 * top of the string layer: the pattern `a\*b` is the literal `"a\\*b"` or `"""a\*b"""`.
 */
import type { Part } from "../../ir/query.js";

/** Character → escape sequence inside a `"…"` string (the only escapes the lexer accepts). */
export const ESQL_STRING_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** Letter after `\` → the character it stands for: the inverse of the table above. */
export const ESQL_STRING_UNESCAPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ESQL_STRING_ESCAPES).map(([ch, seq]) => [seq.slice(1), ch]),
);

/**
 * Characters a LIKE pattern escapes with `\` to mean themselves. Elasticsearch rejects a `\` before
 * any other character ("escape character is not followed by special wildcard char").
 */
export const ESQL_LIKE_ESCAPES: Readonly<Record<string, string>> = { "*": "\\*", "?": "\\?", "\\": "\\\\" };

/** Backquoted identifiers double a literal backquote. */
export const ESQL_BACKQUOTE_ESCAPES: Readonly<Record<string, string>> = { "`": "``" };

/** Words the expression lexer reserves (case-insensitive; `AS` and `METADATA` only in other modes): a field segment spelled so needs backquotes. */
export const ESQL_KEYWORDS: ReadonlySet<string> = new Set([
  "and", "asc", "by", "desc", "false", "first", "in", "is", "last", "like", "not", "null",
  "nulls", "on", "or", "rlike", "true", "where", "with",
]);

/** An unquoted identifier segment (`UNQUOTED_IDENTIFIER`; the lexer is case-insensitive). */
const PLAIN_SEGMENT = /^(?:[A-Za-z][A-Za-z0-9_]*|[_@][A-Za-z0-9_]+)$/;

/** `"…"` with the table's escapes; every other character is written as itself. */
export function quoteEsqlString(s: string): string {
  let out = '"';
  for (const ch of s) out += ESQL_STRING_ESCAPES[ch] ?? ch;
  return out + '"';
}

/**
 * A raw `"""…"""` string when the text can be one (no line break, no `"""` inside, at most two
 * quotes at its end, which the lexer folds into the closing quotes), else `"…"`. Used for regexes
 * and LIKE patterns, whose backslashes would otherwise double.
 */
export function quoteEsqlRaw(s: string): string {
  const raw = /[\\"]/.test(s) && !/[\r\n]/.test(s) && !s.includes('"""') && !s.endsWith('"""');
  return raw ? `"""${s}"""` : quoteEsqlString(s);
}

/** A field name: bare when every dotted segment lexes as an identifier, else backquoted whole. */
export function quoteEsqlField(field: string): string {
  const segments = field.split(".");
  const plain = segments.every((s) => PLAIN_SEGMENT.test(s) && !ESQL_KEYWORDS.has(s.toLowerCase()));
  if (plain) return field;
  let out = "`";
  for (const ch of field) out += ESQL_BACKQUOTE_ESCAPES[ch] ?? ch;
  return out + "`";
}

/** IR string parts as a LIKE pattern: `any` → `*`, `one` → `?`, text with `*`, `?`, `\` escaped. */
export function likePattern(parts: readonly Part[], mapText: (s: string) => string = (s) => s): string {
  let out = "";
  for (const p of parts) {
    if (p.kind === "any") out += "*";
    else if (p.kind === "one") out += "?";
    else for (const ch of mapText(p.value)) out += ESQL_LIKE_ESCAPES[ch] ?? ch;
  }
  return out;
}

/** The inverse: a LIKE pattern as IR parts, or why it is not one Elasticsearch accepts. */
export function likeParts(pattern: string): { ok: true; parts: Part[] } | { ok: false; offset: number } {
  const parts: Part[] = [];
  let text = "";
  const unescape = new Map(Object.entries(ESQL_LIKE_ESCAPES).map(([ch, seq]) => [seq, ch]));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "\\") {
      const lit = unescape.get(pattern.slice(i, i + 2));
      if (lit === undefined) return { ok: false, offset: i };
      text += lit;
      i++;
    } else if (c === "*" || c === "?") {
      if (text) parts.push({ kind: "text", value: text });
      text = "";
      const prev = parts[parts.length - 1];
      // `**` is one `*`: runs of `any` are one part, as in the other readers.
      if (!(c === "*" && prev?.kind === "any")) parts.push(c === "*" ? { kind: "any" } : { kind: "one" });
    } else text += c;
  }
  if (text || parts.length === 0) parts.push({ kind: "text", value: text });
  return { ok: true, parts };
}
