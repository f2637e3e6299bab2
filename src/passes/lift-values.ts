/**
 * Reading a conjunct's values for the log-source lift: which texts it allows a field, and whether
 * an OR is exactly one of a row's alternative condition sets.
 */
import type { Query } from "../ir/query.js";
import type { LeftOut } from "../mapping/mapping-table.js";
import { leftOutBranches } from "./left-out-branches.js";

/**
 * An OR each of whose branches is exactly one of the condition sets (every field of the set, and
 * nothing else, each a match on one of its values), or a match `narrows` lists, and which has a
 * branch for every set. Undefined when it is not; else the branches `narrows` left out, as text.
 */
export function isAlternation(c: Query, sets: readonly Readonly<Record<string, readonly string[]>>[], someOf = false, narrows?: LeftOut): string[] | undefined {
  if (c.kind !== "or") return undefined;
  // Some-of sets are one field each, so an OR nested in a branch (`event.category:(a or b)`) is more branches.
  const flat = (q: Query): Query[] => (q.kind === "or" ? q.children.flatMap(flat) : [q]);
  const setOf = (b: Query): number => {
    const matches = b.kind === "and" ? b.children : [b];
    const said = new Map<string, string>();
    for (const m of matches) {
      if (m.kind !== "match" || said.has(m.field)) return -1;
      const t = patternText(m);
      if (t === undefined) return -1;
      said.set(m.field, t);
    }
    return sets.findIndex((set) => Object.keys(set).length === said.size && Object.entries(set).every(([f, vs]) => said.has(f) && vs.includes(said.get(f)!)));
  };
  if (someOf) {
    const some = flat(c).map(setOf);
    return some.every((i) => i >= 0) && some.includes(0) ? [] : undefined;
  }
  const hit = c.children.map(setOf);
  if (!sets.every((_, i) => hit.includes(i))) return undefined;
  if (hit.every((i) => i >= 0)) return [];
  // The other branches may be what the row leaves out.
  return narrows ? leftOutBranches({ ...c, children: c.children.filter((_, n) => hit[n]! < 0) }, () => false, narrows, true) : undefined;
}

/**
 * A match's value as text, with `*` for a trailing wildcard (`Image loaded*`); undefined for any
 * other pattern, or text that itself holds `*` (it could not be told from the wildcard).
 */
export function patternText(q: Extract<Query, { kind: "match" }>): string | undefined {
  const v = q.value;
  if (v.kind !== "string") return undefined;
  const [first, second, ...rest] = v.parts;
  if (first?.kind !== "text" || first.value.includes("*") || rest.length > 0) return undefined;
  if (second === undefined) return first.value;
  return second.kind === "any" ? `${first.value}*` : undefined;
}

/** As valuesOf, with a trailing wildcard kept as `*` (patternText). */
export function patternValuesOf(c: Query, field: string): string[] | undefined {
  const alts = c.kind === "or" ? c.children : [c];
  const out: string[] = [];
  for (const a of alts) {
    const t = a.kind === "match" && a.field === field ? patternText(a) : undefined;
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out;
}

/** The texts a conjunct allows for `field`: one match, or an OR of matches on it; else undefined. */
export function valuesOf(c: Query, field: string): string[] | undefined {
  const alts = c.kind === "or" ? c.children : [c];
  const out: string[] = [];
  for (const a of alts) {
    if (a.kind !== "match" || a.field !== field) return undefined;
    const t = singleText(a);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out;
}

export function singleText(q: Extract<Query, { kind: "match" }>): string | undefined {
  const v = q.value;
  return v.kind === "string" && v.parts.length === 1 && v.parts[0]?.kind === "text" ? v.parts[0].value : undefined;
}
