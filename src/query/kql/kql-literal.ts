/**
 * KQL literals (field names and values), scanned the way Kibana's `grammar.peggy` reads them.
 * Kibana's grammar is scannerless: whether a space belongs to a value depends on what follows it
 * (` or ` ends a value, `a b` is one value), so literals are read here character by character.
 */
import type { Part } from "../../ir/query.js";
import { QuerySyntaxError } from "../../diagnostics/query-error.js";

/** Kibana's `Space` rule: NBSP counts, other Unicode spaces do not. */
export function isKqlSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\u00a0";
}

/** Kibana's `SpecialCharacter`: these end an unquoted literal unless escaped with `\`. */
export const KQL_SPECIAL_CHARACTERS: ReadonlySet<string> = new Set(["\\", "(", ")", ":", "<", ">", '"', "*", "{", "}"]);

/** `\t`, `\r`, `\n` are the only letter escapes, in quoted and unquoted literals alike. */
const WHITESPACE_ESCAPES: Readonly<Record<string, string>> = { t: "\t", r: "\r", n: "\n" };

export interface KqlLiteral {
  readonly quoted: boolean;
  /** Quoted literals hold text parts only: a `*` inside quotes is a literal star. */
  readonly parts: readonly Part[];
  /** The span of the literal without the whitespace Kibana trims off an unquoted one. */
  readonly start: number;
  readonly end: number;
  /** Where scanning stopped (an unquoted literal may have eaten spaces it then trimmed). */
  readonly next: number;
}

/** Kibana's `Keyword`: ` or `, ` and ` (space on both sides) or `not ` (space after) at `i`. */
export function keywordAt(text: string, i: number): "or" | "and" | "not" | undefined {
  if (text.slice(i, i + 3).toLowerCase() === "not" && isKqlSpace(text[i + 3])) return "not";
  if (!isKqlSpace(text[i])) return undefined;
  let j = i;
  while (isKqlSpace(text[j])) j++;
  const word = text.slice(j, j + 3).toLowerCase();
  if (word.startsWith("or") && isKqlSpace(text[j + 2])) return "or";
  if (word === "and" && isKqlSpace(text[j + 3])) return "and";
  return undefined;
}

/**
 * `\uXXXX` at `i`, with its width. Kibana joins a high and a low half written one after the other
 * into one character; half a pair alone is none, and would reach every output as U+FFFD.
 */
function unicodeEscapeAt(text: string, i: number): { value: string; width: number } | undefined {
  const unit = (at: number) => {
    const m = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(at, at + 6));
    return m?.[1] === undefined ? undefined : parseInt(m[1], 16);
  };
  const u = unit(i);
  if (u === undefined) return undefined;
  if (u < 0xd800 || u > 0xdfff) return { value: String.fromCharCode(u), width: 6 };
  const low = u <= 0xdbff ? unit(i + 6) : undefined;
  if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) return { value: String.fromCharCode(u, low), width: 12 };
  throw new QuerySyntaxError({
    code: "kql/unpaired-surrogate",
    message: `\`${text.slice(i, i + 6)}\` is half of a UTF-16 surrogate pair without the other half: no character`,
    offset: i,
    end: i + 6,
    hint: "write the character itself, or both halves together: \\uD83D\\uDE00",
  });
}

/** Reads a quoted or unquoted literal at `i`; undefined when none starts there. */
export function scanLiteral(text: string, i: number): KqlLiteral | undefined {
  return text[i] === '"' ? scanQuoted(text, i) : scanUnquoted(text, i);
}

