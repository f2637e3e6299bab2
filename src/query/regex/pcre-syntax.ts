/**
 * A PCRE pattern (Sigma `re`) read into a small tree, for the Lucene translation. Atoms carry their
 * Lucene spelling and which kinds of character they can match (word `[A-Za-z0-9_]` or not), so
 * zero-width assertions next to them can be decided. What Lucene cannot say is refused while
 * reading, with the reason.
 */
import { LUCENE_REGEX_OPERATORS, luceneRegexLiteral } from "../lucene/lucene-escape.js";

export type PcreNode =
  | { readonly kind: "seq"; readonly items: readonly PcreNode[] }
  | { readonly kind: "alt"; readonly branches: readonly PcreNode[] }
  | { readonly kind: "group"; readonly body: PcreNode }
  | { readonly kind: "repeat"; readonly body: PcreNode; readonly min: number; readonly max: number; readonly text: string }
  | { readonly kind: "atom"; readonly lucene: string; readonly chars: CharKinds }
  | { readonly kind: "start" }
  /** `$` (the end, or before a final newline), or `\z` (`strict`: the very end). */
  | { readonly kind: "end"; readonly strict?: boolean }
  | { readonly kind: "boundary"; readonly negated: boolean };

/** Which kinds of character a piece can match at one position. */
export interface CharKinds {
  readonly word: boolean;
  readonly other: boolean;
}

export type PcreParse = { readonly ok: true; readonly node: PcreNode } | { readonly ok: false; readonly reason: string };

const CLASS_ESCAPES: Readonly<Record<string, string>> = { d: "0-9", w: "a-zA-Z0-9_", s: " \t\n\r\f\v" };
const OUTSIDE_CLASS: Readonly<Record<string, { lucene: string; chars: CharKinds }>> = {
  d: { lucene: "[0-9]", chars: { word: true, other: false } },
  D: { lucene: "[^0-9]", chars: { word: true, other: true } },
  w: { lucene: "[a-zA-Z0-9_]", chars: { word: true, other: false } },
  W: { lucene: "[^a-zA-Z0-9_]", chars: { word: false, other: true } },
  s: { lucene: "[ \t\n\r\f\v]", chars: { word: false, other: true } },
  S: { lucene: "[^ \t\n\r\f\v]", chars: { word: true, other: true } },
  t: { lucene: "\t", chars: { word: false, other: true } },
  n: { lucene: "\n", chars: { word: false, other: true } },
  r: { lucene: "\r", chars: { word: false, other: true } },
};
const WORD = /^[A-Za-z0-9_]$/;
/** Every ASCII character and one beyond, to learn what a class can match (PCRE `\w` is ASCII). */
const PROBES = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), "é"];

class Refusal {
  constructor(readonly reason: string) {}
}

/** `dotAll`: the pattern runs under `(?s)`, where `.` takes a newline too. */
export function parsePcre(pattern: string, dotAll = false): PcreParse {
  const reader = new Reader(pattern, dotAll);
  try {
    const node = reader.alternation();
    if (reader.i < pattern.length) throw new Refusal("an unbalanced `)`");
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    throw e;
  }
}

/** Groups nested deeper than this are refused: the reader and the passes recurse per level. */
const MAX_GROUP_NESTING = 100;

class Reader {
  i = 0;
  private depth = 0;
  constructor(
    private readonly p: string,
    private readonly dotAll: boolean,
  ) {}

