/**
 * How text is written so that Kibana's grammar reads it back as the same characters.
 */
import type { Part } from "../../ir/query.js";
import { isKqlSpace } from "./kql-literal.js";

/** One row per character that cannot appear bare; the reason is the grammar rule it would trip. */
const ESCAPES: Readonly<Record<string, { readonly unquoted: string; readonly quoted?: string; readonly why: string }>> = {
  "\\": { unquoted: "\\\\", quoted: "\\\\", why: "starts an escape in both forms" },
  '"': { unquoted: '\\"', quoted: '\\"', why: "starts/ends a quoted string" },
  "\t": { unquoted: "\\t", quoted: "\\t", why: "whitespace: would be trimmed or read as a keyword separator" },
  "\r": { unquoted: "\\r", quoted: "\\r", why: "as tab" },
  "\n": { unquoted: "\\n", quoted: "\\n", why: "as tab" },
  "(": { unquoted: "\\(", why: "opens a group" },
  ")": { unquoted: "\\)", why: "closes a group" },
  ":": { unquoted: "\\:", why: "separates field and value" },
  "<": { unquoted: "\\<", why: "range operator" },
  ">": { unquoted: "\\>", why: "range operator" },
  "*": { unquoted: "\\*", why: "wildcard unless escaped (quoted: always literal)" },
  "{": { unquoted: "\\{", why: "opens a nested query" },
  "}": { unquoted: "\\}", why: "closes a nested query" },
};

/**
 * Control and invisible format characters (NUL, U+202E right-to-left override, zero-width space)
 * would be kept raw by the grammar but are unreadable and easily lost on the way through other
 * formats: both literal forms take them as `\uXXXX`.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function unicodeEscape(c: string): string | undefined {
  if (!INVISIBLE.test(c)) return undefined;
  // `\uXXXX` is one UTF-16 unit: a character beyond the BMP is its two surrogates.
  return [...Array(c.length).keys()].map((k) => `\\u${c.charCodeAt(k).toString(16).padStart(4, "0")}`).join("");
}

/**
 * Keywords inside an unquoted literal end it. `\or` and `\and` are grammar escapes; `\not` is not
 * usable because `\n` (newline) wins, so the `n` is written as `\u006e` instead.
 */
const KEYWORD_ESCAPES: Readonly<Record<"or" | "and" | "not", (word: string) => string>> = {
  or: (w) => `\\${w}`,
  and: (w) => `\\${w}`,
  not: (w) => `\\u${w.charCodeAt(0).toString(16).padStart(4, "0")}${w.slice(1)}`,
};

/** What `null`/`true`/`false` unquoted would become in Kibana: typed literals, so they are quoted. */
const TYPED_WORDS: ReadonlySet<string> = new Set(["null", "true", "false"]);

/**
 * Escapes one text part for an unquoted literal. `keepStar`: a `*` stays a wildcard (field names).
 * `first`/`last`: the part touches the literal's edge, where the printer may put a space.
 */
function escapeUnquotedText(text: string, keepStar: boolean, first: boolean, last: boolean): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const word = keywordToEscape(text, i, first, last);
    if (word !== undefined) {
      out += KEYWORD_ESCAPES[word](text.slice(i, i + word.length));
      i += word.length;
      continue;
    }
    const c = text[i] ?? "";
    out += c === "*" && keepStar ? c : (ESCAPES[c]?.unquoted ?? unicodeEscape(c) ?? c);
    i += 1;
  }
  return out;
}

/**
 * A keyword is escaped wherever the grammar could see one, given that the printer may put a space
 * right before or after the literal: `not` followed by a space or the end, `or`/`and` between
 * (space or edge) and (space or edge).
 */
function keywordToEscape(text: string, i: number, first: boolean, last: boolean): "or" | "and" | "not" | undefined {
  const lower = text.slice(i, i + 3).toLowerCase();
  const edgeAfter = (n: number): boolean => (i + n >= text.length ? last : isKqlSpace(text[i + n]));
  if (lower === "not" && edgeAfter(3)) return "not";
  if (i === 0 ? !first : !isKqlSpace(text[i - 1])) return undefined;
  if (lower === "and" && edgeAfter(3)) return "and";
  if (lower.startsWith("or") && edgeAfter(2)) return "or";
  return undefined;
}

export function quoteKql(text: string): string {
  let out = '"';
  for (const c of text) out += ESCAPES[c]?.quoted ?? unicodeEscape(c) ?? c;
  return `${out}"`;
}

/**
 * Text printed bare: one token under Elasticsearch's standard analyser, so the unquoted form (a
 * `match` query on text fields) and the quoted form (`match_phrase`) select the same events.
 * `cmd.exe` is one token (a `.` between letters does not split); `Invoke-Token` is two, and bare
 * it would match either word, so it is quoted. `null`/`true`/`false` bare are typed literals.
 */
function isBareSafe(text: string): boolean {
  if (TYPED_WORDS.has(text) || /not$/i.test(text) || !/^\w+(\.\w+)*$/.test(text)) return false;
  return /^(?:[^.]|(?<=[A-Za-z])\.(?=[A-Za-z]))*$/.test(text);
}

/** Needs no quotes to be read back as itself (no space, special character, keyword or typed word). */
function isSyntaxSafe(text: string): boolean {
  if (text === "" || TYPED_WORDS.has(text) || /\s/.test(text) || /not$/i.test(text)) return false;
  for (const c of text) if (ESCAPES[c] !== undefined || INVISIBLE.test(c)) return false;
  return true;
}

/** Text an unquoted range bound reads as a number (`5`, `-1.5`, `1e3`). */
export function isNumberText(text: string): boolean {
  return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text);
}

/**
 * A range bound or a number: a range query is not analysed, so anything the grammar reads back
 * unchanged stays bare (`now-1d/d`, `-1.5`); the rest is quoted.
 */
export function formatKqlBound(text: string): string {
  return isSyntaxSafe(text) ? text : quoteKql(text);
}

/**
 * A string value: literal-only text is bare when safe, else quoted (a quoted `*` is literal);
 * a pattern is unquoted with its literal parts escaped. Undefined when the grammar cannot keep it
 * (an unquoted literal is trimmed, so a pattern cannot start or end with whitespace).
 */
export function formatKqlValue(parts: readonly Part[]): string | undefined {
  if (parts.every((p) => p.kind === "text")) {
    const text = parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
    return isBareSafe(text) ? text : quoteKql(text);
  }
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first?.kind === "text" && /^\s/.test(first.value)) return undefined;
  if (last?.kind === "text" && /\s$/.test(last.value)) return undefined;
  const n = parts.length;
  return parts
    .map((p, i) => (p.kind === "text" ? escapeUnquotedText(p.value, false, i === 0, i === n - 1) : p.kind === "any" ? "*" : "?"))
    .join("");
}

/**
 * A field name: a `*` stays a field wildcard (`process.*`); names with edge whitespace, or empty,
 * are quoted because an unquoted literal is trimmed.
 */
export function formatKqlField(field: string): string {
  // `null:x` would make the field a typed null, which Kibana reads as "no field" (all fields).
  if (field === "" || TYPED_WORDS.has(field) || /^\s|\s$/.test(field)) return quoteKql(field);
  return escapeUnquotedText(field, true, true, true);
}
