/**
 * Every mapping a conversion can use, loaded once per run from mappings/ (or a user's overrides).
 */
import type { Logsource } from "../ir/query.js";
import { ecsToSigma, loadMappingFile, NO_SIGMA_NAME, type FieldMapping, type FieldRow } from "./mapping-table.js";
import { lookupMap } from "./lookup-map.js";
import { fits, sigmaEcsMapping, type SigmaEcsMapping } from "./sigma-ecs.js";

/** Search conditions a log source stands for in a target: field → value(s), a list is an OR. */
export interface LogsourceSearch {
  readonly logsource: Logsource;
  readonly conditions: Readonly<Record<string, string | number | readonly (string | number)[]>>;
}

/** A mapping from the Sigma taxonomy into a target's field names and source conditions. */
export interface TargetMapping {
  readonly name: string;
  readonly fields: FieldMapping;
  readonly logsources: readonly LogsourceSearch[];
  /** Names the table does not list pass through unchanged (see the mapping file for why). */
  readonly identity: boolean;
}

/** A field mapping a target declares (mappings/<file>), overridable under `mappings:` in the config. */
export interface MappingSpec {
  /** `list fields --mapping` and config `mappings:` name it: `sigma-splunk`. */
  readonly name: string;
  /** File under mappings/. */
  readonly file: string;
  /** What `rulecast list mappings` says of it. */
  readonly summary: string;
  /** What its names are called in messages ("has no splunk equivalent"). */
  readonly to: string;
  /** For a table that passes unlisted names through: why, for `list fields`. */
  readonly passThrough?: string;
}

/** The mappings between taxonomies, which any rule that changes taxonomy uses. */
export const TAXONOMY_MAPPINGS = ["ecs-sigma", "sigma-ecs"] as const;

export interface Mappings {
  readonly ecsToSigma: FieldMapping;
  /** A user's ECS → Sigma renames: they win over every packaged row, for every log source. */
  readonly ecsToSigmaUser?: Readonly<Record<string, string>>;
  readonly sigmaToEcs: SigmaEcsMapping;
  /** A mapping a target declared, by name (loaded on first use). */
  target(name: string): TargetMapping;
}

type RawTarget = {
  identity?: boolean;
  fields: Record<string, string>;
  logsources: { sigma: Logsource; search: LogsourceSearch["conditions"] }[];
};

