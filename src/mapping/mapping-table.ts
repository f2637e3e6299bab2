/**
 * Field and log-source mappings are data (mappings/*.yaml, overridable by a user's config);
 * this module only loads and indexes them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Logsource } from "../ir/query.js";
import type { Taxonomy } from "../ir/rule.js";
import { PACKAGE_ROOT } from "../package-root.js";

/**
 * How a value changes when the field is renamed. `basename`: the source field holds a file name,
 * the target a full path (`X` → ends with `\X`). `contains-token`: one argument → substring of the
 * command line (matches more). `extension`: `exe` → ends with `.exe`. `dirname`: the source field
 * holds the directory of the target's Windows path, what precedes its last `\` (`D` → `D\` and a
 * name without `\`). `direction-initiated`:
 * ECS network.direction → Sysmon Initiated. `value-table`: each value is one of the row's `values`
 * keys and becomes that key's list of values (any of which), ANDed with the row's `also`
 * conditions (an Elastic pipeline's event.action names → the Windows event IDs it gave them).
 * `account-domain`: the source field holds the domain of a `DOMAIN\name` account the target holds
 * whole (`NT AUTHORITY` → `User|startswith: 'NT AUTHORITY\'`). `value-conditions`: each value is one of the row's `conditions` keys
 * and becomes that key's presence test of other fields (an Elastic pipeline's event.outcome, derived
 * from whether the error fields are set), exact only where a top-level conjunct keeps the row's
 * `unless` values out. `key-only`: the two fields name one thing in different values (ECS host.id an
 * agent's host id, Sysmon's Computer the host's name): equal keys stay equal keys, so the row renames
 * a join key or group-by field (the match widens to hosts that share a name), never a condition.
 * `arg-count`: an argument count → that many blanks less one in the command line, a lower bound
 * only (src/passes/arg-count.ts).
 */
export type ValueTransform = "same" | "basename" | "contains-token" | "extension" | "direction-initiated" | "dirname" | "value-table" | "value-conditions" | "account-domain" | "key-only" | "arg-count";

/** A `value-conditions` value: every `absent` field is absent, or any `present` field is present. */
export type PresenceTest = { readonly absent: readonly string[] } | { readonly present: readonly string[] };

/** How prose names each taxonomy. */
export const TAXONOMY_TITLES: Readonly<Record<Taxonomy, string>> = { ecs: "ECS", sigma: "Sigma" };

export interface FieldRow {
  readonly from: string;
  readonly to: string;
  readonly value: ValueTransform;
  /** For `value-table`: source value (lower case) → the target values it stands for. */
  readonly values?: Readonly<Record<string, readonly string[]>>;
  /**
   * For `value-table`: the values list some of the target's spellings only (an account's name in
   * some languages), so a mapped match may miss events: used only where a match counts against the rule.
   */
  readonly someSpellings?: boolean;
  /** For `value-table`: the source values as the events spell them (a case-sensitive match must use one). */
  readonly spelled?: readonly string[];
  /** For `value-table`: target conditions every mapped value comes with (`Channel: Security`). */
  readonly also?: Readonly<Record<string, string>>;
  /** For `value-conditions`: source value (lower case) → the presence test it stands for. */
  readonly conditions?: Readonly<Record<string, PresenceTest>>;
  /**
   * For `value-conditions`: source field → values (lower case) under which the row does not hold;
   * the row applies only to a search with a top-level conjunct that allows none of them.
   */
  readonly unless?: Readonly<Record<string, readonly string[]>>;
}

export interface LogsourceRow {
  /** Conditions in the `from` taxonomy: field → the value, or the values any of which stands for it. */
  readonly conditions: Readonly<Record<string, string | readonly string[]>>;
  readonly logsource: Logsource;
  /** The log source covers only part of what the conditions match (a warning names it). */
  readonly partial: boolean;
  /**
   * Conditions of the row that stay in the query: they say more than the log source does (Defend's
   * file `modification` is one kind of file_change), and the row stops a wider row from lifting them
   * to a log source that means something else (file_event, a creation).
   */
  readonly keep?: readonly string[];
  /** Other values a conjunct may allow beside the row's own, left out of the log source (LeftOut). */
  readonly narrows?: LeftOut;
}

