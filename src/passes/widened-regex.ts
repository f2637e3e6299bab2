/**
 * A Lucene regular expression on a field that is one part of another field, as a regular
 * expression on the whole (ECS → Sigma). A Lucene regex matches a whole value (EQL `regex`), so a
 * regex R on one argument is a command line with a substring R matches (`.*(R).*`), on a file name a
 * path whose last component R matches (`(.*\\)?(R)`), on an extension a path ending in a dot and R.
 * Each matches every value the original matched (the part is in the whole, where it was cut from),
 * and more where R can also match across an argument's or a name's boundary: a widening, never a
 * narrowing, so it is sound only where a match counts for the rule (not under a NOT).
 *
 * A PCRE pattern (Sigma `|re`) searches anywhere in the value, and its anchors (`^`, `$`, `\b`, …)
 * would move from the part's edges to the whole's: it is not rewritten.
 */
import type { ValueTransform } from "../mapping/mapping-table.js";

/** The whole-field pattern for `pattern` on the part, or undefined when the transform has none. */
export function widenedRegex(transform: ValueTransform, pattern: string, separators: readonly string[]): string | undefined {
  switch (transform) {
    case "contains-token":
      return `.*(${pattern}).*`;
    case "basename": {
      // A path without a separator is its own name (the optional group).
      const sep = separators.length === 1 ? SEPARATOR[separators[0]!] : `[${separators.map((s) => SEPARATOR[s]).join("")}]`;
      return sep === undefined ? undefined : `(.*${sep})?(${pattern})`;
    }
    case "extension":
      return `.*\\.(${pattern})`;
    default:
      return undefined;
  }
}

/** A path separator as a Lucene regex literal (a backslash is escaped; a slash is no operator). */
const SEPARATOR: Readonly<Record<string, string>> = { "\\": "\\\\", "/": "/" };