function scanQuoted(text: string, start: number): KqlLiteral {
  let value = "";
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) {
      throw new QuerySyntaxError({
        code: "kql/unterminated-string",
        message: "quoted string is never closed",
        offset: start,
        end: text.length,
        hint: 'close it with `"`; a `"` inside the string is written `\\"`',
      });
    }
    if (c === '"') break;
    if (c === "\\") {
      const next = text[i + 1] ?? "";
      const ws = WHITESPACE_ESCAPES[next];
      const uni = unicodeEscapeAt(text, i);
      if (ws !== undefined) {
        value += ws;
        i += 2;
      } else if (uni !== undefined) {
        value += uni.value;
        i += uni.width;
      } else if (next === "\\" || next === '"') {
        value += next;
        i += 2;
      } else {
        // Kibana's `[^"]` alternative: a backslash before anything else is itself.
        value += c;
        i += 1;
      }
      continue;
    }
    value += c;
    i += 1;
  }
  const parts: Part[] = value === "" ? [] : [{ kind: "text", value }];
  return { quoted: true, parts, start, end: i + 1, next: i + 1 };
}

function scanUnquoted(text: string, start: number): KqlLiteral | undefined {
  const parts: Part[] = [];
  let pending = "";
  let i = start;
  let lastSolid = start; // end of the last item that trimming keeps
  const pushText = (s: string, solid: boolean, width: number): void => {
    pending += s;
    i += width;
    if (solid) lastSolid = i;
  };
  for (;;) {
    const c = text[i];
    if (c === undefined) break;
    if (c === "\\") {
      const next = text[i + 1] ?? "";
      const ws = WHITESPACE_ESCAPES[next];
      // Ordered as in the grammar: `\n` wins over the keyword escape, so `\not` is newline + `ot`.
      if (ws !== undefined) pushText(ws, true, 2);
      else if (KQL_SPECIAL_CHARACTERS.has(next)) pushText(next, true, 2);
      else if (unicodeEscapeAt(text, i) !== undefined) {
        const uni = unicodeEscapeAt(text, i)!;
        pushText(uni.value, true, uni.width);
      } else {
        const kw = /^(or|and|not)/i.exec(text.slice(i + 1, i + 4))?.[0];
        if (kw === undefined) {
          throw new QuerySyntaxError({
            code: "kql/invalid-escape",
            message: `\`\\${next}\` is not a KQL escape`,
            offset: i,
            end: Math.min(i + 2, text.length),
            hint: "escape one of \\ ( ) : < > \" * { } or the words or/and/not; use \\t \\r \\n \\uXXXX for others",
          });
        }
        pushText(kw, true, 1 + kw.length);
      }
      continue;
    }
    if (c === "*") {
      if (pending !== "") parts.push({ kind: "text", value: pending });
      pending = "";
      parts.push({ kind: "any" });
      i += 1;
      lastSolid = i;
      continue;
    }
    if (KQL_SPECIAL_CHARACTERS.has(c) || keywordAt(text, i) !== undefined) break;
    if (isKqlSpace(c)) {
      // keywordAt reads past the whole run from each of its blanks and answers alike for all of
      // them, so the run is taken at once: blank by blank it was quadratic in the run's length.
      let end = i;
      while (isKqlSpace(text[end])) end++;
      pushText(text.slice(i, end), false, end - i);
      continue;
    }
    pushText(c, !/\s/.test(c), 1);
  }
  if (pending !== "") parts.push({ kind: "text", value: pending });
  if (i === start) return undefined;
  return { quoted: false, parts: trimParts(parts), start, end: lastSolid, next: i };
}

/** Kibana trims the joined characters of an unquoted literal (JavaScript `trim`, escapes included). */
function trimParts(parts: readonly Part[]): Part[] {
  const out = [...parts];
  const first = out[0];
  if (first?.kind === "text") out[0] = { kind: "text", value: first.value.trimStart() };
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last?.kind === "text") out[lastIndex] = { kind: "text", value: last.value.trimEnd() };
  return out.filter((p) => p.kind !== "text" || p.value !== "");
}

/** The literal's characters, a wildcard read as `*` (field names and range bounds have no wildcards in the IR). */
export function literalText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : "*")).join("");
}