/**
 * Events of another kind that a query allows beside those of a log source (an OR branch
 * `event.category:driver` beside `event.category:library`): the lift takes the conjunct anyway and
 * leaves them out, with a mapping/logsource-narrowed warning that names them and says `reason`.
 * `ecs`: field → values; a value ending in `*` stands for every value it is a prefix of.
 */
export interface LeftOut {
  readonly ecs: Readonly<Record<string, readonly string[]>>;
  readonly reason: string;
}

/** Data sets of another product that a query may OR in beside its own events (src/passes/foreign-datasets.ts). */
export interface ForeignDatasets {
  /** Data set names; one ending in `*` stands for every name it is a prefix of. */
  readonly datasets: readonly string[];
  readonly reason: string;
}

export interface ProductHints {
  readonly conditions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly index: Readonly<Record<string, string>>;
  /** Index patterns that hold many kinds of data and say nothing about a log source. */
  readonly broad?: readonly string[];
}

/** A field only one log source has; `implies` are the source conditions it makes redundant. */
export interface SourceField {
  readonly ecs: string;
  readonly sigma: string;
  readonly logsource: Logsource;
  readonly implies: Readonly<Record<string, string | readonly string[]>>;
}

/** A directed mapping from one taxonomy's field names to another's. */
export interface FieldMapping {
  readonly name: string;
  readonly from: Taxonomy;
  /** A taxonomy, or what a target calls its own names (`splunk`). */
  readonly to: string;
  readonly fields: ReadonlyMap<string, FieldRow>;
  /** Whole families of names: `winlog.event_data.X` → `X`. Tried after `fields`. */
  readonly prefixes?: readonly { readonly from: string; readonly to: string }[];
  readonly logsources: readonly LogsourceRow[];
  readonly products: ProductHints;
  /** Fields that say which log source a query is about (ECS → Sigma only). */
  readonly sourceFields?: readonly SourceField[];
  /** Conditions a lifted log source category already says (ECS → Sigma only). */
  readonly implied?: readonly { readonly category: string; readonly conditions: Readonly<Record<string, string | readonly string[]>>; readonly narrows?: LeftOut }[];
  /** Elastic data set (or prefix) → the Sigma log source it stands for (ECS → Sigma only). */
  readonly datasets?: Readonly<Record<string, Logsource>>;
  /**
   * Rows that hold under some log sources only (ECS → Sigma only): a Sigma name that exists in that
   * log source alone, or a value transform exact only there. `when` lists the log-source keys that
   * must equal the rule's. Tried before `fields` (mappings.ts ecsToSigmaFor).
   */
  readonly scoped?: readonly { readonly when: Logsource; readonly row: FieldRow }[];
  /**
   * Conditions another condition already says (ECS → Sigma only): where a conjunct allows only
   * `when` values, the `implies` conjuncts say nothing more and are lifted with the log source.
   */
  readonly impliedBy?: readonly {
    readonly logsource: Logsource;
    readonly when: Readonly<Record<string, readonly string[]>>;
    readonly implies: Readonly<Record<string, string | readonly string[]>>;
  }[];
  /**
   * Log sources a conjunct that ORs condition sets stands for, one set per shipper (ECS → Sigma
   * only): a set's value may end in `*`, matching that same pattern in the query.
   */
  readonly alternatives?: readonly {
    readonly logsource: Logsource;
    readonly any: readonly Readonly<Record<string, readonly string[]>>[];
    /**
     * The conjunct's branches may be any of the sets, not every one, as long as the first set is
     * among them (a network category ORed with whichever network products' data sets the rule names).
     */
    readonly someOf?: boolean;
    /** The log source covers only part of what the conjunct matches (a warning names it). */
    readonly partial?: boolean;
    /** Branches of another kind the lift leaves out, with a warning naming them. */
    readonly narrows?: LeftOut;
  }[];
  /**
   * Conditions that name a log source but stay in the query (ECS → Sigma only): `exempt` are the
   * read-back fields (the source's own conditions) those values already say.
   */
  readonly evidence?: readonly { readonly logsource: Logsource; readonly when: Readonly<Record<string, readonly string[]>>; readonly exempt: readonly string[] }[];
  /** Per field, sets of values no one event holds together (ECS → Sigma only; see the file). */
  readonly exclusive?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * Values of two fields no one event holds together (ECS → Sigma only): each row names two fields,
   * and no event holds a value the row lists for the one and a value it lists for the other.
   */
  readonly exclusiveAcross?: readonly Readonly<Record<string, readonly string[]>>[];
  /**
   * Join keys that other join keys determine: `host.id` is the host of the process whose
   * `process.entity_id` is joined on, so when every step joins on such a field at one position, the
   * host key says nothing more and is dropped (it has no Sigma name).
   */
  readonly determinedKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * Fields no Sigma event of a log source holds (ECS → Sigma only; `field.*` names a family): tests
   * of them that only widen the rule are dropped, with a warning (src/passes/drop-absent-fields.ts).
   */
  readonly absentFields?: readonly { readonly logsource: Logsource; readonly fields: readonly string[] }[];
  /** Data sets of other products, left out of the ORs they are in (ECS → Sigma only). */
  readonly foreignDatasets?: readonly ForeignDatasets[];
}

