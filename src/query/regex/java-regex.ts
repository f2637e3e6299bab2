/**
 * Java regular expressions (ES|QL `REPLACE`, which searches with `java.util.regex`), read into a
 * small token list and written two ways: as PCRE for the IR (`regex` nodes, dialect `pcre`), and as
 * a JS RegExp for the ES|QL evaluator. Only a subset with one meaning in all three is read; anything
 * else is refused with a reason:
 *
 * - Java's `.` stops at every line terminator (`\n \r \u0085 \u2028 \u2029`), PCRE's only at
 *   `\n`: written as the class of everything else;
 * - `\s` is `[ \t\n\x0B\f\r]` in Java and PCRE (JS adds Unicode spaces: spelled out there);
 *   `\d \w` are ASCII in all three;
 * - a leading `(?i)` is Java's default case-insensitivity, which folds ASCII letters only: written
 *   out as `[aA]` classes in both forms (PCRE's caseless matching in UTF mode, and JS's `i` with `u`,
 *   also fold `ſ` to `s` and the Kelvin sign to `k`); a character beyond ASCII under it is refused;
 * - a possessive quantifier (`\w++`) never gives back what it took. The JS form emulates it
 *   (`(?=(?<p>x+))\k<p>`); PCRE for other targets gets the plain greedy quantifier, which is only
 *   the same where what follows can never match a character the repeated one can, so that is
 *   required (`\w++\}`);
 * - refused: `^ $` (Java's `$` also holds before a final line terminator), back-references,
 *   look-behinds, scoped or later inline flags, `\b`, `\p{…}`, `\Q…\E`, octal, hex and Unicode
 *   escapes, class intersections and nested classes.
 */

export type JavaRegexResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

type Range = { readonly lo: number; readonly hi: number };
type ClassItem = Range | { readonly esc: "d" | "w" | "s" | "D" | "W" };

type Tok =
  | { readonly t: "lit"; readonly cp: number }
  | { readonly t: "esc"; readonly e: "d" | "w" | "s" | "D" | "W" | "S" }
  | { readonly t: "dot" }
  | { readonly t: "class"; readonly negated: boolean; readonly items: readonly ClassItem[] }
  | { readonly t: "open"; readonly kind: "(" | "(?:" | "(?=" | "(?!" | "(?>"; readonly name?: string }
  /** `\A`: the start of the value. */
  | { readonly t: "start" }
  | { readonly t: "close" }
  | { readonly t: "alt" }
  | { readonly t: "quant"; readonly text: string; readonly min: number; readonly mode: "greedy" | "lazy" | "possessive" };

interface Parsed {
  readonly toks: readonly Tok[];
  readonly caseInsensitive: boolean;
}

class Refusal {
  constructor(readonly reason: string) {}
}

/** Java's line terminators, where `.` stops. */
const LINE_TERMINATORS = [0x0a, 0x0d, 0x85, 0x2028, 0x2029];
const JAVA_SPACE = [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d];
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, r: 0x0d, f: 0x0c };

