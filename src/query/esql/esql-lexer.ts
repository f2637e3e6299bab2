/**
 * ES|QL lexer, after Elasticsearch's `EsqlBaseLexer.g4` (Kibana's copy is the test oracle in
 * ../shared/oracles/esql). Keywords are case-insensitive. Like the ANTLR lexer it has modes, chosen
 * by the command a token belongs to: after `FROM`/`TS` the source mode reads index patterns
 * (`logs-endpoint.events.*`, `cluster:index`, `METADATA _id`) up to the next `|`; everything else is
 * expression mode. Whitespace and `//`, nested `/* *\/` comments are skipped.
 */
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import { ESQL_STRING_UNESCAPES } from "./esql-escape.js";

export type TokenType =
  | "ident" // unquoted identifier or keyword (text as written)
  | "quotedIdent" // `backquoted`, text decoded
  | "string" // text decoded
  | "integer"
  | "decimal"
  | "param" // `?`, `?name`, `??name`: query parameters, which a rule cannot carry
  | "source" // an unquoted index pattern (source mode)
  | "op"
  | "eof";

export interface Token {
  readonly type: TokenType;
  /** Source text for idents, numbers, ops, sources; the decoded value for strings and quoted identifiers. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Strings: written as `"""…"""`. */
  readonly raw?: boolean;
}

// Longest first: the lexer takes the first operator the input starts with.
const OPERATORS = ["==", "!=", "<=", ">=", "=~", "::", "<", ">", "=", ":", ";", "+", "-", "*", "/", "%", ".", ",",
  "(", ")", "[", "]", "{", "}", "|"] as const;