type RawRow = {
  ecs: string;
  /** null: no Sigma name under the `when` log source (overrides a general row there). */
  sigma: string | null;
  value?: ValueTransform;
  only?: "to-sigma" | "to-ecs";
  when?: Logsource;
  values?: Record<string, unknown>;
  /** `some`: a value table that lists some of the target's spellings of each value. */
  spellings?: "some";
  also?: Record<string, unknown>;
  conditions?: Record<string, { absent?: unknown; present?: unknown }>;
  unless?: Record<string, unknown>;
};
type RawLeftOut = { ecs: Record<string, string | string[]>; reason: string };
type RawTable = {
  fields: RawRow[];
  prefixes?: { ecs: string; sigma: string }[];
  logsources: { ecs: Record<string, string | string[]>; sigma: Logsource; partial?: boolean; keep?: string[]; narrows?: RawLeftOut }[];
  products: ProductHints;
  source_fields?: { ecs: string; sigma: string; logsource: Logsource; implies?: Record<string, string | string[]> }[];
  datasets?: Record<string, Logsource>;
  implied?: { category: string; ecs: Record<string, string | string[]>; narrows?: RawLeftOut }[];
  exclusive?: Record<string, string[][]>;
  exclusive_across?: Record<string, string | string[]>[];
  determined_keys?: Record<string, string[]>;
  absent_fields?: { logsource: Logsource; fields: string[] }[];
  logsource_evidence?: { sigma: Logsource; ecs: Record<string, string | string[]>; exempt?: string[] }[];
  logsource_alternatives?: { sigma: Logsource; any: Record<string, string | string[]>[]; narrows?: RawLeftOut }[];
  implied_by?: { logsource: Logsource; ecs: Record<string, string | string[]>; implies: Record<string, string | string[]> }[];
  foreign_datasets?: { datasets: string | string[]; reason: string }[];
};

function fieldRow(r: RawRow): FieldRow | undefined {
  // A row that says a field has no Sigma name only means something limited to a log source.
  if (r.sigma === null) return r.when ? { from: r.ecs, to: NO_SIGMA_NAME, value: "same" } : undefined;
  const row: FieldRow = { from: r.ecs, to: r.sigma, value: r.value ?? "same" };
  if (row.value === "value-conditions") return conditionsRow(row, r);
  if (row.value !== "value-table") return row;
  const values = Object.entries(r.values ?? {}).map(([k, v]) => [k.toLowerCase(), (Array.isArray(v) ? v : [v]).map(String)] as const);
  if (values.length === 0 || values.some(([, v]) => v.length === 0)) return undefined;
  const also = Object.fromEntries(Object.entries(r.also ?? {}).map(([k, v]) => [k, String(v)]));
  return { ...row, values: Object.fromEntries(values), ...(Object.keys(also).length > 0 ? { also } : {}), ...(r.spellings === "some" ? { someSpellings: true, spelled: Object.keys(r.values ?? {}) } : {}) };
}

