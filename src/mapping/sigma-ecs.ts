/**
 * The Sigma → ECS table (mappings/sigma-ecs.yaml): field rows limited to log sources, the Windows
 * `winlog.event_data.` fallback, and each log source's ECS conditions and Elastic index patterns.
 * This module loads and indexes the data; src/passes/sigma-to-ecs.ts applies it.
 */
import { lookupMap } from "./lookup-map.js";
import type { Logsource } from "../ir/query.js";
import { loadMappingFile, type FieldMapping, type FieldRow } from "./mapping-table.js";

/**
 * A value change the pass applies where ECS stores a value differently than Sigma.
 * `number-as-text`: a number becomes its decimal text (ECS keyword). `hashes`: Sysmon's
 * `ALG=hex,...` list → `<ecs>.hash.<alg>` / `<ecs>.pe.imphash`. `boolean-text`: "true"/"false" →
 * boolean. `initiated`: Sysmon Initiated → network.direction. `registry-details`: rename, warning on
 * Sysmon's `DWORD (0x..)` notation. `domain-user`: `DOMAIN\name` → `<ecs>.domain` + `<ecs>.name`.
 * `value-table`: each exact value is replaced by the one the row's `values` table names (an
 * integration that stores a code's name instead of the code). `implied-by-source`: the field holds
 * one value (the key of `values`) in every event of the log source, so a match on it is always or
 * never true there; the condition itself is carried by the source's data set.
 * `unnamed-insertion`: a classic event-log insertion string without a name, which Winlogbeat names
 * by its position counted from 1 (`ecs`, the event-XML reader) or from 0 (`also`, the renderer of
 * wineventlog-experimental): an exact value is a match on either name, and only a value of the
 * row's `shape` maps, a shape the string at the other position never has (`InsertionShape`).
 * `listed-values`: a rename that holds only for the values the row lists (`values`, a list: the
 * Sigma rules' name for a field no record has, whose listed values are what another field holds);
 * a listed value keeps its text and case rule, any other value or pattern is refused.
 * `prefix-of`: the field is the first segment of another field's value (Azure's resource provider
 * of an operation name `Provider/type/action`): an exact value v is a match on `ecs` starting with
 * v and the row's `separator`; a pattern is refused.
 * `nested`: the field is a subfield of an integration's `nested` array of objects (`path`), each
 * element indexed as its own document: a test becomes a nested query of its own (some element
 * passes it), which is what a Sigma test of an array's subfield means; tests of two subfields
 * may hold in different elements, as in Sigma.
 */
export type SigmaEcsTransform = "number-as-text" | "hashes" | "boolean-text" | "initiated" | "registry-details" | "domain-user" | "value-table" | "implied-by-source" | "unnamed-insertion" | "listed-values" | "prefix-of" | "nested";

const TRANSFORMS: readonly SigmaEcsTransform[] = ["number-as-text", "hashes", "boolean-text", "initiated", "registry-details", "domain-user", "value-table", "implied-by-source", "unnamed-insertion", "listed-values", "prefix-of", "nested"];

/** The values an `unnamed-insertion` row maps: a whole UUID (8-4-4-4-12 hex digits), or a whole decimal integer. */
export type InsertionShape = "uuid" | "integer";

const SHAPES: readonly InsertionShape[] = ["uuid", "integer"];

/** Log-source keys a row can be limited to; every listed key must equal the rule's. */
export type LogsourceFilter = Pick<Logsource, "category" | "product" | "service">;

export interface SigmaEcsField {
  readonly sigma: string;
  readonly ecs: string;
  readonly transform?: SigmaEcsTransform;
  /** For `value-table`: Sigma value (as text) → the value ECS stores; for `listed-values`, each listed value → itself. */
  readonly values?: Readonly<Record<string, string>>;
  /** For `prefix-of`: what follows the value in `ecs` (`/`). */
  readonly separator?: string;
  /** For `nested`: the nested object array `ecs` is a subfield of. */
  readonly path?: string;
  /** Why the row is a reading of the rules' intent rather than the same field: reported as a warning on each rule it maps. */
  readonly note?: string;
  /** For `unnamed-insertion`: the field the other reader names the string, and the values that map. */
  readonly also?: string;
  readonly shape?: InsertionShape;
  readonly when: LogsourceFilter;
}

