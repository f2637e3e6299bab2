/**
 * PCRE (Sigma `re`) as a Lucene regular expression (EQL `regex`, KQL has none). PCRE searches
 * anywhere in the value and `.` stops at a newline; Lucene matches the whole value, `.` takes any
 * character, and `@ & ~ < > # "` are operators. So the translation wraps the pattern in `.*( … ).*`,
 * writes `.` as `[^\n]` (as `.` under a leading `(?s)`), escapes Lucene's operators and spells
 * `\d \w \s` as classes.
 *
 * Lucene has no zero-width assertions, so `^` and `\A`, `$` and `\Z` (at the end or before a final
 * newline, as in PCRE), `\z` (the very end), `\b` and `\B` are removed exactly: alternatives
 * and short repetitions that hold one are multiplied out into branches, an anchor at a branch's edge
 * drops that side's `.*` (elsewhere it kills the branch), and a word boundary is decided from the
 * characters either side of it (a class's kinds, the value's edge, or a rewritten `.*`). Whatever
 * cannot be decided that way (lookarounds, back-references, possessive quantifiers, inline flags
 * other than a leading `(?i)` or `(?s)`, a boundary next to something that may be empty or mixed) is refused
 * rather than approximated.
 */
import { assertNever } from "../../ir/query.js";
import { parsePcre, type CharKinds, type PcreNode } from "./pcre-syntax.js";

export type LuceneResult =
  | { readonly ok: true; readonly pattern: string; /** a leading `(?i)` asked for it */ readonly caseInsensitive: boolean }
  | { readonly ok: false; readonly reason: string };

type Item =
  | { readonly kind: "piece"; readonly node: PcreNode }
  | { readonly kind: "start" }
  | { readonly kind: "end"; readonly strict?: boolean }
  | { readonly kind: "boundary"; readonly negated: boolean };

/** Branches a pattern may be multiplied into before the Lucene text grows unreasonable. */
const MAX_BRANCHES = 64;
/** The longest repetition of an assertion-holding group that is written out copy by copy. */
const MAX_UNROLL = 8;
const WORD_CLASS = "[a-zA-Z0-9_]";
const OTHER_CLASS = "[^a-zA-Z0-9_]";

class Refusal {
  constructor(readonly reason: string) {}
}

export function pcreToLucene(pattern: string): LuceneResult {
  // Leading flags: `(?i)` is the case flag, which Lucene spells with `regex~`; `(?s)` lets `.` take
  // a newline, as Lucene's does (rulecast writes a Lucene regex to Sigma as `(?s)^(?:…)\z`).
  const flags = /^(?:\(\?[is]{1,2}\))*/.exec(pattern)![0];
  const caseInsensitive = flags.includes("i");
  const parsed = parsePcre(pattern.slice(flags.length), flags.includes("s"));
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  try {
    const branches = limit(expand(parsed.node).flatMap(splitOptionalNeighbours)).map(branchText).filter((b): b is string => b !== undefined);
    if (branches.length === 0) return { ok: false, reason: "the pattern can never match (an anchor inside it cannot hold)" };
    const text = branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join("|");
    return { ok: true, pattern: text, caseInsensitive };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    throw e;
  }
}

function hasAssertion(n: PcreNode): boolean {
  switch (n.kind) {
    case "start":
    case "end":
    case "boundary":
      return true;
    case "atom":
      return false;
    case "seq":
      return n.items.some(hasAssertion);
    case "alt":
      return n.branches.some(hasAssertion);
    case "group":
    case "repeat":
      return hasAssertion(n.body);
    default:
      return assertNever(n);
  }
}

