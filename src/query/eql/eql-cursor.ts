/** A position in the token list, shared by the statement and expression parsers of one parse. */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import type { Token } from "./eql-lexer.js";
import { EQL_KEYWORDS } from "./eql-escape.js";

export interface Cursor {
  readonly tokens: readonly Token[];
  pos: number;
  /** Levels of `(`, `not`, calls, signs and operator chains being read (see ../nesting.ts). */
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

export function isKeyword(t: Token, word: string): boolean {
  return t.type === "ident" && t.text === word;
}

/** Previous token's end: spans end where the last consumed token ends, not at following space. */
export function lastEnd(c: Cursor): number {
  return c.tokens[c.pos - 1]?.end ?? 0;
}

export function describe(t: Token): string {
  if (t.type === "eof") return "end of query";
  if (t.type === "string") return `string ${JSON.stringify(t.text)}`;
  if (t.type === "quotedIdent") return `field \`${t.text}\``;
  return `\`${t.text}\``;
}

export function fail(code: string, message: string, t: Token, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset: t.start, end: t.end, ...(hint ? { hint } : {}) });
}

export function unexpected(t: Token, expected: string, hint?: string): never {
  const code = t.type === "eof" ? "eql/unexpected-end" : "eql/unexpected-token";
  fail(code, `expected ${expected}, found ${describe(t)}`, t, hint);
}

export function expectOp(c: Cursor, text: string, expected = `\`${text}\``): Token {
  const t = peek(c);
  if (!isOp(t, text)) unexpected(t, expected);
  return next(c);
}

export function expectKeyword(c: Cursor, word: string): Token {
  const t = peek(c);
  if (!isKeyword(t, word)) unexpected(t, `\`${word}\``);
  return next(c);
}

export function isReserved(t: Token): boolean {
  return t.type === "ident" && EQL_KEYWORDS.has(t.text);
}
