/** A position in the token list, shared by the command and expression parsers of one parse. */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import type { Span } from "../../ir/query.js";
import { ESQL_KEYWORDS } from "./esql-escape.js";
import type { Token } from "./esql-lexer.js";

export interface Cursor {
  readonly tokens: readonly Token[];
  pos: number;
  /** Levels of `(`, `NOT`, calls, signs and operator chains being read (see ../nesting.ts). */
  depth: number;
}

export function peek(c: Cursor, ahead = 0): Token {
  const t = c.tokens[Math.min(c.pos + ahead, c.tokens.length - 1)];
  if (t === undefined) throw new Error("token list without eof");
  return t;
}

export function next(c: Cursor): Token {
  const t = peek(c);
  if (t.type !== "eof") c.pos++;
  return t;
}

export function isOp(t: Token, text: string): boolean {
  return t.type === "op" && t.text === text;
}

/** A keyword, in any case (the ES|QL lexer is case-insensitive). */
export function isKeyword(t: Token, word: string): boolean {
  return t.type === "ident" && t.text.toLowerCase() === word;
}

/** An unquoted word that is not a keyword: a field segment, function or command name. */
export function isPlainIdent(t: Token): boolean {
  return t.type === "ident" && !ESQL_KEYWORDS.has(t.text.toLowerCase());
}

/** Previous token's end: spans end where the last consumed token ends, not at following space. */
export function lastEnd(c: Cursor): number {
  return c.tokens[c.pos - 1]?.end ?? 0;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function describe(t: Token): string {
  if (t.type === "eof") return "end of query";
  if (t.type === "string") return `string ${JSON.stringify(t.text)}`;
  if (t.type === "quotedIdent") return `name \`${t.text}\``;
  return `\`${t.text}\``;
}

export function fail(code: string, message: string, at: { readonly start: number; readonly end: number }, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset: at.start, end: at.end, ...(hint ? { hint } : {}) });
}

export function unexpected(t: Token, expected: string, hint?: string): never {
  const code = t.type === "eof" ? "esql/unexpected-end" : "esql/unexpected-token";
  fail(code, `expected ${expected}, found ${describe(t)}`, t, hint);
}

export function expectOp(c: Cursor, text: string, expected = `\`${text}\``): Token {
  const t = peek(c);
  if (!isOp(t, text)) unexpected(t, expected);
  return next(c);
}

export function expectKeyword(c: Cursor, word: string): Token {
  const t = peek(c);
  if (!isKeyword(t, word)) unexpected(t, `\`${word.toUpperCase()}\``);
  return next(c);
}
