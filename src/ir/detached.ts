/**
 * A copy that shares no string with the rule's source text. V8 makes a substring (a rule's id
 * read by the YAML parser, a message built from it) a view into the string it was cut from, so
 * keeping a rule's id keeps its whole file's text: what a run keeps per rule (outcomes,
 * diagnostics, the names seen, a bundle's macro names) kept rule files and rendered stanzas
 * alive: ~11 MB of 1-10 KB strings halfway through three copies of SigmaHQ (heap snapshot).
 *
 * Plain data (strings, arrays, plain objects) is copied by hand: `structuredClone` serializes
 * and deserializes every call, and a run makes ~10 of them per rule (1.9 s of a 3-target
 * SigmaHQ run in a profile). Anything else goes through `structuredClone`.
 */
export function detached<T>(value: T): T {
  return copy(value) as T;
}

/** V8 cuts views only from this length on; shorter substrings are copies already. */
const MIN_VIEW = 13;

function copy(v: unknown): unknown {
  // Prepending makes a two-part string that `slice` must flatten into a new one first: the
  // result is a view into that new string, not into the one `v` was cut from.
  if (typeof v === "string") return v.length < MIN_VIEW ? v : (" " + v).slice(1);
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(copy);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}
