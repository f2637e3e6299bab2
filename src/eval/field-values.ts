/**
 * Field resolution: a dotted name is looked up both as a flat key (`"process.name"`) and through
 * nested objects (`{process:{name:..}}`), and every split in between (`{"process.parent":{name}}`),
 * because shippers mix the two shapes in one document. Arrays anywhere on the path fan out, so a
 * multi-valued field yields all of its values; an empty array is the same as an absent field.
 */

/** A scalar leaf of an event (objects are kept as values too: `exists` on an object field holds). */
export type Leaf = unknown;

/** All values of `name` in `event`, arrays flattened, in document order; `[]` when absent. */
export function fieldValues(event: unknown, name: string): Leaf[] {
  const out: Leaf[] = [];
  collect(event, name, out);
  return out;
}

function collect(node: unknown, rest: string, out: Leaf[]): void {
  if (Array.isArray(node)) {
    for (const el of node) collect(el, rest, out);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  // Try every dot position, longest key first, so the flat key wins the output order.
  let cut = rest.length;
  while (cut > 0) {
    const key = rest.slice(0, cut);
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      const v = obj[key];
      if (cut === rest.length) pushLeaf(v, out);
      else collect(v, rest.slice(cut + 1), out);
    }
    cut = rest.lastIndexOf(".", cut - 1);
  }
}

function pushLeaf(v: unknown, out: Leaf[]): void {
  if (v === undefined) return;
  if (Array.isArray(v)) {
    for (const el of v) pushLeaf(el, out);
    return;
  }
  out.push(v);
}

/** Every scalar leaf of the event, for free-text (`keyword`) search. */
export function allLeaves(node: unknown, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(node)) for (const el of node) allLeaves(el, out);
  else if (node !== null && typeof node === "object") for (const v of Object.values(node)) allLeaves(v, out);
  else if (node !== undefined) out.push(node);
  return out;
}

/** The string form a string pattern is matched against; `undefined` for objects (they never match). */
export function stringForm(v: Leaf): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}
