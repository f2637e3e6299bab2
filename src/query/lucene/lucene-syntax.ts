/**
 * The characters the Lucene query string syntax reserves, as the oracle reads them, written here
 * from Elasticsearch's "Query string query" reference rather than taken from the printer's escape
 * table: a printer mistake in that table must not be repeated by the reader that checks it.
 */

/** Whitespace between clauses (Lucene's classic QueryParser, including the ideographic space). */
export const WHITESPACE: ReadonlySet<string> = new Set([" ", "\t", "\n", "\r", "\u3000"]);

/** `+ - = && || > < ! ( ) { } [ ] ^ " ~ * ? : \ /`: a bare term must escape each of these. */
export const RESERVED: ReadonlySet<string> = new Set(["+", "-", "=", "&", "|", "!", "(", ")", "{", "}", "[", "]", "^", '"', "~", "*", "?", ":", "\\", "/", ...WHITESPACE]);

/** `<` and `>` cannot be escaped at all. */
export const UNESCAPABLE: ReadonlySet<string> = new Set(["<", ">"]);
