import type { Part } from "./query.js";

/** A string value's parts as pattern text: `*` for any run, `?` for one character. */
export function partsText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : p.kind === "any" ? "*" : "?")).join("");
}
