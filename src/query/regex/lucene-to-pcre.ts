/**
 * Lucene regular expressions (EQL `regex`, Lucene `/re/`) as PCRE, for targets that only speak
 * PCRE (Sigma `re`, SPL `match()`). Lucene matches the whole value, `.` includes newlines, and
 * `^`/`$` are not anchors; so the translation anchors the pattern (`\z`, not `$`, which PCRE also
 * matches before a final newline) and turns on dot-all. `@` (any
 * string) is `(?:.*)` under dot-all. Operators Lucene has and PCRE lacks (`& ~ < > #`), quoted literals, and backslash-letter escapes (a
 * literal letter in Lucene, a class in PCRE) are refused rather than approximated.
 */
export type PcreResult = { readonly ok: true; readonly pattern: string } | { readonly ok: false; readonly reason: string };

const REFUSED_OUTSIDE_CLASS = new Set(["&", "~", "<", ">", "#", '"', "^", "$"]);

const QUANTIFIER_START = new Set(["*", "+", "?", "{"]);

export function luceneToPcre(pattern: string): PcreResult {
  let out = "";
  let inClass = false;
  // Lucene reads `* + ? {` where an atom is due (at the start, after `(` or `|`) as that character,
  // which PCRE would reject or read as a group's flags (`(?`); after a quantifier they repeat the
  // repetition, which PCRE reads as possessive or lazy, or rejects: refused.
  let state: "atom" | "repeatable" | "repeated" = "atom";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (!inClass && QUANTIFIER_START.has(c)) {
      if (state === "atom") {
        out += `\\${c}`;
        state = "repeatable";
        continue;
      }
      if (state === "repeated") return { ok: false, reason: `\`${c}\` after a quantifier repeats the repetition in Lucene, and is possessive, lazy or an error in PCRE` };
      if (c === "{") {
        const m = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i, i + 40));
        if (!m) return { ok: false, reason: "a malformed `{n,m}` repetition" };
        out += m[0];
        i += m[0].length - 1;
      } else out += c;
      state = "repeated";
      continue;
    }
    if (!inClass) state = c === "(" || c === "|" ? "atom" : "repeatable";
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) return { ok: false, reason: "the pattern ends with a lone backslash" };
      if (/[A-Za-z0-9]/.test(next)) {
        return { ok: false, reason: `\`\\${next}\` is the letter ${next} in Lucene but a class or escape in PCRE` };
      }
      out += `\\${next}`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      continue;
    }
    if (c === "@") {
      // Lucene's "any string" (its default syntax flags, which ES|QL's RLIKE keeps); `.` takes any character under `(?s)`.
      out += "(?:.*)";
      continue;
    }
    if (REFUSED_OUTSIDE_CLASS.has(c)) return { ok: false, reason: `\`${c}\` means something else in Lucene and PCRE` };
    out += c;
  }
  if (inClass) return { ok: false, reason: "an unclosed character class" };
  return { ok: true, pattern: `(?s)^(?:${out})\\z` };
}