/** The node as alternatives of flat item lists, where assertions stand only at the top level. */
function expand(n: PcreNode): Item[][] {
  if (!hasAssertion(n)) return [[{ kind: "piece", node: n }]];
  switch (n.kind) {
    case "start":
      return [[{ kind: "start" }]];
    case "end":
      return [[n.strict ? { kind: "end", strict: true } : { kind: "end" }]];
    case "boundary":
      return [[{ kind: "boundary", negated: n.negated }]];
    case "seq":
      return product(n.items.map(expand));
    case "alt":
      return limit(n.branches.flatMap(expand));
    case "group":
      return expand(n.body);
    case "repeat": {
      if (n.max > MAX_UNROLL) throw new Refusal("a group holding an anchor or word boundary is repeated without a small bound");
      const once = expand(n.body);
      const out: Item[][] = [];
      for (let k = n.min; k <= n.max; k++) out.push(...product(Array.from({ length: k }, () => once)));
      return limit(out);
    }
    case "atom":
      return [[{ kind: "piece", node: n }]];
    default:
      return assertNever(n);
  }
}

function product(parts: readonly Item[][][]): Item[][] {
  let acc: Item[][] = [[]];
  for (const part of parts) acc = limit(acc.flatMap((a) => part.map((b) => [...a, ...b])));
  return acc;
}

function limit(branches: Item[][]): Item[][] {
  if (branches.length > MAX_BRANCHES) throw new Refusal(`anchors or word boundaries multiply the pattern into more than ${MAX_BRANCHES} branches`);
  return branches;
}

/**
 * A word boundary next to an optional piece (`x?`, `x*`, `x{0,n}`) depends on whether the piece is
 * there, so the branch is split in two: once with the piece taken at least once, once without it.
 */
function splitOptionalNeighbours(items: Item[]): Item[][] {
  for (let k = 0; k < items.length; k++) {
    if (items[k]!.kind !== "boundary") continue;
    for (const j of [k - 1, k + 1]) {
      const n = items[j];
      if (n?.kind !== "piece" || n.node.kind !== "repeat" || n.node.min !== 0 || n.node.max === 0) continue;
      if (edge(n.node.body, "first").nullable) continue;
      const atLeastOnce: PcreNode = { ...n.node, min: 1, text: quantifierText(1, n.node.max) };
      const taken = items.map((it, i) => (i === j ? { kind: "piece" as const, node: atLeastOnce } : it));
      const left = items.filter((_, i) => i !== j);
      return limit([...splitOptionalNeighbours(taken), ...splitOptionalNeighbours(left)]);
    }
  }
  return [items];
}