function parse(pattern: string): Parsed {
  const cps = Array.from(pattern);
  let i = 0;
  let caseInsensitive = false;
  if (pattern.startsWith("(?i)")) {
    caseInsensitive = true;
    i = 4;
  }
  const toks: Tok[] = [];
  let depth = 0;
  const escape = (inClass: boolean): Tok | ClassItem => {
    const e = cps[i + 1];
    if (e === undefined) throw new Refusal("the pattern ends with a backslash");
    i += 2;
    if (e === "d" || e === "w" || e === "s" || e === "D" || e === "W") return inClass ? { esc: e } : { t: "esc", e };
    if (e === "S") {
      if (inClass) throw new Refusal("`\\S` inside a class is not read");
      return { t: "esc", e };
    }
    if (e === "A" && !inClass) return { t: "start" };
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) return inClass ? { lo: simple, hi: simple } : { t: "lit", cp: simple };
    if (/[A-Za-z0-9]/.test(e)) throw new Refusal(`the escape \`\\${e}\` is not read`);
    const cp = e.codePointAt(0)!;
    return inClass ? { lo: cp, hi: cp } : { t: "lit", cp };
  };
  const classChar = (): ClassItem => {
    if (cps[i] === "\\") return escape(true) as ClassItem;
    const cp = cps[i++]!.codePointAt(0)!;
    return { lo: cp, hi: cp };
  };
  while (i < cps.length) {
    const c = cps[i]!;
    switch (c) {
      case "\\":
        toks.push(escape(false) as Tok);
        continue;
      case ".":
        toks.push({ t: "dot" });
        i++;
        continue;
      case "^":
      case "$":
        throw new Refusal(`the anchor \`${c}\` is not read (Java's \`$\` also holds before a final line terminator)`);
      case "|":
        toks.push({ t: "alt" });
        i++;
        continue;
      case ")":
        if (depth === 0) throw new Refusal("an unbalanced `)`");
        depth--;
        toks.push({ t: "close" });
        i++;
        continue;
      case "(": {
        const rest = cps.slice(i, i + 40).join("");
        const named = /^\(\?<([A-Za-z][A-Za-z0-9]*)>/.exec(rest);
        if (named) {
          toks.push({ t: "open", kind: "(", name: named[1]! });
          i += named[0].length;
        } else if (rest.startsWith("(?:") || rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?>")) {
          toks.push({ t: "open", kind: rest.slice(0, 3) as "(?:" | "(?=" | "(?!" | "(?>" });
          i += 3;
        } else if (rest.startsWith("(?")) {
          throw new Refusal(`the group \`${rest.slice(0, 4)}\` (look-behind, inline flags) is not read`);
        } else {
          toks.push({ t: "open", kind: "(" });
          i++;
        }
        depth++;
        continue;
      }
      case "[": {
        i++;
        let negated = false;
        if (cps[i] === "^") {
          negated = true;
          i++;
        }
        if (cps[i] === "]") throw new Refusal("a class that starts with `]` is not read");
        const items: ClassItem[] = [];
        while (i < cps.length && cps[i] !== "]") {
          if (cps[i] === "[" || (cps[i] === "&" && cps[i + 1] === "&")) throw new Refusal("nested classes and class intersections are not read");
          const item = classChar();
          if ("lo" in item && cps[i] === "-" && cps[i + 1] !== undefined && cps[i + 1] !== "]") {
            i++;
            const end = classChar();
            if (!("lo" in end) || end.lo < item.lo) throw new Refusal("a class range that is not a range of two characters");
            items.push({ lo: item.lo, hi: end.lo });
            continue;
          }
          items.push(item);
        }
        if (cps[i] !== "]") throw new Refusal("an unterminated class");
        i++;
        toks.push({ t: "class", negated, items });
        continue;
      }
      case "*":
      case "+":
      case "?":
      case "{": {
        let text: string = c;
        let min = c === "+" ? 1 : 0;
        if (c === "{") {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(cps.slice(i, i + 24).join(""));
          if (!m) throw new Refusal("a `{` that is not a repetition");
          text = m[0];
          min = Number(m[1]);
          if (m[3] !== undefined && m[3] !== "" && Number(m[3]) < min) throw new Refusal("a repetition whose maximum is below its minimum");
        }
        i += Array.from(text).length;
        const prev = toks[toks.length - 1];
        if (prev === undefined || prev.t === "alt" || prev.t === "open" || prev.t === "quant" || prev.t === "start") throw new Refusal("a quantifier with nothing to repeat");
        const mode = cps[i] === "?" ? "lazy" : cps[i] === "+" ? "possessive" : "greedy";
        if (mode !== "greedy") i++;
        toks.push({ t: "quant", text, min, mode });
        continue;
      }
      default:
        toks.push({ t: "lit", cp: c.codePointAt(0)! });
        i++;
    }
  }
  if (depth !== 0) throw new Refusal("an unbalanced `(`");
  // Java's `(?i)` folds ASCII letters only; other targets fold `é` and `É` too.
  const beyondAscii = (t: Tok) => (t.t === "lit" && t.cp > 0x7f) || (t.t === "class" && t.items.some((i) => "hi" in i && i.hi > 0x7f));
  if (caseInsensitive && toks.some(beyondAscii)) throw new Refusal("a character beyond ASCII under `(?i)`, which Java matches in its case only");
  return { toks, caseInsensitive };
}

// ---- JS -------------------------------------------------------------------------------------------

const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));

function jsChar(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  if (inClass) return /[\\\]\[^-]/.test(c) ? `\\${c}` : cp < 0x20 || cp === 0x7f ? `\\u${cp.toString(16).padStart(4, "0")}` : c;
  if (JS_SYNTAX.has(c)) return `\\${c}`;
  return cp < 0x20 || cp === 0x7f ? `\\u${cp.toString(16).padStart(4, "0")}` : c;
}

const isLetter = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);

/** The ASCII letters of a range in the other case (Java's default case-insensitivity). */
function otherCase(r: Range): Range[] {
  const out: Range[] = [];
  const lower = { lo: Math.max(r.lo, 0x61), hi: Math.min(r.hi, 0x7a) };
  const upper = { lo: Math.max(r.lo, 0x41), hi: Math.min(r.hi, 0x5a) };
  if (lower.lo <= lower.hi) out.push({ lo: lower.lo - 32, hi: lower.hi - 32 });
  if (upper.lo <= upper.hi) out.push({ lo: upper.lo + 32, hi: upper.hi + 32 });
  return out;
}

