/**
 * A Lucene regex for a lower-cased value: `TO_LOWER(f) RLIKE lowerRegex(r)` matches what `r`
 * matches ignoring case. Letters become lower case outside and inside classes (`[A-Z]` → `[a-z]`,
 * which on a lower-cased value excludes or includes both cases, as a case-insensitive class does);
 * the shorthand classes `\d \s \w` and their negations keep their case. Undefined for what cannot
 * be lowered that way: a range mixing letters of both cases or letters and other characters.
 */
export function lowerRegex(pattern: string): string | undefined {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) return undefined;
      out += /[dswDSW]/.test(n) ? c + n : c + n.toLowerCase();
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (pattern[i + 1] === "-" && pattern[i + 2] !== undefined && pattern[i + 2] !== "]") {
        const to = pattern[i + 2]!;
        const range = lowerRange(c, to);
        if (range === undefined) return undefined;
        out += range;
        i += 2;
        continue;
      }
      out += c.toLowerCase();
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A `]` first in a class is a literal.
      if (pattern[i + 1] === "]") {
        out += "]";
        i++;
      }
      continue;
    }
    out += c.toLowerCase();
  }
  return out;
}

function lowerRange(from: string, to: string): string | undefined {
  const letters = /\p{L}/u;
  if (!letters.test(from) && !letters.test(to)) {
    // No letter at either end: letters inside (`[!-~]` holds A-Z) would change meaning.
    const lo = from.codePointAt(0) ?? 0;
    const hi = to.codePointAt(0) ?? 0;
    const holdsLetters = [..."AZaz"].some((l) => (l.codePointAt(0) ?? 0) >= lo && (l.codePointAt(0) ?? 0) <= hi) || hi > 0x7f;
    return holdsLetters ? undefined : `${from}-${to}`;
  }
  if (/^[A-Z]$/.test(from) && /^[A-Z]$/.test(to)) return `${from.toLowerCase()}-${to.toLowerCase()}`;
  if (/^[a-z]$/.test(from) && /^[a-z]$/.test(to)) return `${from}-${to}`;
  return undefined;
}