/** A user's field renames per mapping (from a config file): source name → target name. */
export type MappingOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The packaged mappings, with a user's field renames on top: `loadMappings({ "sigma-splunk":
 * { Image: process_path } }, declared)`. An override row wins over the packaged row for every log source.
 */
export function loadMappings(overrides: MappingOverrides = {}, declared: readonly MappingSpec[] = []): Mappings {
  const ecs = ecsToSigma();
  const ecsRows = overrides["ecs-sigma"];
  const sigmaEcsRows = overrides["sigma-ecs"];
  // The Sigma → ECS table is the largest and only Sigma rules bound for Elastic need it: read on first use.
  let sigmaEcs: SigmaEcsMapping | undefined;
  const targets = new Map<string, TargetMapping>();
  return {
    ecsToSigma: ecsRows ? { ...ecs, fields: withRows(ecs.fields, ecsRows) } : ecs,
    ...(ecsRows ? { ecsToSigmaUser: ecsRows } : {}),
    get sigmaToEcs(): SigmaEcsMapping {
      if (sigmaEcs) return sigmaEcs;
      const table = sigmaEcsMapping();
      // sigma-ecs rows are searched in order, so user rows (fitting every log source) go first.
      sigmaEcs = sigmaEcsRows ? { ...table, fields: [...Object.entries(sigmaEcsRows).map(([sigma, to]) => ({ sigma, ecs: to, when: {} })), ...table.fields] } : table;
      return sigmaEcs;
    },
    target(name: string): TargetMapping {
      let m = targets.get(name);
      if (!m) {
        const spec = declared.find((d) => d.name === name);
        if (!spec) throw new Error(`no mapping ${name} is declared`);
        const raw = loadMappingFile(spec.file) as RawTarget;
        m = targetMapping(spec, { ...raw, fields: { ...raw.fields, ...overrides[name] } });
        targets.set(name, m);
      }
      return m;
    },
  };
}

/** A field map with user rows on top; names neither lists still go to the base map (which may answer every name). */
function withRows(base: ReadonlyMap<string, FieldRow>, rows: Readonly<Record<string, string>>): ReadonlyMap<string, FieldRow> {
  const user = new Map<string, FieldRow>(Object.entries(rows).map(([from, to]) => [from, { from, to, value: "same" as const }]));
  return lookupMap(new Map<string, FieldRow>([...base, ...user]), (k) => user.get(k) ?? base.get(k));
}

function targetMapping(spec: MappingSpec, raw: RawTarget): TargetMapping {
  const rows = new Map<string, FieldRow>(
    Object.entries(raw.fields).map(([from, to]) => [from, { from, to, value: "same" as const }]),
  );
  // With `identity`, a name the table does not list is the target's own name for it (see the file).
  const fields: FieldMapping = {
    name: spec.name,
    from: "sigma",
    to: spec.to,
    fields: raw.identity ? identityFallback(rows) : rows,
    logsources: [],
    products: { conditions: {}, tags: {}, index: {} },
  };
  return { name: spec.name, fields, logsources: raw.logsources.map((l) => ({ logsource: l.sigma, conditions: l.search })), identity: raw.identity === true };
}

/** A read-only map that answers every name: listed renames first, the name itself otherwise. */
function identityFallback(rows: ReadonlyMap<string, FieldRow>): ReadonlyMap<string, FieldRow> {
  return lookupMap(rows, (k) => rows.get(k) ?? { from: k, to: k, value: "same" });
}

/** Every category/product/service the filter sets equals the log source's. */
function fitsLogsource(when: Logsource, ls: Logsource | undefined): boolean {
  return (["category", "product", "service"] as const).every((k) => when[k] === undefined || ls?.[k] === when[k]);
}

/** The first row whose every key equals the rule's log source (rows are ordered most specific first). */
export function findLogsourceSearch(table: TargetMapping, ls: Logsource | undefined): LogsourceSearch | undefined {
  if (!ls) return undefined;
  return table.logsources.find((row) =>
    (Object.keys(row.logsource) as (keyof Logsource)[]).every((k) => row.logsource[k] === ls[k]),
  );
}

const perLogsource = new WeakMap<Mappings, Map<string, FieldMapping>>();

/**
 * The ECS → Sigma renames for one log source: a user's rows, then the Sigma → ECS rows limited to
 * that log source read backwards (SigmaHQ's names per source: `eventName` is `event.action` in
 * CloudTrail, `user.name` is `actor.alternateId`'s ECS home in Okta), then the general table. Only
 * plain rows are read backwards: a row with a value transform is exact in one direction only.
 */
export function ecsToSigmaFor(m: Mappings, ls: Logsource | undefined): FieldMapping {
  const key = JSON.stringify([ls?.category, ls?.product, ls?.service]);
  let cache = perLogsource.get(m);
  if (!cache) perLogsource.set(m, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const reverse = new Map<string, FieldRow>();
  // This table's own rows for the log source come first: they were written for this direction.
  for (const s of m.ecsToSigma.scoped ?? []) if (fitsLogsource(s.when, ls) && !reverse.has(s.row.from)) reverse.set(s.row.from, s.row);
  for (const r of m.sigmaToEcs.fields) {
    if (r.transform !== undefined || Object.keys(r.when).length === 0 || !fits(r.when, ls) || reverse.has(r.ecs)) continue;
    reverse.set(r.ecs, { from: r.ecs, to: r.sigma, value: "same" });
  }
  const user = m.ecsToSigmaUser ?? {};
  const base = m.ecsToSigma.fields;
  const get = (k: string): FieldRow | undefined => {
    if (user[k] !== undefined) return { from: k, to: user[k]!, value: "same" };
    const row = reverse.get(k) ?? base.get(k);
    // A limited row may say the field has no Sigma name under this log source.
    return row?.to === NO_SIGMA_NAME ? undefined : row;
  };
  const listed = new Map([...base, ...reverse].filter(([, r]) => r.to !== NO_SIGMA_NAME));
  const mapping: FieldMapping = reverse.size === 0 ? m.ecsToSigma : { ...m.ecsToSigma, fields: lookupMap(listed, get) };
  cache.set(key, mapping);
  return mapping;
}