function jsClassBody(items: readonly ClassItem[], ci: boolean): string {
  let out = "";
  for (const item of items) {
    if ("esc" in item) {
      out += item.esc === "s" ? JAVA_SPACE.map((c) => jsChar(c, true)).join("") : `\\${item.esc}`;
      continue;
    }
    for (const r of [item, ...(ci ? otherCase(item) : [])]) out += r.lo === r.hi ? jsChar(r.lo, true) : `${jsChar(r.lo, true)}-${jsChar(r.hi, true)}`;
  }
  return out;
}

function jsAtom(tok: Tok, ci: boolean): string {
  switch (tok.t) {
    case "lit":
      return ci && isLetter(tok.cp) ? `[${String.fromCodePoint(tok.cp).toLowerCase()}${String.fromCodePoint(tok.cp).toUpperCase()}]` : jsChar(tok.cp, false);
    case "esc":
      if (tok.e === "s") return `[${jsClassBody([{ esc: "s" }], false)}]`;
      if (tok.e === "S") return `[^${jsClassBody([{ esc: "s" }], false)}]`;
      return `\\${tok.e}`;
    case "dot":
      return `[^${LINE_TERMINATORS.map((c) => `\\u${c.toString(16).padStart(4, "0")}`).join("")}]`;
    case "class":
      return `[${tok.negated ? "^" : ""}${jsClassBody(tok.items, ci)}]`;
    default:
      return "";
  }
}

/** The JS source of the tokens, possessive quantifiers emulated by a look-ahead and a back-reference. */
function toJs(p: Parsed): string {
  let out = "";
  /** Start (in `out`) of the last atom, and of each open group. */
  let lastAtom = 0;
  const opens: { start: number; closer: string }[] = [];
  let possessives = 0;
  let atomics = 0;
  for (const tok of p.toks) {
    switch (tok.t) {
      case "open":
        if (tok.kind === "(?>") {
          // An atomic group: what the look-ahead matched first, taken whole (JS has no atomic group).
          const name = `javaAtomic${++atomics}`;
          opens.push({ start: out.length, closer: `))\\k<${name}>)` });
          out += `(?:(?=(?<${name}>`;
          break;
        }
        opens.push({ start: out.length, closer: ")" });
        out += tok.name !== undefined ? `(?<${tok.name}>` : tok.kind;
        break;
      case "close": {
        const open = opens.pop()!;
        lastAtom = open.start;
        out += open.closer;
        break;
      }
      case "start":
        out += "(?<![\\s\\S])";
        break;
      case "alt":
        out += "|";
        break;
      case "quant": {
        const q = tok.text + (tok.mode === "lazy" ? "?" : "");
        if (tok.mode === "possessive") {
          const name = `javaPossessive${++possessives}`;
          out = `${out.slice(0, lastAtom)}(?:(?=(?<${name}>${out.slice(lastAtom)}${tok.text}))\\k<${name}>)`;
        } else out += q;
        break;
      }
      default:
        lastAtom = out.length;
        out += jsAtom(tok, p.caseInsensitive);
    }
  }
  return out;
}

/** The pattern as a JS RegExp that finds what Java's `Pattern.compile(pattern)` finds (flags `gu`). */
export function javaRegexToJs(pattern: string): JavaRegexResult<RegExp> {
  try {
    return { ok: true, value: new RegExp(toJs(parse(pattern)), "gu") };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    if (e instanceof SyntaxError) return { ok: false, reason: e.message };
    throw e;
  }
}

// ---- PCRE -----------------------------------------------------------------------------------------

const PCRE_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));

function pcreChar(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  const named: Readonly<Record<number, string>> = { 0x09: "\\t", 0x0a: "\\n", 0x0d: "\\r", 0x0c: "\\f" };
  if (named[cp] !== undefined) return named[cp]!;
  if (inClass) return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
  return PCRE_SYNTAX.has(c) ? `\\${c}` : c;
}

function pcreAtom(tok: Tok, ci: boolean): string {
  switch (tok.t) {
    case "start":
      return "\\A";
    case "lit":
      return ci && isLetter(tok.cp) ? `[${String.fromCodePoint(tok.cp).toLowerCase()}${String.fromCodePoint(tok.cp).toUpperCase()}]` : pcreChar(tok.cp, false);
    case "esc":
      return `\\${tok.e}`;
    case "dot":
      // Literal U+0085, U+2028, U+2029: every PCRE reader takes them, not every one takes `\x{…}`.
      return `[^\\n\\r${String.fromCodePoint(0x85, 0x2028, 0x2029)}]`;
    case "class": {
      const ranges = (r: Range) => [r, ...(ci ? otherCase(r) : [])].map((x) => (x.lo === x.hi ? pcreChar(x.lo, true) : `${pcreChar(x.lo, true)}-${pcreChar(x.hi, true)}`)).join("");
      const body = tok.items.map((item) => ("esc" in item ? `\\${item.esc}` : ranges(item))).join("");
      return `[${tok.negated ? "^" : ""}${body}]`;
    }
    default:
      return "";
  }
}

