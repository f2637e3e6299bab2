/**
 * Sigma's string syntax, read and written with one table: `*` and `?` are wildcards; a backslash
 * escapes `*`, `?` and itself (`\\*` is a backslash then a wildcard); before any other character
 * it is a literal backslash. Also the `%name%` placeholders of the `expand` modifier.
 */
import type { Part } from "../../ir/query.js";

/** Sigma's wildcard characters and the IR parts they stand for. */
const WILDCARDS: ReadonlyMap<string, "any" | "one"> = new Map([["*", "any"], ["?", "one"]]);
/** The wildcard character of each wildcard part. */
const WILDCARD_OF: Readonly<Record<Part["kind"], string | undefined>> = { any: "*", one: "?", text: undefined };
/** What a backslash escapes: the wildcards and itself. */
const ESCAPED_BY_BACKSLASH: ReadonlySet<string> = new Set([...WILDCARDS.keys(), "\\"]);

export function parseSigmaString(s: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  const flush = (): void => {
    if (text) parts.push({ kind: "text", value: text });
    text = "";
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "\\") {
      const n = s[i + 1];
      if (n !== undefined && ESCAPED_BY_BACKSLASH.has(n)) {
        text += n;
        i++;
      } else text += c;
    } else if (WILDCARDS.has(c)) {
      flush();
      parts.push({ kind: WILDCARDS.get(c)! });
    } else text += c;
  }
  flush();
  return parts.length ? parts : [{ kind: "text", value: "" }];
}

export function hasWildcard(parts: readonly Part[]): boolean {
  return parts.some((p) => p.kind !== "text");
}

/** The plain text of wildcard-free parts. */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
}

/** Joins adjacent text parts and drops empty ones (keeping one for the empty string). */
export function normaliseParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === "text") {
      if (!p.value) continue;
      if (last?.kind === "text") out[out.length - 1] = { kind: "text", value: last.value + p.value };
      else out.push(p);
    } else out.push(p);
  }
  return out.length ? out : [{ kind: "text", value: "" }];
}

/** Placeholders `%name%` in a raw value, for the `expand` modifier. */
export function placeholderNames(raw: string): string[] {
  return [...raw.matchAll(/%([A-Za-z0-9_.-]+)%/g)].map((m) => m[1] as string);
}

/** Every way of replacing each placeholder by one of its values (cartesian product, in order). */
export function expandPlaceholders(raw: string, values: Readonly<Record<string, readonly string[]>>): string[] {
  let out = [""];
  let last = 0;
  for (const m of raw.matchAll(/%([A-Za-z0-9_.-]+)%/g)) {
    const lit = raw.slice(last, m.index);
    const opts = values[m[1] as string] ?? [];
    out = out.flatMap((prefix) => opts.map((v) => prefix + lit + v));
    last = (m.index ?? 0) + m[0].length;
  }
  return out.map((p) => p + raw.slice(last));
}

export interface SigmaString {
  /** `contains`, `startswith`, `endswith`, or none. */
  readonly modifier?: "contains" | "startswith" | "endswith";
  readonly value: string;
}

/**
 * Writes IR string parts as a Sigma value: a leading and/or trailing `any` becomes a modifier
 * (readers expect `Image|endswith: '\x.exe'`, not `'*\x.exe'`), the rest is escaped.
 */
export function sigmaString(parts: readonly Part[]): SigmaString {
  let body = parts;
  const lead = body[0]?.kind === "any";
  const trail = body.length > 1 && body[body.length - 1]?.kind === "any";
  const innerPlain = (p: readonly Part[]) => p.every((x) => x.kind === "text");
  if (lead && trail && innerPlain(body.slice(1, -1)) && body.length > 2) {
    return { modifier: "contains", value: escapeParts(body.slice(1, -1)) };
  }
  if (lead && !trail && innerPlain(body.slice(1)) && body.length > 1) {
    return { modifier: "endswith", value: escapeParts(body.slice(1)) };
  }
  if (!lead && trail && innerPlain(body.slice(0, -1))) {
    return { modifier: "startswith", value: escapeParts(body.slice(0, -1)) };
  }
  body = parts;
  return { value: escapeParts(body) };
}

/** Escapes text so Sigma reads it literally; wildcards are written as wildcards. */
export function escapeParts(parts: readonly Part[]): string {
  const raw: { ch: string; literal: boolean }[] = [];
  for (const p of parts) {
    const w = WILDCARD_OF[p.kind];
    if (w !== undefined) raw.push({ ch: w, literal: false });
    else if (p.kind === "text") for (const ch of p.value) raw.push({ ch, literal: true });
  }
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const { ch, literal } = raw[i]!;
    if (!literal) {
      out += ch;
      continue;
    }
    if (WILDCARDS.has(ch)) {
      out += `\\${ch}`;
    } else if (ch === "\\") {
      // A backslash is literal unless the next character would make it an escape.
      const next = raw[i + 1]?.ch;
      out += next !== undefined && ESCAPED_BY_BACKSLASH.has(next) ? "\\\\" : "\\";
    } else out += ch;
  }
  return out;
}
