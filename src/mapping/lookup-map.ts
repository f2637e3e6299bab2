import type { FieldRow } from "./mapping-table.js";

/**
 * A read-only field map whose lookups may answer names it does not list (identity tables,
 * prefixes, user rows on top of built-in ones), while iteration shows the listed rows.
 */
export function lookupMap(listed: ReadonlyMap<string, FieldRow>, get: (name: string) => FieldRow | undefined): ReadonlyMap<string, FieldRow> {
  return {
    get,
    has: (k) => get(k) !== undefined,
    get size() {
      return listed.size;
    },
    forEach: (cb) => listed.forEach(cb),
    entries: () => listed.entries(),
    keys: () => listed.keys(),
    values: () => listed.values(),
    [Symbol.iterator]: () => listed[Symbol.iterator](),
  };
}
