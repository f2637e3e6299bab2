/**
 * Sigma's string syntax as data: which characters are wildcards, how they are escaped, and which
 * modifier says what a leading/trailing wildcard says.
 */
import type { Part } from "../../ir/query.js";

/** Sigma wildcards and their IR parts; `\` escapes them and itself (only before `*`, `?`, `\`). */
const WILDCARD: Readonly<Record<Part["kind"], string | undefined>> = { any: "*", one: "?", text: undefined };
const ESCAPED_BY_BACKSLASH = new Set(["*", "?", "\\"]);

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
    const w = WILDCARD[p.kind];
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
    if (ch === "*" || ch === "?") {
      out += `\\${ch}`;
    } else if (ch === "\\") {
      // A backslash is literal unless the next character would make it an escape.
      const next = raw[i + 1]?.ch;
      out += next !== undefined && ESCAPED_BY_BACKSLASH.has(next) ? "\\\\" : "\\";
    } else out += ch;
  }
  return out;
}
