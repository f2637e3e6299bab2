/**
 * EQL quoting as data: one table drives both the lexer (unescape) and the printer (escape), so the
 * two cannot disagree. Source: elasticsearch docs `eql-syntax.md` "Escape characters in a string".
 */

/** Character → escape sequence inside a double-quoted EQL string. */
export const EQL_STRING_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * Letter after `\` → the character it stands for: the inverse of the table above, plus what the
 * Elasticsearch lexer also reads but the printer never writes (`\'`, `\b`, `\f`; rules use `\'`).
 */
export const EQL_STRING_UNESCAPES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(EQL_STRING_ESCAPES).map(([ch, seq]) => [seq.slice(1), ch])),
  "'": "'",
  b: "\b",
  f: "\f",
};

/** Backtick field names double a literal backtick (docs: "Escape a field name"). */
export const EQL_BACKTICK_ESCAPES: Readonly<Record<string, string>> = { "`": "``" };

/** Words the lexer reserves; a field segment spelled like one needs backticks. */
export const EQL_KEYWORDS: ReadonlySet<string> = new Set([
  "and", "any", "by", "false", "fork", "in", "join", "like", "maxspan", "not", "null", "of", "or",
  "regex", "sample", "sequence", "true", "until", "where", "with",
]);

const PLAIN_SEGMENT = /^[A-Za-z_@][A-Za-z0-9_]*$/;

/**
 * `"..."` with every character the table names escaped, other control and invisible format
 * characters (NUL, U+202E right-to-left override, zero-width space) as `\u{XX}`, so that they
 * survive every format the rule passes through and stay visible.
 */
export function quoteEqlString(s: string): string {
  // Most values hold nothing to escape: one scan of the whole string instead of a test per character.
  if (!EQL_ESCAPED.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const esc = EQL_STRING_ESCAPES[ch];
    if (esc !== undefined) out += esc;
    else {
      const cp = ch.codePointAt(0) ?? 0;
      // Raw control characters would be legal in a few places but unreadable everywhere.
      out += /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch) ? `\\u{${cp.toString(16).padStart(2, "0")}}` : ch;
    }
  }
  return out + '"';
}

/** Any character quoteEqlString writes otherwise than as itself. */
const EQL_ESCAPED = new RegExp(`[${Object.keys(EQL_STRING_ESCAPES).map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join("")}\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]`, "u");

/** A dotted field name, backticked as a whole when any segment is not a plain identifier. */
export function quoteEqlField(field: string): string {
  const segments = field.split(".");
  const plain = segments.every((s) => PLAIN_SEGMENT.test(s) && !EQL_KEYWORDS.has(s));
  if (plain) return field;
  let out = "`";
  for (const ch of field) out += EQL_BACKTICK_ESCAPES[ch] ?? ch;
  return out + "`";
}

/** An event category: bare when it lexes as one identifier, a string otherwise. */
export function quoteEqlCategory(category: string): string {
  return PLAIN_SEGMENT.test(category) && !EQL_KEYWORDS.has(category) ? category : quoteEqlString(category);
}
