/**
 * IR string values (text / `any` / `one` parts) compiled to an anchored JS RegExp. The `u` flag
 * makes `one` match one code point, not one UTF-16 unit; `s` lets wildcards cross newlines, as
 * Sigma and Elastic wildcards do.
 */
import type { Part } from "../ir/query.js";

const SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

export function escapeRegExp(text: string): string {
  return text.replace(SPECIAL, "\\$&");
}

/** Pattern body (no anchors) for a list of parts. */
export function partsSource(parts: readonly Part[]): string {
  let src = "";
  for (const p of parts) {
    if (p.kind === "text") src += escapeRegExp(p.value);
    else if (p.kind === "any") src += ".*";
    else src += ".";
  }
  return src;
}

export function hasWildcard(parts: readonly Part[]): boolean {
  return parts.some((p) => p.kind !== "text");
}

export { partsText } from "../ir/parts-text.js";

/** A tester for whole-value match of `parts`; `contains` wraps it in implicit `any` on both sides. */
export function compileParts(
  parts: readonly Part[],
  caseSensitive: boolean,
  contains = false,
): (s: string) => boolean {
  if (caseSensitive && !hasWildcard(parts) && !contains) {
    const literal = parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
    return (s) => s === literal;
  }
  const flags = caseSensitive ? "su" : "isu";
  const all = contains ? [{ kind: "any" } as const, ...parts, { kind: "any" } as const] : parts;
  if (!all.some((p) => p.kind === "any")) {
    const re = new RegExp(`^(?:${partsSource(all)})$`, flags);
    return (s) => re.test(s);
  }
  return starPattern(all, flags);
}

/**
 * A pattern with `*`s, matched without one regex for the whole: `^a.*a.*a…b$` backtracks into every
 * star, and a rule's `*a*a*…*b` against a sample's `aaa…` took minutes (`rulecast test` runs the
 * samples a rule carries). The pieces between stars have a fixed length in characters, so placing
 * each at its leftmost match after the previous one decides the match; each piece is a small regex
 * with the same flags, so case and `?` mean what they meant.
 */
function starPattern(parts: readonly Part[], flags: string): (s: string) => boolean {
  const pieces: Part[][] = [[]];
  for (const p of parts) {
    if (p.kind === "any") pieces.push([]);
    else pieces[pieces.length - 1]!.push(p);
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const head = first.length > 0 ? new RegExp(partsSource(first), `${flags}y`) : undefined;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0).map((p) => new RegExp(partsSource(p), `${flags}g`));
  const tail = last.length > 0 ? new RegExp(`(?:${partsSource(last)})$`, `${flags}g`) : undefined;
  return (s) => {
    let at = 0;
    if (head) {
      head.lastIndex = 0;
      if (!head.test(s)) return false;
      at = head.lastIndex;
    }
    for (const re of middle) {
      re.lastIndex = at;
      if (!re.exec(s)) return false;
      at = re.lastIndex;
    }
    if (tail) {
      tail.lastIndex = at;
      return tail.exec(s) !== null;
    }
    return true;
  };
}
