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
      const open = classOpening(pattern, i);
      out += open.text;
      i = open.last;
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

/**
 * ES|QL's `RLIKE` is a Lucene regex of Lucene 9 or later (ES|QL came with Elasticsearch 8.11), where
 * `\d \D \s \S \w \W` are classes (Lucene `RegExp.expandPreDefined`: `\d` = `[0-9]`, `\s` = tab,
 * line feed, carriage return and space, `\w` = `[0-9A-Z_a-z]`); in older Lucene they were the
 * letters, so the IR's Lucene dialect takes them as ambiguous. This spells them out as the classes
 * they are in ES|QL. On a value folded to one case (`TO_LOWER(f) RLIKE`), `\w` names that case's
 * letters only (the value has no others), so that the pattern still names no letter of the other
 * case. Undefined when a negated shorthand (`\D \S \W`) stands inside a class, which Lucene's class
 * syntax cannot spell; the pattern is then kept as written.
 */
export function expandEsqlShorthands(pattern: string, fold: "none" | "lower" | "upper"): string | undefined {
  if (!/\\[dDsSwW]/.test(pattern)) return pattern;
  const word = fold === "upper" ? "0-9A-Z_" : fold === "lower" ? "0-9_a-z" : "0-9A-Z_a-z";
  const space = "\t-\n\r ";
  const inside: Record<string, string> = { d: "0-9", s: space, w: word };
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) return undefined;
      i++;
      const lower = n.toLowerCase();
      if (!"dsw".includes(lower) || !/[dDsSwW]/.test(n)) {
        out += c + n;
        continue;
      }
      const set = inside[lower]!;
      if (inClass) {
        if (n !== lower) return undefined;
        out += set;
      } else out += n === lower ? `[${set}]` : `[^${set}]`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === '"') {
      // A quoted string is literal up to the next quote.
      const end = pattern.indexOf('"', i + 1);
      if (end < 0) return undefined;
      out += pattern.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === "[") {
      inClass = true;
      const open = classOpening(pattern, i);
      out += open.text;
      i = open.last;
      continue;
    }
    out += c;
  }
  return out;
}

/** The opening of the class at `start` (`[`, `[^`, and a first `]`, which is a literal there) and the index of its last character. */
function classOpening(pattern: string, start: number): { text: string; last: number } {
  let last = start;
  if (pattern[last + 1] === "^") last++;
  if (pattern[last + 1] === "]") last++;
  return { text: pattern.slice(start, last + 1), last };
}