/** Possessive quantifiers whose follower is checked, at most (each check tries every character of the BMP). */
const MAX_POSSESSIVE_CHECKS = 32;

/** Whether two one-character atoms share a character (both as JS, over the Basic Multilingual Plane and a few beyond). */
function overlap(a: Tok, b: Tok, ci: boolean, seen: Map<string, boolean>): boolean {
  const key = JSON.stringify([a, b]);
  const known = seen.get(key);
  if (known !== undefined) return known;
  if (seen.size >= MAX_POSSESSIVE_CHECKS) throw new Refusal(`more than ${MAX_POSSESSIVE_CHECKS} different possessive quantifiers`);
  const o = overlapOf(a, b, ci);
  seen.set(key, o);
  return o;
}

function overlapOf(a: Tok, b: Tok, ci: boolean): boolean {
  const ra = new RegExp(`^${jsAtom(a, ci)}$`, "u");
  const rb = new RegExp(`^${jsAtom(b, ci)}$`, "u");
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCharCode(cp);
    if (ra.test(s) && rb.test(s)) return true;
  }
  // Astral characters are all alike to the atoms read here (no class names them): one probe.
  return ra.test("\u{1F525}") && rb.test("\u{1F525}");
}

const isCharAtom = (t: Tok | undefined): boolean => t !== undefined && (t.t === "lit" || t.t === "esc" || t.t === "dot" || t.t === "class");

/** The fewest characters a match takes (look-arounds and `\A` take none). */
function minLength(toks: readonly Tok[]): number {
  type Frame = { alts: number[]; cur: number; last: number; zeroWidth: boolean };
  const stack: Frame[] = [{ alts: [], cur: 0, last: 0, zeroWidth: false }];
  for (const tok of toks) {
    const top = stack[stack.length - 1]!;
    switch (tok.t) {
      case "open":
        stack.push({ alts: [], cur: 0, last: 0, zeroWidth: tok.kind === "(?=" || tok.kind === "(?!" });
        break;
      case "close": {
        const done = stack.pop()!;
        const len = done.zeroWidth ? 0 : Math.min(...done.alts, done.cur);
        const outer = stack[stack.length - 1]!;
        outer.cur += len;
        outer.last = len;
        break;
      }
      case "alt":
        top.alts.push(top.cur);
        top.cur = 0;
        top.last = 0;
        break;
      case "quant":
        top.cur += top.last * (tok.min - 1);
        top.last *= tok.min;
        break;
      case "start":
        top.last = 0;
        break;
      default:
        top.cur += 1;
        top.last = 1;
    }
  }
  const root = stack[0]!;
  return Math.min(...root.alts, root.cur);
}

export interface JavaRegexAsPcre {
  /** Case-sensitive: a leading `(?i)` is written out as `[aA]` classes, so no engine folds more than Java's ASCII letters. */
  readonly pattern: string;
  /** The fewest characters a match takes: 0 when the regex can match the empty string. */
  readonly minLength: number;
}

/** The pattern as PCRE with the same matches (a search, as `REPLACE` searches), or why not. */
export function javaRegexToPcre(pattern: string): JavaRegexResult<JavaRegexAsPcre> {
  try {
    const p = parse(pattern);
    const checked = new Map<string, boolean>();
    let out = "";
    p.toks.forEach((tok, k) => {
      switch (tok.t) {
        case "open":
          out += tok.name !== undefined ? `(?<${tok.name}>` : tok.kind;
          break;
        case "close":
          out += ")";
          break;
        case "alt":
          out += "|";
          break;
        case "quant": {
          if (tok.mode === "possessive") {
            const atom = p.toks[k - 1];
            const next = p.toks[k + 1];
            const after = p.toks[k + 2];
            const nextRequired = isCharAtom(next) && !(after?.t === "quant" && after.min === 0);
            const atEnd = next === undefined;
            if (!isCharAtom(atom) || !(atEnd || (nextRequired && !overlap(atom!, next!, p.caseInsensitive, checked)))) {
              throw new Refusal("a possessive quantifier is read only on one character followed by one it can never take (`\\w++\\}`)");
            }
          }
          out += tok.text + (tok.mode === "lazy" ? "?" : "");
          break;
        }
        default:
          out += pcreAtom(tok, p.caseInsensitive);
      }
    });
    return { ok: true, value: { pattern: out, minLength: minLength(p.toks) } };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    throw e;
  }
}