  alternation(): PcreNode {
    const branches = [this.sequence()];
    while (this.p[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { kind: "alt", branches };
  }

  private sequence(): PcreNode {
    const items: PcreNode[] = [];
    while (this.i < this.p.length && this.p[this.i] !== "|" && this.p[this.i] !== ")") {
      const piece = this.piece();
      items.push(this.quantified(piece));
    }
    return items.length === 1 ? items[0]! : { kind: "seq", items };
  }

  private quantified(body: PcreNode): PcreNode {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    let text: string;
    if (c === "*" || c === "+" || c === "?") {
      [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
      text = c;
      this.i++;
    } else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) {
        // PCRE reads a `{` that starts no repetition as itself.
        return body;
      }
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      text = m[0];
      this.i += m[0].length;
    } else return body;
    // Laziness changes which text a match covers, never whether there is one: drop it.
    // A possessive quantifier can make a match fail, so it is refused.
    if (this.p[this.i] === "+") throw new Refusal("possessive quantifiers have no Lucene form");
    if (this.p[this.i] === "?") this.i++;
    if (body.kind === "start" || body.kind === "end" || body.kind === "boundary") throw new Refusal("a repeated anchor has no Lucene form");
    return { kind: "repeat", body, min, max, text };
  }

  private piece(): PcreNode {
    const c = this.p[this.i]!;
    const next = this.p[this.i + 1];
    switch (c) {
      case "\\":
        return this.escape();
      case "[":
        return this.charClass();
      case "(": {
        if (next === "?") {
          if (this.p[this.i + 2] !== ":") throw new Refusal("lookarounds, named groups and inline flags have no Lucene form");
          this.i += 3;
        } else this.i++;
        if (++this.depth > MAX_GROUP_NESTING) throw new Refusal(`groups nested more than ${MAX_GROUP_NESTING} deep`);
        const body = this.alternation();
        this.depth--;
        if (this.p[this.i] !== ")") throw new Refusal("an unclosed group");
        this.i++;
        return { kind: "group", body };
      }
      case "^":
        this.i++;
        return { kind: "start" };
      case "$":
        this.i++;
        return { kind: "end" };
      case ".":
        this.i++;
        return { kind: "atom", lucene: this.dotAll ? "." : "[^\n]", chars: { word: true, other: true } };
      case "*":
      case "+":
      case "?":
        throw new Refusal(`\`${c}\` repeats nothing`);
      default:
        this.i++;
        return literal(c);
    }
  }

  private escape(): PcreNode {
    const next = this.p[this.i + 1];
    if (next === undefined) throw new Refusal("the pattern ends with a lone backslash");
    this.i += 2;
    if (next === "b" || next === "B") return { kind: "boundary", negated: next === "B" };
    // The value's very start and end (`\Z` is `$`: before a final newline too).
    if (next === "A") return { kind: "start" };
    if (next === "z" || next === "Z") return next === "z" ? { kind: "end", strict: true } : { kind: "end" };
    const named = OUTSIDE_CLASS[next];
    if (named) return { kind: "atom", ...named };
    if (/[A-Za-z0-9]/.test(next)) throw new Refusal(`\`\\${next}\` (a back-reference or class) has no Lucene form`);
    return { kind: "atom", lucene: `\\${next}`, chars: kindsOf(next) };
  }

  private charClass(): PcreNode {
    const begin = this.i;
    let out = "[";
    this.i++;
    if (this.p[this.i] === "^") {
      out += "^";
      this.i++;
    }
    if (this.p[this.i] === "]") {
      out += "\\]";
      this.i++;
    }
    for (;;) {
      const c = this.p[this.i];
      if (c === undefined) throw new Refusal("an unclosed character class");
      this.i++;
      if (c === "]") break;
      if (c === "[" && this.p[this.i] === ":") throw new Refusal("POSIX classes have no Lucene form");
      if (c === "\\") {
        const e = this.p[this.i];
        if (e === undefined) throw new Refusal("the pattern ends with a lone backslash");
        this.i++;
        if (CLASS_ESCAPES[e]) out += CLASS_ESCAPES[e];
        else if (/[A-Za-z0-9]/.test(e) && !"tnr".includes(e)) throw new Refusal(`\`\\${e}\` inside a class has no Lucene form`);
        else out += e === "t" ? "\t" : e === "n" ? "\n" : e === "r" ? "\r" : `\\${e}`;
        continue;
      }
      // Inside a class PCRE reads Lucene's operators as themselves.
      out += LUCENE_REGEX_OPERATORS.has(c) ? `\\${c}` : c;
    }
    return { kind: "atom", lucene: out + "]", chars: classKinds(this.p.slice(begin, this.i)) };
  }
}

/** A character PCRE reads as itself (Lucene operators, braces and `]` included), escaped for Lucene. */
function literal(c: string): PcreNode {
  return { kind: "atom", lucene: luceneRegexLiteral(c), chars: kindsOf(c) };
}

function kindsOf(c: string): CharKinds {
  const word = WORD.test(c);
  return { word, other: !word };
}

/** The kinds a PCRE class can match, learnt by running it (JS reads these classes as PCRE does). */
function classKinds(pcreClass: string): CharKinds {
  let re: RegExp;
  try {
    re = new RegExp(`^${pcreClass}$`);
  } catch {
    return { word: true, other: true };
  }
  let word = false;
  let other = false;
  for (const ch of PROBES) {
    if (!re.test(ch)) continue;
    if (WORD.test(ch)) word = true;
    else other = true;
  }
  return { word, other };
}