/** A `value-conditions` row, or undefined when its tables are malformed (the field then stays unmapped). */
function conditionsRow(row: FieldRow, r: RawRow): FieldRow | undefined {
  const names = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string") ? v : undefined);
  const conditions: Record<string, PresenceTest> = {};
  for (const [k, c] of Object.entries(r.conditions ?? {})) {
    const absent = names(c?.absent);
    const present = names(c?.present);
    if ((absent === undefined) === (present === undefined)) return undefined;
    conditions[k.toLowerCase()] = absent ? { absent } : { present: present! };
  }
  if (Object.keys(conditions).length === 0) return undefined;
  const unless = Object.fromEntries(Object.entries(r.unless ?? {}).map(([f, v]) => [f, (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase())]));
  return { ...row, conditions, ...(Object.keys(unless).length > 0 ? { unless } : {}) };
}

/** A row's `narrows`; one without a reason or a value is dropped (the row then leaves nothing out, and lifts less). */
function leftOut(raw: RawLeftOut | undefined): { narrows?: LeftOut } {
  if (!raw || typeof raw.reason !== "string" || raw.reason === "") return {};
  const ecs = Object.fromEntries(Object.entries(raw.ecs ?? {}).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
  return Object.values(ecs).some((v) => v.length > 0) ? { narrows: { ecs, reason: raw.reason } } : {};
}

/** The `to` of a limited row that says the field has no Sigma name under its log source. */
export const NO_SIGMA_NAME = "";

export function loadMappingFile(name: string): unknown {
  return parse(readFileSync(join(PACKAGE_ROOT, "mappings", name), "utf8"));
}

/** ECS → Sigma, from mappings/ecs-sigma.yaml (rows marked `only: to-ecs` are skipped). */
export function ecsToSigma(raw: unknown = loadMappingFile("ecs-sigma.yaml")): FieldMapping {
  const t = raw as RawTable;
  const fields = new Map<string, FieldRow>();
  const scoped: { when: Logsource; row: FieldRow }[] = [];
  for (const r of t.fields) {
    if (r.only === "to-ecs") continue;
    const row = fieldRow(r);
    // A value table without its table is malformed: skipped, so the field stays unmapped (and is reported).
    if (!row) continue;
    if (r.when && typeof r.when === "object") scoped.push({ when: r.when, row });
    else if (!fields.has(r.ecs)) fields.set(r.ecs, row);
  }
  return {
    name: "ecs-sigma",
    from: "ecs",
    to: "sigma",
    fields,
    prefixes: (t.prefixes ?? []).map((p) => ({ from: p.ecs, to: p.sigma })),
    logsources: t.logsources.map((l) => ({ conditions: l.ecs, logsource: l.sigma, partial: l.partial ?? false, ...(l.keep ? { keep: l.keep } : {}), ...leftOut(l.narrows) })),
    products: t.products,
    sourceFields: (t.source_fields ?? []).map((f) => ({ ecs: f.ecs, sigma: f.sigma, logsource: f.logsource, implies: f.implies ?? {} })),
    datasets: t.datasets ?? {},
    implied: (t.implied ?? []).map((i) => ({ category: i.category, conditions: i.ecs, ...leftOut(i.narrows) })),
    scoped,
    exclusive: t.exclusive ?? {},
    exclusiveAcross: (t.exclusive_across ?? [])
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)])))
      // A row means something only between two fields.
      .filter((r) => Object.keys(r).length === 2),
    determinedKeys: t.determined_keys ?? {},
    absentFields: (t.absent_fields ?? []).map((a) => ({ logsource: a.logsource ?? {}, fields: (a.fields ?? []).map(String) })),
    foreignDatasets: (t.foreign_datasets ?? [])
      .map((f) => ({ datasets: (Array.isArray(f.datasets) ? f.datasets : [f.datasets]).map(String), reason: String(f.reason ?? "") }))
      .filter((f) => f.datasets.length > 0 && f.reason !== ""),
    evidence: (t.logsource_evidence ?? []).map((e) => ({
      logsource: e.sigma,
      when: Object.fromEntries(Object.entries(e.ecs).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)])),
      exempt: e.exempt ?? [],
    })),
    alternatives: (t.logsource_alternatives ?? []).map((a) => ({
      logsource: a.sigma,
      any: a.any.map((set) => Object.fromEntries(Object.entries(set).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]))),
      ...leftOut(a.narrows),
    })),
    impliedBy: (t.implied_by ?? []).map((r) => ({
      logsource: r.logsource ?? {},
      when: Object.fromEntries(Object.entries(r.ecs).map(([k, v]) => [k, typeof v === "string" ? [v] : v])),
      implies: r.implies,
    })),
  };
}
