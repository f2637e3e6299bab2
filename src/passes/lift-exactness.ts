/**
 * Whether a lifted log source says what the lifted conditions said. Elastic reads a Sigma log
 * source back as that source's ECS conditions (sigma-ecs `logsources`), so the round trip of a
 * lift replaces the conditions it consumed with those. `event.category:file` lifted to `file_event`
 * came back as `event.category:file and event.type:creation` (nine in ten matches lost), and
 * `event.category:file and event.type:change` as a query that asks for creation and change at once.
 *
 * A lift is exact, or: a consumed condition the read-back tests more widely stays in the query
 * (it ANDs with the read-back); one it does not test at all (a log source Elastic has no
 * read-back for tests nothing) is a warning that the match widens; a remaining condition the read-back condition contradicts refuses the
 * lift; anything else the read-back adds or changes is a warning that says the match narrowed.
 */
import type { Query } from "../ir/query.js";
import { partsText } from "../ir/parts-text.js";

/** ECS conditions a log source is read back as: field → allowed values (AND of fields). */
export type ReadBack = Readonly<Record<string, readonly string[]>>;

export interface Exactness {
  /** Consumed conjuncts to keep in the query: the read-back condition is wider than they are. */
  readonly keep: readonly number[];
  /** What the read-back adds or changes (`event.type:creation is added`): the match narrows. */
  readonly narrowed: readonly string[];
  /** Consumed conditions the read-back does not test (`event.category:network`): the match widens. */
  readonly dropped: readonly string[];
  /** A remaining conjunct that no read-back event can satisfy, when there is one. */
  readonly contradiction?: string;
  /**
   * Remaining conjuncts every read-back event satisfies (`not event.type:deletion` under a log
   * source read back as `event.type:creation`): they say nothing the log source does not.
   */
  readonly redundant: readonly number[];
}

/** Per field, sets of values no one event holds together (ECS `event.type` is a list). */
export type Exclusive = Readonly<Record<string, readonly (readonly string[])[]>>;

/** Rows of two fields each: no event holds a listed value of the one and a listed value of the other. */
export type ExclusiveAcross = readonly Readonly<Record<string, readonly string[]>>[];

/**
 * `conjuncts`: the query's top-level conjuncts; `consumed`: those the lift took; `exempt`: fields
 * whose read-back needs no condition in the query (the product, which index patterns and tags say).
 */
export function liftExactness(
  conjuncts: readonly Query[],
  consumed: ReadonlySet<number>,
  readBack: ReadBack,
  exempt: ReadonlySet<string>,
  valuesOf: (c: Query, field: string) => string[] | undefined,
  exclusive: Exclusive = {},
  exclusiveAcross: ExclusiveAcross = [],
): Exactness {
  const keep: number[] = [];
  const narrowed: string[] = [];
  // Kept in the query, such a condition would cost the Sigma rule its Sigma field names (no
  // Sigma field says event.category): it is said, not kept.
  const dropped: string[] = [];
  consumed.forEach((i) => {
    const field = fieldOf(conjuncts[i]);
    const values = field === undefined ? undefined : valuesOf(conjuncts[i]!, field);
    if (field !== undefined && values && !exempt.has(field) && !(field in readBack)) dropped.push(`${field}:${values.join(" or ")}`);
    // An OR over several fields (`data_stream.dataset:network_traffic.flow or event.category:network`)
    // that the read-back tests none of is dropped as well.
    const fields = field === undefined ? fieldsOf(conjuncts[i]!) : [];
    if (fields.length > 0 && fields.every((f) => !exempt.has(f) && !(f in readBack))) dropped.push(conjunctText(conjuncts[i]!));
  });
  for (const [field, allowed] of Object.entries(readBack)) {
    const said = conjuncts.flatMap((c, i) => {
      const values = valuesOf(c, field);
      return values ? [{ i, values }] : [];
    });
    const shown = `${field}:${allowed.length === 1 ? allowed[0] : `(${allowed.join(" or ")})`}`;
    if (said.length === 0) {
      if (!exempt.has(field)) narrowed.push(`${shown} is added`);
      continue;
    }
    for (const { i, values } of said) {
      const inside = values.filter((v) => allowed.includes(v));
      if (inside.length === 0 && !consumed.has(i)) {
        return { keep: [], narrowed: [], dropped: [], redundant: [], contradiction: `the query asks for ${field}:${values.join(" or ")}, which ${shown} excludes` };
      }
      if (inside.length === values.length) {
        // Narrower than the read-back: kept, it ANDs with it and the round trip is exact.
        if (consumed.has(i) && values.length < allowed.length) keep.push(i);
        continue;
      }
      narrowed.push(`${field}:${values.join(" or ")} ${consumed.has(i) ? "becomes" : "is narrowed to"} ${shown}`);
    }
  }
  return { keep, narrowed, dropped, redundant: [...redundantNegations(conjuncts, consumed, readBack, exclusive, exclusiveAcross, valuesOf), ...redundantAllowances(conjuncts, consumed, readBack, valuesOf)] };
}

