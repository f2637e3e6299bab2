/**
 * PCRE (Sigma `re`) as a Lucene regular expression (EQL `regex`, KQL has none). PCRE searches
 * anywhere in the value and `.` stops at a newline; Lucene matches the whole value, `.` takes any
 * character, and `@ & ~ < > # "` are operators. So the translation wraps the pattern in `.*( … ).*`
 * (or drops a side when the pattern is anchored there), writes `.` as `[^\n]`, escapes Lucene's
 * operators, spells `\d \w \s` as classes, and refuses what Lucene cannot say (lookarounds,
 * back-references, word boundaries, possessive quantifiers, inline flags other than a leading
 * `(?i)`, mid-pattern anchors) rather than approximate it.
 */
export type LuceneResult =
  | { readonly ok: true; readonly pattern: string; /** a leading `(?i)` asked for it */ readonly caseInsensitive: boolean }
  | { readonly ok: false; readonly reason: string };

const CLASS_ESCAPES: Readonly<Record<string, string>> = {
  d: "0-9",
  w: "a-zA-Z0-9_",
  s: " \t\n\r\f\v",
};
const OUTSIDE_CLASS: Readonly<Record<string, string>> = {
  d: "[0-9]",
  D: "[^0-9]",
  w: "[a-zA-Z0-9_]",
  W: "[^a-zA-Z0-9_]",
  s: "[ \t\n\r\f\v]",
  S: "[^ \t\n\r\f\v]",
  t: "\t",
  n: "\n",
  r: "\r",
};
/** Characters Lucene reads as operators that PCRE reads as themselves. */
const LUCENE_OPERATORS = new Set(["@", "&", "~", "<", ">", "#", '"']);

export function pcreToLucene(pattern: string): LuceneResult {
  const fail = (reason: string): LuceneResult => ({ ok: false, reason });
  let p = pattern;
  // A leading `(?i)` is the case flag, which Lucene spells with `regex~`.
  const caseInsensitive = p.startsWith("(?i)");
  if (caseInsensitive) p = p.slice(4);
  const start = p.startsWith("^");
  if (start) p = p.slice(1);
  const end = p.endsWith("$") && !p.endsWith("\\$");
  if (end) p = p.slice(0, -1);
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const next = p[i + 1];
    if (c === "\\") {
      if (next === undefined) return fail("the pattern ends with a lone backslash");
      i++;
      if (inClass) {
        if (CLASS_ESCAPES[next]) out += CLASS_ESCAPES[next];
        else if (/[A-Za-z0-9]/.test(next) && !"tnr".includes(next)) return fail(`\`\\${next}\` inside a class has no Lucene form`);
        else out += next === "t" ? "\t" : next === "n" ? "\n" : next === "r" ? "\r" : `\\${next}`;
        continue;
      }
      if (OUTSIDE_CLASS[next]) out += OUTSIDE_CLASS[next];
      else if (/[A-Za-z0-9]/.test(next)) return fail(`\`\\${next}\` (a back-reference, boundary or class) has no Lucene form`);
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      if (c === "[" && next === ":") return fail("POSIX classes have no Lucene form");
      out += LUCENE_OPERATORS.has(c) ? `\\${c}` : c;
      continue;
    }
    switch (c) {
      case "[":
        inClass = true;
        out += c;
        if (next === "^") {
          out += "^";
          i++;
        }
        if (p[i + 1] === "]") {
          out += "\\]";
          i++;
        }
        break;
      case "(":
        if (next === "?") {
          if (p[i + 2] === ":") {
            out += "(";
            i += 2;
            break;
          }
          return fail("lookarounds, named groups and inline flags have no Lucene form");
        }
        out += c;
        break;
      case "^":
      case "$":
        return fail("an anchor inside the pattern has no Lucene form");
      case ".":
        out += "[^\n]";
        break;
      case "*":
      case "+":
      case "?":
      case "}":
        // Laziness changes which text a match covers, never whether there is one: drop it.
        // A possessive quantifier can make a match fail, so it is refused.
        if (next === "+") return fail("possessive quantifiers have no Lucene form");
        out += c;
        if (next === "?") i++;
        break;
      default:
        out += LUCENE_OPERATORS.has(c) ? `\\${c}` : c;
    }
  }
  if (inClass) return fail("an unclosed character class");
  return { ok: true, pattern: `${start ? "" : ".*"}(${out})${end ? "" : ".*"}`, caseInsensitive };
}
