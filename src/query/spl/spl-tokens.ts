/**
 * SPL's lexical rules as data: one table for search-command values, one for eval (`where`)
 * strings and field names, one for `like` patterns.
 */
import type { Part } from "../../ir/query.js";

/** Inside a double-quoted search or eval string, only `\` and `"` need a backslash. */
export function quoteSpl(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Field names the search command takes bare; anything else is refused rather than guessed. */
export const SEARCH_FIELD = /^[A-Za-z_][A-Za-z0-9_.:@-]*$/;

/**
 * Eval treats `.` and `-` as operators, so such field names are single-quoted (`'process.name'`).
 * Eval has no escape for `'` inside a quoted name.
 */
export function evalField(name: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  return name.includes("'") ? undefined : `'${name}'`;
}

/**
 * A search-command value: `*` is the only wildcard and cannot be escaped, so a literal `*` or a
 * one-character wildcard can only be widened to `*`. `exact` says whether that happened.
 */
export function searchValue(parts: readonly Part[]): { text: string; exact: boolean } {
  let text = "";
  let exact = true;
  for (const p of parts) {
    switch (p.kind) {
      case "any":
        text += "*";
        break;
      case "one":
        text += "*";
        exact = false;
        break;
      case "text":
        if (p.value.includes("*")) exact = false;
        text += p.value;
        break;
    }
  }
  return { text: quoteSpl(text), exact };
}

/**
 * A `like()` pattern: `%` any run, `_` one character. Splunk documents no escape for a literal
 * `%` or `_`, nor whether a backslash escapes in like patterns; text with any of `% _ \` returns
 * undefined and callers use `match()` with an anchored regex, whose escaping is certain.
 */
export function likePattern(parts: readonly Part[], lower: boolean): string | undefined {
  let out = "";
  for (const p of parts) {
    if (p.kind === "any") out += "%";
    else if (p.kind === "one") out += "_";
    else {
      if (/[%_\\]/.test(p.value)) return undefined;
      out += lower ? p.value.toLowerCase() : p.value;
    }
  }
  return quoteSpl(out);
}

/**
 * An anchored PCRE for `match()`: the whole value must match, as a Sigma/EQL pattern means. `\z`, not
 * `$`, which PCRE also holds before a final newline.
 */
export function anchoredRegex(parts: readonly Part[]): string {
  return `^${regexBody(parts)}\\z`;
}

/** The pattern as a PCRE that matches it anywhere (wildcards take newlines too). */
export function regexBody(parts: readonly Part[]): string {
  let re = "";
  for (const p of parts) {
    if (p.kind === "any") re += "[\\s\\S]*";
    else if (p.kind === "one") re += "[\\s\\S]";
    else re += p.value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return re;
}