/**
 * Remaining `f:(a or b)` conjuncts that allow every value the read-back pins `f` to: every
 * read-back event satisfies them (`host.os.type:(linux or macos)` under a log source read back as
 * `host.os.type:linux`, the narrowing the lift already says), so they say nothing more.
 */
function redundantAllowances(
  conjuncts: readonly Query[],
  consumed: ReadonlySet<number>,
  readBack: ReadBack,
  valuesOf: (c: Query, field: string) => string[] | undefined,
): number[] {
  return conjuncts.flatMap((c, i) => {
    if (consumed.has(i)) return [];
    const field = fieldOf(c);
    const values = field === undefined ? undefined : valuesOf(c, field);
    const allowed = field === undefined ? undefined : readBack[field];
    if (!values || !allowed || allowed.length === 0) return [];
    return allowed.every((a) => values.includes(a)) ? [i] : [];
  });
}

/**
 * Remaining `not f:v` conjuncts that every read-back event satisfies: the read-back pins `f` to
 * values each of which excludes every `v` (`exclusive` says which values never share an event), or
 * pins another field to values no event holds beside any `v` (`exclusiveAcross`).
 */
function redundantNegations(
  conjuncts: readonly Query[],
  consumed: ReadonlySet<number>,
  readBack: ReadBack,
  exclusive: Exclusive,
  exclusiveAcross: ExclusiveAcross,
  valuesOf: (c: Query, field: string) => string[] | undefined,
): number[] {
  const excludes = (field: string, a: string, b: string): boolean =>
    a !== b && (exclusive[field] ?? []).some((set) => set.includes(a) && set.includes(b));
  /** No event with `field` = `v` has `other` = `a`. */
  const excludesAcross = (field: string, v: string, other: string, a: string): boolean =>
    exclusiveAcross.some((row) => row[field]?.includes(v) === true && row[other]?.includes(a) === true);
  return conjuncts.flatMap((c, i) => {
    if (consumed.has(i) || c.kind !== "not") return [];
    const field = fieldOf(c.child);
    const values = field === undefined ? undefined : valuesOf(c.child, field);
    if (field === undefined || !values) return [];
    const allowed = readBack[field];
    if (allowed && allowed.length > 0 && allowed.every((a) => values.every((v) => excludes(field, a, v)))) return [i];
    const across = Object.entries(readBack).some(
      ([other, pinned]) => other !== field && pinned.length > 0 && pinned.every((a) => values.every((v) => excludesAcross(field, v, other, a))),
    );
    return across ? [i] : [];
  });
}

/** Every field the matches of a conjunct test, once each. */
function fieldsOf(c: Query): string[] {
  const walk = (q: Query): string[] => (q.kind === "match" ? [q.field] : q.kind === "or" || q.kind === "and" ? q.children.flatMap(walk) : q.kind === "not" ? walk(q.child) : []);
  return [...new Set(walk(c))];
}

/** A conjunct of matches as KQL-like text, for warnings (`event.category:library or event.category:driver`). */
export function conjunctText(c: Query): string {
  const value = (q: Extract<Query, { kind: "match" }>): string =>
    q.value.kind === "string" ? partsText(q.value.parts) : "…";
  const one = (q: Query): string =>
    q.kind === "match" ? `${q.field}:${value(q)}` : q.kind === "and" ? `(${q.children.map(one).join(" and ")})` : q.kind === "or" ? `(${q.children.map(one).join(" or ")})` : q.kind === "not" ? `not ${one(q.child)}` : "…";
  return c.kind === "or" ? c.children.map(one).join(" or ") : one(c);
}

/** The one field a conjunct tests (`f:a`, `f:(a or b)`), or undefined. */
function fieldOf(c: Query | undefined): string | undefined {
  const alts = c?.kind === "or" ? c.children : c ? [c] : [];
  const fields = new Set(alts.map((a) => (a.kind === "match" ? a.field : "")));
  const [only] = fields;
  return fields.size === 1 && only ? only : undefined;
}