function quantifierText(min: number, max: number): string {
  if (max === Infinity) return min === 1 ? "+" : `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/** One branch as an anchored Lucene pattern, or undefined where an assertion can never hold. */
function branchText(items: readonly Item[]): string | undefined {
  let rest = [...items];
  let startAnchored = false;
  let endAnchored = false;
  let strictEnd = false;
  for (let k = 0; k < rest.length; k++) {
    const item = rest[k]!;
    if (item.kind === "start") {
      const before = rest.slice(0, k);
      if (before.every((b) => b.kind === "start")) startAnchored = true;
      else if (before.some((b) => b.kind === "piece" && !edge(b.node, "last").nullable)) return undefined;
      else throw new Refusal("an anchor after a piece that may be empty has no Lucene form");
    } else if (item.kind === "end") {
      const after = rest.slice(k + 1);
      if (after.every((b) => b.kind === "end")) {
        endAnchored = true;
        strictEnd ||= item.strict === true;
      } else if (item.strict) {
        // `\z` holds at the very end only: a piece that cannot be empty after it kills the branch.
        if (after.some((b) => b.kind === "piece" && !edge(b.node, "first").nullable)) return undefined;
        throw new Refusal("an anchor before a piece that may be empty has no Lucene form");
      } else {
        // `$` also holds before a final newline, so only a piece that cannot begin with one kills the branch.
        const next = after.find((b) => b.kind === "piece" && !edge(b.node, "first").nullable);
        if (next?.kind === "piece" && !edge(next.node, "first").other) return undefined;
        throw new Refusal(next ? "a piece after `$` that may begin with a newline has no Lucene form" : "an anchor before a piece that may be empty has no Lucene form");
      }
    }
  }
  rest = rest.filter((i) => i.kind !== "start" && i.kind !== "end");
  let prefix = startAnchored ? "" : ".*";
  // PCRE's `$` holds at the end and before a final newline: Lucene matches the whole value, so the
  // newline is optional after the branch; `\z` takes none.
  let suffix = endAnchored ? (strictEnd ? "" : "(\n)?") : ".*";
  const pieces: PcreNode[] = [];
  for (let k = 0; k < rest.length; k++) {
    const item = rest[k]!;
    if (item.kind === "piece") {
      pieces.push(item.node);
      continue;
    }
    if (item.kind !== "boundary") continue;
    const left = side(rest[k - 1], k === 0 && startAnchored, "last");
    const right = side(rest[k + 1], k === rest.length - 1 && endAnchored, "first");
    if (left === "open" && right === "open") throw new Refusal("a word boundary standing alone has no Lucene form");
    if (left === "open") {
      // The `.*` before the boundary is rewritten so its last character (or the value's start) fits.
      const wantWord = item.negated ? right : !right;
      prefix = wantWord ? `.*${WORD_CLASS}` : `(.*${OTHER_CLASS})?`;
    } else if (right === "open") {
      const wantWord = item.negated ? left : !left;
      suffix = wantWord ? `${WORD_CLASS}.*` : `(${OTHER_CLASS}.*)?`;
    } else if ((left !== right) === item.negated) return undefined;
  }
  return `${prefix}(${pieces.map(print).join("")})${suffix}`;
}

/**
 * Whether the character on one side of a word boundary is a word character (`true`), not one or the
 * value's edge (`false`), or the free `.*` of the unanchored search (`open`).
 */
function side(item: Item | undefined, atValueEdge: boolean, which: "first" | "last"): boolean | "open" {
  if (item === undefined) return atValueEdge ? false : "open";
  if (item.kind !== "piece") throw new Refusal("two assertions side by side have no Lucene form");
  const e = edge(item.node, which);
  if (e.nullable) throw new Refusal("a word boundary next to a piece that may be empty has no Lucene form");
  if (e.word && e.other) throw new Refusal("a word boundary next to a piece that may or may not be a word character has no Lucene form");
  return e.word;
}

interface Edge extends CharKinds {
  readonly nullable: boolean;
}

/** The kinds of character a piece can begin (`first`) or end (`last`) with, and whether it can be empty. */
function edge(n: PcreNode, which: "first" | "last"): Edge {
  switch (n.kind) {
    case "atom":
      return { ...n.chars, nullable: false };
    case "group":
      return edge(n.body, which);
    case "repeat": {
      const e = edge(n.body, which);
      return { ...e, nullable: e.nullable || n.min === 0 };
    }
    case "alt":
      return n.branches.map((b) => edge(b, which)).reduce(union, { word: false, other: false, nullable: false });
    case "seq": {
      let acc: Edge = { word: false, other: false, nullable: true };
      const items = which === "first" ? n.items : [...n.items].reverse();
      for (const item of items) {
        const e = edge(item, which);
        acc = { word: acc.word || e.word, other: acc.other || e.other, nullable: e.nullable };
        if (!e.nullable) return acc;
      }
      return acc;
    }
    case "start":
    case "end":
    case "boundary":
      throw nestedAssertion();
    default:
      return assertNever(n);
  }
}

function nestedAssertion(): Refusal {
  return new Refusal("an assertion nested where it cannot be taken apart has no Lucene form");
}

function union(a: Edge, b: Edge): Edge {
  return { word: a.word || b.word, other: a.other || b.other, nullable: a.nullable || b.nullable };
}

function print(n: PcreNode): string {
  switch (n.kind) {
    case "atom":
      return n.lucene;
    case "seq":
      return n.items.map(print).join("");
    case "alt":
      return n.branches.map(print).join("|");
    case "group":
      return `(${print(n.body)})`;
    case "repeat":
      return print(n.body) + n.text;
    case "start":
    case "end":
    case "boundary":
      throw nestedAssertion();
    default:
      return assertNever(n);
  }
}