export interface SigmaEcsFallback {
  readonly when: LogsourceFilter;
  readonly prefix: string;
}

/**
 * An object whose keys an integration keeps as they are under another name: `<sigma>.<path>` is
 * `<ecs>.<path>` for any path (CloudTrail's `requestParameters.userName` is
 * `aws.cloudtrail.flattened.request_parameters.userName`). A row for the exact name wins over it.
 */
export interface SigmaEcsSubfields {
  readonly sigma: string;
  readonly ecs: string;
  readonly when: LogsourceFilter;
}

/** One set of ECS conditions: field → accepted values (more than one is an OR). */
export type EcsConditionSet = Readonly<Record<string, readonly string[]>>;

export interface SigmaEcsLogsource {
  readonly sigma: LogsourceFilter;
  /** Alternatives (OR) of condition sets (AND of fields). */
  readonly any: readonly EcsConditionSet[];
  readonly index: readonly string[];
  /** Why the conditions match more than the Sigma log source means (reported as a warning). */
  readonly note?: string;
}

/**
 * Where a log source keeps the event's text, which a Sigma keyword (a value without a field)
 * searches: `message` where the integration or shipper leaves the log line there. A row names one
 * log source exactly (its category, product and service, absent keys included), since whether the
 * line is kept depends on the integration that reads that source.
 */
export interface SigmaEcsKeywords {
  readonly sigma: LogsourceFilter;
  readonly field: string;
}

export interface SigmaEcsMapping {
  readonly name: string;
  readonly fields: readonly SigmaEcsField[];
  readonly fallbacks: readonly SigmaEcsFallback[];
  readonly subfields: readonly SigmaEcsSubfields[];
  readonly logsources: readonly SigmaEcsLogsource[];
  readonly keywords: readonly SigmaEcsKeywords[];
}

type RawConditions = Record<string, unknown>;
type RawTable = {
  fallback?: { when?: LogsourceFilter; prefix?: unknown }[];
  subfields?: { sigma?: unknown; ecs?: unknown; when?: LogsourceFilter }[];
  fields?: { sigma?: unknown; ecs?: unknown; transform?: unknown; values?: unknown; also?: unknown; shape?: unknown; note?: unknown; separator?: unknown; path?: unknown; when?: LogsourceFilter }[];
  logsources?: { sigma?: LogsourceFilter; ecs?: RawConditions & { any?: RawConditions[] }; index?: unknown; note?: unknown }[];
  keywords?: { sigma?: LogsourceFilter; field?: unknown }[];
};

