/**
 * Regex dialects translated to JS RegExp. A construct JS cannot express with the same meaning is
 * refused with a reason instead of being approximated: a widened or narrowed match would make an
 * evaluation result wrong without saying so.
 *
 * - `pcre` (Sigma `|re`, EQL `regex`): unanchored search, like PCRE's default. Leading inline
 *   flags `(?i)`, `(?m)`, `(?s)` become RegExp flags; `(?P<n>...)` becomes `(?<n>...)`; `\A`, `\z`,
 *   `\Z`, `\Q...\E`, `\x{HH}`, POSIX classes `[[:alpha:]]` are rewritten; an atomic group `(?>x)` is
 *   `(?=(?<n>x))\k<n>` (a look-ahead's first match, taken whole). Refused: possessive
 *   quantifiers, recursion, conditionals, scoped or mid-pattern inline flags, `\G`,
 *   `\K`, `\R`, `\X`, `\h`, `\v`, `\p{..}`, `\g`. PCRE's `$` holds at the end and before a
 *   final newline, as in PCRE. `\s` is PCRE's six ASCII spaces (JS's `\s` also takes Unicode ones).
 * - `lucene` (KQL/Lucene `/re/`): anchored on the whole value; `.` `?` `+` `*` `{n,m}` `|` `()`
 *   `[]` `"quoted"` `\x` (escaped literal) and `@` (any string) are translated. Refused: `~` `&`
 *   `<n-m>` `#` (optional operators with no JS form) and `\d \s \w` (their meaning differs across
 *   Lucene versions: a literal letter in older ones, a class in 9.x).
 */

export type RegexResult = { readonly ok: true; readonly re: RegExp } | { readonly ok: false; readonly reason: string };

export interface RegexFlags {
  readonly caseSensitive: boolean;
  readonly multiline?: boolean;
  readonly dotAll?: boolean;
}

const POSIX: Readonly<Record<string, string>> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\r\\n\\v\\f",
  xdigit: "0-9A-Fa-f",
  word: "\\w",
  punct: "!-\\/:-@\\[-`{-~",
};

const REFUSED_PCRE_ESCAPES = "GKRXChHvVpPgNo";

function fail(reason: string): RegexResult {
  return { ok: false, reason };
}

export function translatePcre(pattern: string, flags: RegexFlags): RegexResult {
  let i = 0;
  let f = (flags.caseSensitive ? "" : "i") + (flags.multiline ? "m" : "") + (flags.dotAll ? "s" : "");
  const lead = /^\(\?([imsx]+)\)/.exec(pattern);
  if (lead) {
    if (lead[1]!.includes("x")) return fail("PCRE extended mode (?x) is not supported");
    for (const c of lead[1]!) if (!f.includes(c)) f += c;
    i = lead[0].length;
  }
  let out = "";
  let lastWasQuantifier = false;
  /** What each open group closes with: `)`, or an atomic group's emulation. */
  const closers: string[] = [];
  let atomics = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      const r = pcreEscape(pattern, i, false);
      if (!r.ok) return fail(r.reason);
      out += r.text;
      i = r.next;
      lastWasQuantifier = false;
      continue;
    }
    if (c === "[") {
      const r = pcreClass(pattern, i);
      if (!r.ok) return fail(r.reason);
      out += r.text;
      i = r.next;
      lastWasQuantifier = false;
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith("#")) {
        const close = pattern.indexOf(")", i);
        if (close < 0) return fail("unterminated (?# comment");
        i = close + 1;
        continue;
      }
      if (rest.startsWith("P<")) {
        out += "(?<";
        closers.push(")");
        i += 4;
        continue;
      }
      if (rest.startsWith(">")) {
        // Atomic: what a look-ahead matched first, taken whole. Its named group would renumber the
        // groups after it, so a numbered back-reference is refused beside one.
        if (/\\[1-9]/.test(pattern)) return fail("a PCRE atomic group beside a numbered back-reference has no JS equivalent here");
        const name = `pcreAtomic${++atomics}`;
        out += `(?:(?=(?<${name}>`;
        closers.push(`))\\k<${name}>)`);
        i += 3;
        lastWasQuantifier = false;
        continue;
      }
      const named = /^P=(\w+)\)/.exec(rest);
      if (named) {
        out += `\\k<${named[1]}>`;
        i += 2 + named[0].length;
        continue;
      }
      if (/^(?::|=|!|<=|<!|<\w)/.test(rest)) {
        out += "(?";
        closers.push(")");
        i += 2;
        continue;
      }
      return fail(`PCRE group "(?${rest.slice(0, 2)}" (atomic, recursion, conditional or inline flags) has no JS equivalent`);
    }
    if (c === "+" && lastWasQuantifier) {
      return fail("PCRE possessive quantifier has no JS equivalent");
    }
    if (c === "(") closers.push(")");
    if (c === ")") {
      out += closers.pop() ?? ")";
      lastWasQuantifier = false;
      i++;
      continue;
    }
    if (c === "$" && !f.includes("m")) {
      // PCRE's `$` also holds before a final newline; JS's (without `m`) only at the end.
      out += END_OR_FINAL_NEWLINE;
      lastWasQuantifier = false;
      i++;
      continue;
    }
    out += c;
    const isQuant = c === "*" || c === "+" || c === "?" || c === "}";
    // `a*?` is lazy (fine in JS); `a*+` is possessive (refused above).
    lastWasQuantifier = isQuant && !(c === "?" && lastWasQuantifier);
    i++;
  }
  try {
    return { ok: true, re: new RegExp(out, f) };
  } catch (e) {
    return fail(`invalid regular expression: ${(e as Error).message}`);
  }
}

