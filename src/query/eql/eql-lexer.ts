/**
 * EQL lexer, after elasticsearch `EqlBase.g4`: identifiers, backticked names, `"..."` and `"""raw"""`
 * strings, numbers, operators; whitespace and `//`, `/* *\/` comments are skipped. Endgame-only forms
 * (single quotes, `?"..."`) are rejected here with a hint, as Elasticsearch does.
 */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import { EQL_DIALECT } from "./eql-dialect.js";
import { EQL_STRING_UNESCAPES } from "./eql-escape.js";

export type TokenType = "ident" | "quotedIdent" | "string" | "number" | "op" | "eof";

export interface Token {
  readonly type: TokenType;
  /** Source text for idents/ops/numbers; the decoded value for strings and backticked names. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

// Longest first: the lexer takes the first operator the input starts with.
const OPERATORS = ["==", "!=", "<=", ">=", "<", ">", ":", "=", "!", "+", "-", "*", "/", "%", ".", ",",
  "[", "]", "(", ")", "|", "?", "~"] as const;

const IDENT_START = /[A-Za-z_@]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

function fail(code: string, message: string, offset: number, end?: number, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset, ...(end !== undefined ? { end } : {}), ...(hint ? { hint } : {}) });
}

export function lexEql(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i] ?? "";
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const close = src.indexOf("*/", i + 2);
      if (close < 0) fail("eql/unterminated-comment", "comment is not closed with `*/`", i, n);
      i = close + 2;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      i++;
      while (i < n && IDENT_PART.test(src[i] ?? "")) i++;
      tokens.push({ type: "ident", text: src.slice(start, i), start, end: i });
      continue;
    }
    if (DIGIT.test(c) || (c === "." && DIGIT.test(src[i + 1] ?? ""))) {
      i = lexNumber(src, i);
      tokens.push({ type: "number", text: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      const { value, end } = src.startsWith('"""', i) ? lexRawString(src, i) : lexString(src, i);
      i = end;
      tokens.push({ type: "string", text: value, start, end });
      continue;
    }
    if (c === "`") {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) fail("eql/unterminated-field", "backticked field name is not closed", start, n);
        if (src[i] === "`") {
          if (src[i + 1] === "`") {
            value += "`";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i];
        i++;
      }
      if (value === "") fail("eql/empty-field", "empty backticked field name", start, i);
      tokens.push({ type: "quotedIdent", text: value, start, end: i });
      continue;
    }
    if (c === "'") {
      fail("eql/single-quote", "single-quoted strings are not EQL", i, i + 1, 'EQL strings use double quotes: "..."');
    }
    if (c === "?" && (src[i + 1] === '"' || src[i + 1] === "'")) {
      fail("eql/endgame-raw-string", `\`?"..."\` raw strings are Endgame EQL, not ${EQL_DIALECT}`, i, i + 2,
        'use a raw string in three double quotes: """..."""');
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) fail("eql/unexpected-character", `unexpected character ${JSON.stringify(c)}`, i, i + 1);
    i += op.length;
    tokens.push({ type: "op", text: op, start, end: i });
  }
  tokens.push({ type: "eof", text: "", start: n, end: n });
  return tokens;
}

function lexNumber(src: string, i: number): number {
  const digits = (k: number): number => {
    while (DIGIT.test(src[k] ?? "")) k++;
    return k;
  };
  i = digits(i);
  // `1.x` is not a number followed by a field: EQL numbers take the dot only before digits or the end.
  if (src[i] === "." && !/[A-Za-z_@]/.test(src[i + 1] ?? "")) i = digits(i + 1);
  if (/[eE]/.test(src[i] ?? "")) {
    const sign = /[+-]/.test(src[i + 1] ?? "") ? 1 : 0;
    if (DIGIT.test(src[i + 1 + sign] ?? "")) i = digits(i + 1 + sign);
  }
  return i;
}

function lexRawString(src: string, start: number): { value: string; end: number } {
  const close = src.indexOf('"""', start + 3);
  if (close < 0) fail("eql/unterminated-string", 'raw string is not closed with """', start, src.length);
  return { value: src.slice(start + 3, close), end: close + 3 };
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function lexString(src: string, start: number): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  // Where each `\u{D800}`-style escape sits, by its index in the value: Elasticsearch joins a high
  // and a low half into one character, but half a pair alone is none and is refused at its escape.
  const halves = new Map<number, readonly [number, number]>();
  for (;;) {
    const c = src[i];
    if (c === undefined || c === "\n" || c === "\r") {
      fail("eql/unterminated-string", "string is not closed before the end of the line", start, i,
        "a string needs a closing double quote; write a newline as \\n");
    }
    if (c === '"') {
      const lone = halves.size > 0 ? UNPAIRED_SURROGATE.exec(value)?.index : undefined;
      if (lone !== undefined) {
        const [from, to] = halves.get(lone) ?? [start, i + 1];
        fail("eql/unpaired-surrogate", "this escape writes half of a UTF-16 surrogate pair without the other half: no character", from, to,
          "write the character itself, or its code point: \\u{1F600}");
      }
      return { value, end: i + 1 };
    }
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? "";
    const simple = EQL_STRING_UNESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    if (e === "u") {
      const m = /^\{([0-9a-fA-F]{2,8})\}/.exec(src.slice(i + 2, i + 14));
      const cp = m ? parseInt(m[1] ?? "", 16) : NaN;
      if (!m || cp > 0x10ffff) {
        fail("eql/bad-escape", "a unicode escape is \\u{XX} with 2 to 8 hex digits", i, i + 2);
      }
      if (cp >= 0xd800 && cp <= 0xdfff) halves.set(value.length, [i, i + 2 + m[0].length]);
      value += String.fromCodePoint(cp);
      i += 2 + m[0].length;
      continue;
    }
    fail("eql/bad-escape", `unknown escape sequence \\${e}`, i, i + 2,
      'escape a backslash as \\\\, or use a raw string """..."""');
  }
}