/** `sigmaEcsMapping()` → the packaged table; pass parsed YAML to use a user's override instead. */
export function sigmaEcsMapping(raw: unknown = loadMappingFile("sigma-ecs.yaml")): SigmaEcsMapping {
  const t = (raw ?? {}) as RawTable;
  const fields: SigmaEcsField[] = [];
  for (const r of t.fields ?? []) {
    if (typeof r.sigma !== "string" || typeof r.ecs !== "string") continue;
    const transform = TRANSFORMS.find((x) => x === r.transform);
    // A row whose transform is unknown or lacks its table is malformed: skipped, so the field stays
    // unmapped (and is reported), never renamed without the value change it asked for.
    if (r.transform !== undefined && transform === undefined) continue;
    // A list (listed-values) is read as each value standing for itself.
    const values = Array.isArray(r.values)
      ? Object.fromEntries(r.values.map((v) => [String(v), String(v)]))
      : r.values && typeof r.values === "object" ? Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, String(v)])) : undefined;
    if ((transform === "value-table" || transform === "implied-by-source" || transform === "listed-values") && (!values || Object.keys(values).length === 0)) continue;
    if (transform === "implied-by-source" && Object.keys(values ?? {}).length !== 1) continue;
    const shape = SHAPES.find((x) => x === r.shape);
    const also = typeof r.also === "string" && r.also !== "" ? r.also : undefined;
    if (transform === "unnamed-insertion" && (shape === undefined || also === undefined)) continue;
    const insertion = transform === "unnamed-insertion" ? { also, shape } : {};
    if (transform === "prefix-of" && (typeof r.separator !== "string" || r.separator === "")) continue;
    const separator = transform === "prefix-of" ? { separator: r.separator as string } : {};
    if (transform === "nested" && (typeof r.path !== "string" || !r.ecs.startsWith(`${r.path}.`))) continue;
    const path = transform === "nested" ? { path: r.path as string } : {};
    const note = typeof r.note === "string" && r.note !== "" ? { note: r.note } : {};
    fields.push({ sigma: r.sigma, ecs: r.ecs, ...(transform ? { transform } : {}), ...(values ? { values } : {}), ...insertion, ...separator, ...path, ...note, when: filterOf(r.when) });
  }
  const fallbacks = (t.fallback ?? []).flatMap((f) => (typeof f.prefix === "string" ? [{ when: filterOf(f.when), prefix: f.prefix }] : []));
  const subfields = (t.subfields ?? []).flatMap((r) =>
    typeof r.sigma === "string" && typeof r.ecs === "string" && r.sigma !== "" && r.ecs !== "" ? [{ sigma: r.sigma, ecs: r.ecs, when: filterOf(r.when) }] : [],
  );
  const logsources = (t.logsources ?? []).map((l): SigmaEcsLogsource => {
    const ecs = l.ecs ?? {};
    const sets = Array.isArray(ecs.any) ? ecs.any : [ecs];
    return {
      sigma: filterOf(l.sigma),
      any: sets.map(conditionSet),
      index: Array.isArray(l.index) ? l.index.map(String) : [],
      ...(typeof l.note === "string" ? { note: l.note } : {}),
    };
  });
  const keywords = (t.keywords ?? []).flatMap((r) => (typeof r.field === "string" && r.field !== "" ? [{ sigma: filterOf(r.sigma), field: r.field }] : []));
  return { name: "sigma-ecs", fields, fallbacks, subfields, logsources, keywords };
}

function filterOf(w: LogsourceFilter | undefined): LogsourceFilter {
  const out: { category?: string; product?: string; service?: string } = {};
  for (const k of ["category", "product", "service"] as const) if (typeof w?.[k] === "string") out[k] = w[k];
  return out;
}

function conditionSet(c: RawConditions): EcsConditionSet {
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(c)) if (k !== "any") out[k] = (Array.isArray(v) ? v : [v]).map(String);
  return out;
}

/** Every key the filter lists equals the log source's (an empty filter fits every source). */
export function fits(filter: LogsourceFilter, ls: Logsource | undefined): boolean {
  return (Object.keys(filter) as (keyof LogsourceFilter)[]).every((k) => ls?.[k] === filter[k]);
}

/** The first field row for `sigma` that fits the log source (rows are ordered specific first). */
export function findField(m: SigmaEcsMapping, sigma: string, ls: Logsource | undefined): SigmaEcsField | undefined {
  return rowsByName(m.fields).get(sigma)?.find((f) => fits(f.when, ls));
}

/**
 * Every field row for `sigma` that fits the log source, in table order: a `listed-values` row that
 * does not list a value leaves it to the next row (one Sigma name can stand for several fields, each
 * for its own values).
 */
export function findFields(m: SigmaEcsMapping, sigma: string, ls: Logsource | undefined): readonly SigmaEcsField[] {
  return (rowsByName(m.fields).get(sigma) ?? []).filter((f) => fits(f.when, ls));
}

/** Rows by Sigma name, in table order: built once per table (tables are never changed once loaded). */
const byNameCache = new WeakMap<readonly SigmaEcsField[], ReadonlyMap<string, readonly SigmaEcsField[]>>();

function rowsByName(fields: readonly SigmaEcsField[]): ReadonlyMap<string, readonly SigmaEcsField[]> {
  let index = byNameCache.get(fields);
  if (!index) {
    const built = new Map<string, SigmaEcsField[]>();
    for (const f of fields) {
      const list = built.get(f.sigma);
      if (list) list.push(f);
      else built.set(f.sigma, [f]);
    }
    index = built;
    byNameCache.set(fields, index);
  }
  return index;
}

