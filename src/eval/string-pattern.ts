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

export function partsText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : p.kind === "any" ? "*" : "?")).join("");
}

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
  const body = partsSource(parts);
  const re = new RegExp(contains ? body : `^(?:${body})$`, caseSensitive ? "su" : "isu");
  return (s) => re.test(s);
}