type Step = { ok: true; text: string; next: number } | { ok: false; reason: string };

/** PCRE's `$` (without `m`) and `\Z`: at the end, or before a final newline. */
const END_OR_FINAL_NEWLINE = "(?=\\n?(?![\\s\\S]))";

/** PCRE's `\s` without Unicode properties: these six, where JS's `\s` adds Unicode spaces. */
const PCRE_SPACE = "\\t\\n\\v\\f\\r ";

function pcreEscape(p: string, i: number, inClass: boolean): Step {
  const e = p[i + 1];
  if (e === undefined) return { ok: false, reason: "pattern ends with a backslash" };
  switch (e) {
    case "s":
      return { ok: true, text: inClass ? PCRE_SPACE : `[${PCRE_SPACE}]`, next: i + 2 };
    case "S":
      // In a class, as the ranges around the six (`[\s\S]` is any character).
      return { ok: true, text: inClass ? "\\x00-\\x08\\x0e-\\x1f\\x21-\\uffff" : `[^${PCRE_SPACE}]`, next: i + 2 };
    case "A":
      return { ok: true, text: "(?<![\\s\\S])", next: i + 2 };
    case "z":
      return { ok: true, text: "(?![\\s\\S])", next: i + 2 };
    case "Z":
      return { ok: true, text: END_OR_FINAL_NEWLINE, next: i + 2 };
    case "e":
      return { ok: true, text: "\\x1b", next: i + 2 };
    case "a":
      return { ok: true, text: "\\x07", next: i + 2 };
    case "Q": {
      const end = p.indexOf("\\E", i + 2);
      const lit = p.slice(i + 2, end < 0 ? p.length : end);
      return { ok: true, text: lit.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"), next: end < 0 ? p.length : end + 2 };
    }
    case "x": {
      const m = /^\{([0-9a-fA-F]{1,4})\}/.exec(p.slice(i + 2));
      if (m) return { ok: true, text: `\\u${m[1]!.padStart(4, "0")}`, next: i + 2 + m[0].length };
      if (p[i + 2] === "{") return { ok: false, reason: "\\x{...} beyond U+FFFF is not supported" };
      return { ok: true, text: "\\x", next: i + 2 };
    }
    default:
      if (REFUSED_PCRE_ESCAPES.includes(e)) return { ok: false, reason: `PCRE escape \\${e} has no JS equivalent` };
      return { ok: true, text: `\\${e}`, next: i + 2 };
  }
}

function pcreClass(p: string, start: number): Step {
  let i = start + 1;
  let out = "[";
  if (p[i] === "^") {
    out += "^";
    i++;
  }
  if (p[i] === "]") {
    out += "\\]"; // PCRE: a leading `]` is literal; in JS `[]` is the empty class
    i++;
  }
  while (i < p.length && p[i] !== "]") {
    if (p.startsWith("[:", i)) {
      const m = /^\[:(\^?)(\w+):\]/.exec(p.slice(i));
      if (!m) return { ok: false, reason: "malformed POSIX class" };
      const body = POSIX[m[2]!];
      if (body === undefined || m[1]) return { ok: false, reason: `POSIX class [:${m[1]}${m[2]}:] is not supported` };
      out += body;
      i += m[0].length;
      continue;
    }
    if (p[i] === "\\") {
      const r = pcreEscape(p, i, true);
      if (!r.ok) return r;
      out += r.text;
      i = r.next;
      continue;
    }
    out += p[i] === "[" ? "\\[" : p[i];
    i++;
  }
  if (i >= p.length) return { ok: false, reason: "unterminated character class" };
  return { ok: true, text: out + "]", next: i + 1 };
}

const JS_SYNTAX = /[\\^$.*+?()[\]{}|/]/;

function lit(c: string): string {
  return JS_SYNTAX.test(c) ? `\\${c}` : c;
}

function classLit(c: string): string {
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}

/** Where a Lucene pattern is: before an atom, after something a quantifier repeats, or after a quantifier. */
type RepeatState = "atom" | "repeatable" | "repeated";

export function translateLucene(pattern: string, flags: RegexFlags): RegexResult {
  let out = "";
  let i = 0;
  const cps = Array.from(pattern);
  // Lucene reads `* + ? {` where an atom is due (at the start, after `(` or `|`) as that
  // character; after a repetition they repeat it again, which JS rejects: refused by name.
  let state: RepeatState = "atom";
  while (i < cps.length) {
    const c = cps[i]!;
    const before = state;
    state = "repeatable";
    if ((c === "*" || c === "+" || c === "?" || c === "{") && before === "atom") {
      out += lit(c);
      i++;
      continue;
    }
    if ((c === "*" || c === "+" || c === "?" || c === "{") && before === "repeated") return fail(`a repetition of a repetition (\`${c}\` after a quantifier) in Lucene regex`);
    switch (c) {
      case "\\": {
        const e = cps[i + 1];
        if (e === undefined) return fail("Lucene regex ends with a backslash");
        if ("dDsSwW".includes(e)) return fail(`Lucene \\${e}: a class in Lucene 9, a literal letter before; refused as ambiguous`);
        out += lit(e);
        i += 2;
        break;
      }
      case '"': {
        const end = cps.indexOf('"', i + 1);
        if (end < 0) return fail("unterminated quoted string in Lucene regex");
        out += cps.slice(i + 1, end).map(lit).join("");
        i = end + 1;
        break;
      }
      case ".":
        out += "[\\s\\S]";
        i++;
        break;
      case "@":
        out += "(?:[\\s\\S]*)"; // a group: a quantifier after `@` repeats it
        i++;
        break;
      case "(":
        out += "(?:";
        i++;
        state = "atom";
        break;
      case "|":
        out += c;
        i++;
        state = "atom";
        break;
      case "*":
      case "+":
      case "?":
        out += c;
        i++;
        state = "repeated";
        break;
      case ")":
        out += c;
        i++;
        break;
      case "{": {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(cps.slice(i, i + 40).join(""));
        if (!m) return fail("malformed {n,m} repetition in Lucene regex");
        out += m[0];
        i += m[0].length;
        state = "repeated";
        break;
      }
      case "[": {
        let j = i + 1;
        let cls = "[";
        if (cps[j] === "^") {
          cls += "^";
          j++;
        }
        while (j < cps.length && cps[j] !== "]") {
          const d = cps[j]!;
          if (d === "\\") {
            const e = cps[j + 1];
            if (e === undefined) return fail("unterminated character class in Lucene regex");
            cls += classLit(e);
            j += 2;
          } else if (d === "-" && cls !== "[" && cls !== "[^" && cps[j + 1] !== "]") {
            cls += "-";
            j++;
          } else {
            cls += classLit(d);
            j++;
          }
        }
        if (j >= cps.length) return fail("unterminated character class in Lucene regex");
        out += cls + "]";
        i = j + 1;
        break;
      }
      case "~":
      case "&":
      case "<":
      case "#":
        return fail(`Lucene regex operator "${c}" (complement, intersection, numeric range, empty) is not translated`);
      default:
        out += lit(c);
        i++;
    }
  }
  try {
    return { ok: true, re: new RegExp(`^(?:${out})$`, flags.caseSensitive ? "u" : "iu") };
  } catch (e) {
    return fail(`invalid Lucene regular expression: ${(e as Error).message}`);
  }
}
