/**
 * Tokens of a Sigma condition. Keywords are lowercase only: pySigma's grammar uses case-sensitive
 * pyparsing `Keyword`/literal operators, so `AND` is an identifier there and the condition fails.
 */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";

export type TokenKind = "lparen" | "rparen" | "word" | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Identifier characters: pySigma allows letters, digits, `_` and `-`; `*` only in `x of` patterns. */
const WORD_CHAR = /[A-Za-z0-9_\-*.]/;

export function lexCondition(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "lparen" : "rparen", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "|") {
      throw new QuerySyntaxError({
        code: "sigma/condition-pipe",
        message: "the pipe (aggregation) syntax in conditions was removed from Sigma",
        offset: i,
        end: text.length,
        hint: "express counts and time windows as a correlation rule",
      });
    }
    if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i] as string)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), start, end: i });
      continue;
    }
    throw new QuerySyntaxError({
      code: "sigma/condition-invalid-character",
      message: `unexpected character '${c}' in condition`,
      offset: i,
      end: i + 1,
      hint: "conditions use selection names, and, or, not, parentheses and `1 of`/`all of`",
    });
  }
  tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
  return tokens;
}