const IDENT_START = /[A-Za-z]/;
const IDENT_BODY = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const WS = /[ \t\r\n]/;
/** `UNQUOTED_SOURCE_PART`: anything but these; a `/` only when no comment starts with it. */
const NOT_SOURCE = /[:"=|,[\]/() \t\r\n]/;

function fail(code: string, message: string, offset: number, end?: number, hint?: string): never {
  throw new QuerySyntaxError({ code, message, offset, ...(end !== undefined ? { end } : {}), ...(hint ? { hint } : {}) });
}

export function lexEsql(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;
  let mode: "expr" | "source" = "expr";
  // The first word of a command chooses the mode: at the start and after every top-level `|`.
  let commandStart = true;
  while (i < n) {
    const c = src[i] ?? "";
    if (WS.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      i = skipBlockComment(src, i);
      continue;
    }
    const start = i;
    if (c === "|" || (c === ";" && mode === "expr")) {
      // `|` ends a command; `;` ends a `SET` directive, and a query's source command follows.
      tokens.push({ type: "op", text: c, start, end: ++i });
      mode = "expr";
      commandStart = true;
      continue;
    }
    if (mode === "source" && c !== '"' && c !== "," && c !== ":" && c !== "=" && c !== "(" && c !== ")" && c !== "[" && c !== "]") {
      while (i < n && (!NOT_SOURCE.test(src[i] ?? "") || (src[i] === "/" && src[i + 1] !== "/" && src[i + 1] !== "*"))) i++;
      if (i === start) fail("esql/unexpected-character", `unexpected character ${JSON.stringify(c)}`, i, i + 1);
      tokens.push({ type: "source", text: src.slice(start, i), start, end: i });
      continue;
    }
    if (IDENT_START.test(c) || ((c === "_" || c === "@") && IDENT_BODY.test(src[i + 1] ?? ""))) {
      i++;
      while (i < n && IDENT_BODY.test(src[i] ?? "")) i++;
      const text = src.slice(start, i);
      tokens.push({ type: "ident", text, start, end: i });
      if (commandStart) {
        const word = text.toLowerCase();
        if (word === "from" || word === "ts") mode = "source";
        commandStart = word === "inline" || word === "lookup"; // `INLINE STATS`, `LOOKUP JOIN`: the second word follows
      }
      continue;
    }
    commandStart = false;
    if (DIGIT.test(c) || (c === "." && DIGIT.test(src[i + 1] ?? ""))) {
      const { end, decimal } = lexNumber(src, i);
      i = end;
      tokens.push({ type: decimal ? "decimal" : "integer", text: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      const s = src.startsWith('"""', i) ? lexRawString(src, i) : lexString(src, i);
      i = s.end;
      tokens.push({ type: "string", text: s.value, start, end: i, ...(s.raw ? { raw: true } : {}) });
      continue;
    }
    if (c === "`") {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) fail("esql/unterminated-identifier", "backquoted name is not closed", start, n);
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
      if (value === "") fail("esql/empty-identifier", "empty backquoted name", start, i);
      tokens.push({ type: "quotedIdent", text: value, start, end: i });
      continue;
    }
    if (c === "?") {
      i++;
      if (src[i] === "?") i++;
      while (i < n && IDENT_BODY.test(src[i] ?? "")) i++;
      tokens.push({ type: "param", text: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === "'") {
      fail("esql/single-quote", "single-quoted strings are not ES|QL", i, i + 1, 'ES|QL strings use double quotes: "..."');
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) fail("esql/unexpected-character", `unexpected character ${JSON.stringify(c)}`, i, i + 1);
    i += op.length;
    tokens.push({ type: "op", text: op, start, end: i });
  }
  tokens.push({ type: "eof", text: "", start: n, end: n });
  return tokens;
}

/** `/* … *\/`, nested as in the grammar (`'/*' (MULTILINE_COMMENT|.)*? '*\/'`). */
function skipBlockComment(src: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < src.length) {
    if (src.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (src.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return fail("esql/unterminated-comment", "comment is not closed with `*/`", start, src.length);
}

function lexNumber(src: string, i: number): { end: number; decimal: boolean } {
  const digits = (k: number): number => {
    while (DIGIT.test(src[k] ?? "")) k++;
    return k;
  };
  let decimal = false;
  i = digits(i);
  if (src[i] === ".") {
    decimal = true;
    i = digits(i + 1);
  }
  if (/[eE]/.test(src[i] ?? "")) {
    const sign = /[+-]/.test(src[i + 1] ?? "") ? 1 : 0;
    if (DIGIT.test(src[i + 1 + sign] ?? "")) {
      decimal = true;
      i = digits(i + 1 + sign);
    }
  }
  return { end: i, decimal };
}

/** `"""…"""`: raw, no line break; up to two more quotes after the closing ones belong to the text. */
function lexRawString(src: string, start: number): { value: string; end: number; raw: true } {
  let i = start + 3;
  for (;;) {
    if (i >= src.length || src[i] === "\n" || src[i] === "\r") {
      fail("esql/unterminated-string", 'raw string is not closed with """ on its line', start, i,
        'a """ string cannot hold a line break; use "..." with \\n');
    }
    if (src.startsWith('"""', i)) break;
    i++;
  }
  let close = i;
  // `'"""' '"'? '"'?`: the token takes the longest run, and the text all but its last three quotes.
  let extra = 0;
  while (extra < 2 && src[close + 3 + extra] === '"') extra++;
  close += extra;
  return { value: src.slice(start + 3, close), end: close + 3, raw: true };
}

function lexString(src: string, start: number): { value: string; end: number; raw?: undefined } {
  let value = "";
  let i = start + 1;
  for (;;) {
    const c = src[i];
    if (c === undefined || c === "\n" || c === "\r") {
      fail("esql/unterminated-string", "string is not closed before the end of the line", start, i,
        "a string needs a closing double quote; write a line break as \\n");
    }
    if (c === '"') return { value, end: i + 1 };
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? "";
    const simple = ESQL_STRING_UNESCAPES[e];
    if (simple === undefined) {
      fail("esql/bad-escape", `unknown escape sequence \\${e}`, i, i + 2,
        'ES|QL strings know only \\t \\n \\r \\" \\\\; write a backslash as \\\\, or use """..."""');
    }
    value += simple;
    i += 2;
  }
}
