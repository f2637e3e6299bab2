/**
 * The branches of an OR that a log-source lift leaves out: events of another kind a query allows
 * beside those of the log source (`event.category:driver` beside `event.category:library`), as the
 * `narrows` of a mapping row lists them (mapping-table.ts LeftOut). Shared by liftLogsource and the
 * foreign data-set pass.
 */
import type { Query } from "../ir/query.js";
import type { LeftOut } from "../mapping/mapping-table.js";

/**
 * The branches of conjunct `c` (an OR, or one condition) that `narrows` lists, as `field:value`
 * text, when every other branch is `own` and at least one is (`anyOwn`: none need be); else undefined.
 */
export function leftOutBranches(c: Query, own: (b: Query) => boolean, narrows: LeftOut, anyOwn = false): string[] | undefined {
  const left: string[] = [];
  let owned = 0;
  for (const b of branches(c)) {
    if (own(b)) {
      owned++;
      continue;
    }
    const t = matchText(b);
    if (t === undefined || b.kind !== "match" || !listed(narrows.ecs[b.field] ?? [], t)) return undefined;
    left.push(`${b.field}:${t}`);
  }
  return owned > 0 || anyOwn ? left : undefined;
}

/** Whether `value` is one of `list`, where an entry ending in `*` stands for every value it is a prefix of. */
export function listed(list: readonly string[], value: string): boolean {
  return list.some((v) => (v.endsWith("*") ? value.startsWith(v.slice(0, -1)) : v === value));
}

/** An OR's branches, nested ORs flattened (`a or (b or c)`, as KQL's parentheses parse); else the conjunct itself. */
export function branches(c: Query): Query[] {
  return c.kind === "or" ? c.children.flatMap(branches) : [c];
}

/** A match's one plain-text value (no wildcard); undefined for anything else. */
export function matchText(b: Query): string | undefined {
  if (b.kind !== "match" || b.value.kind !== "string") return undefined;
  const [only, ...more] = b.value.parts;
  return only?.kind === "text" && more.length === 0 ? only.value : undefined;
}