/** The field the rule's log source keeps the event's text in: the row naming exactly its category, product and service. */
export function findKeywordField(m: SigmaEcsMapping, ls: Logsource | undefined): string | undefined {
  const same = (row: LogsourceFilter) => (["category", "product", "service"] as const).every((k) => row[k] === ls?.[k]);
  return m.keywords.find((r) => same(r.sigma))?.field;
}

/** The first log-source row every key of which equals the rule's log source. */
export function findLogsource(m: SigmaEcsMapping, ls: Logsource | undefined): SigmaEcsLogsource | undefined {
  if (!ls) return undefined;
  return m.logsources.find((l) => Object.keys(l.sigma).length > 0 && fits(l.sigma, ls));
}

/** Plain names only: a dotted name is already structured and is never prefixed (as in pySigma). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The renaming table `mapFields` uses for one log source: plain rows that fit it, then the
 * fallback. Names with a value transform are never answered here (the pass handles them), and
 * `ready` names (already ECS, produced by a transform) map to themselves.
 */
export function fieldMappingFor(m: SigmaEcsMapping, ls: Logsource | undefined, ready: ReadonlySet<string>): FieldMapping {
  const forSource = sourceMapping(m, ls);
  if (ready.size === 0) return forSource.mapping;
  const get = (name: string): FieldRow | undefined => (ready.has(name) ? { from: name, to: name, value: "same" } : forSource.get(name));
  return { ...forSource.mapping, fields: lookupMap(forSource.listed, get) };
}

interface SourceMapping {
  readonly listed: ReadonlyMap<string, FieldRow>;
  /** The answer for a name without `ready` names (memoised: a log source sees the same names often). */
  readonly get: (name: string) => FieldRow | undefined;
  readonly mapping: FieldMapping;
}

/** Per table and log source (only the keys `fits` reads): the listed rows and the lookups, built once. */
const sourceCache = new WeakMap<SigmaEcsMapping, Map<string, SourceMapping>>();

function sourceMapping(m: SigmaEcsMapping, ls: Logsource | undefined): SourceMapping {
  let perTable = sourceCache.get(m);
  if (!perTable) sourceCache.set(m, (perTable = new Map()));
  const key = [ls?.category, ls?.product, ls?.service].map((v) => (typeof v === "string" ? `s${v}` : String(v))).join("\u0000");
  let found = perTable.get(key);
  if (found) return found;
  // A copy of only the keys `fits` reads, so a cached entry never holds on to one rule's object.
  const source: LogsourceFilter | undefined = ls ? { category: ls.category, product: ls.product, service: ls.service } as LogsourceFilter : undefined;
  const fallback = m.fallbacks.find((f) => fits(f.when, source));
  const subfields = m.subfields.filter((f) => fits(f.when, source));
  const answers = new Map<string, FieldRow | undefined>();
  const get = (name: string): FieldRow | undefined => {
    if (answers.has(name)) return answers.get(name);
    const row = findField(m, name, source);
    const under = row ? undefined : subfields.find((f) => name.startsWith(`${f.sigma}.`) && name.length > f.sigma.length + 1);
    const answer: FieldRow | undefined = row
      ? row.transform
        ? undefined
        : { from: name, to: row.ecs, value: "same" }
      : under
        ? { from: name, to: under.ecs + name.slice(under.sigma.length), value: "same" }
      : fallback && PLAIN_NAME.test(name)
        ? { from: name, to: fallback.prefix + name, value: "same" }
        : undefined;
    answers.set(name, answer);
    return answer;
  };
  const listed = new Map<string, FieldRow>();
  for (const f of m.fields) {
    if (!f.transform && fits(f.when, source) && !listed.has(f.sigma)) listed.set(f.sigma, { from: f.sigma, to: f.ecs, value: "same" });
  }
  const mapping: FieldMapping = { name: m.name, from: "sigma", to: "ecs", fields: lookupMap(listed, get), logsources: [], products: { conditions: {}, tags: {}, index: {} } };
  found = { listed, get, mapping };
  perTable.set(key, found);
  return found;
}
