/**
 * The Splunk CIM as data: the data sets tstats can search (mappings/cim-datamodels.yaml) and the
 * routes into them from the Sigma taxonomy (sigma-cim.yaml) and from ECS (ecs-cim.yaml). This
 * module loads and checks them; passes/to-cim.ts applies them.
 */
import type { CimDataset } from "../ir/cim.js";
import type { Logsource } from "../ir/query.js";
import { ecsToSigma, loadMappingFile, type FieldMapping, type FieldRow, type LogsourceRow, type ValueTransform } from "./mapping-table.js";

export type { CimDataset } from "../ir/cim.js";

/** A source condition whose meaning the data set says another way (see ecs-cim.yaml). */
export interface CimValueRow {
  readonly field: string;
  readonly values: readonly string[];
  /** `all`: the data set holds only such events; otherwise CIM field → value. */
  readonly to: "all" | Readonly<Record<string, string>>;
  /** Set when the rewrite matches more than the source condition: the reason. */
  readonly widens?: string;
  /** Set when the rewrite may match less than the source condition: the reason. */
  readonly narrows?: string;
}

export interface CimLogsourceRow {
  readonly logsource: Logsource;
  /** CIM conditions the log source adds inside the data set (registry_set → action=modified). */
  readonly conditions: Readonly<Record<string, string>>;
}

/** How rules of one taxonomy reach one data set. */
export interface CimRoute {
  readonly dataset: CimDataset;
  readonly logsources: readonly CimLogsourceRow[];
  readonly fields: FieldMapping;
  readonly values: readonly CimValueRow[];
  /** Renames that match more than the source field (host.id → dest): source field → the reason. */
  readonly widening: ReadonlyMap<string, string>;
}

export interface CimMappings {
  readonly datasets: ReadonlyMap<string, CimDataset>;
  readonly sigma: readonly CimRoute[];
  readonly ecs: readonly CimRoute[];
  /** ECS conditions → log source: ecs-cim.yaml's extra rows first, then ecs-sigma.yaml's. */
  readonly ecsLogsources: FieldMapping;
}

export type CimLoad = { readonly ok: true; readonly value: CimMappings } | { readonly ok: false; readonly errors: readonly string[] };

type RawField = string | { to: string; value?: ValueTransform; widens?: string };
type RawValueRow = { field: string; value?: string; values?: string[]; to: "all" | Record<string, string>; widens?: string; narrows?: string };
type RawLogsource = Logsource | { logsource: Logsource; conditions?: Record<string, string> };
type RawRoutes = {
  logsources?: { ecs: Record<string, string | string[]>; sigma: Logsource; partial?: boolean; keep?: string[] }[];
  logsource_alternatives?: { sigma: Logsource; any: Record<string, string[]>[]; some_of?: boolean; partial?: boolean }[];
  datasets: Record<string, { logsources: RawLogsource[]; fields: Record<string, RawField>; values?: RawValueRow[] }>;
};
type RawModels = { datamodels: Record<string, Record<string, { object: string; tags: string[]; group: string[]; fields: string[] }>> };

/** The packaged CIM tables (they are checked by tests, so a failure here is a packaging bug). */
export function loadCimMappings(): CimMappings {
  const r = cimMappings(loadMappingFile("cim-datamodels.yaml"), loadMappingFile("sigma-cim.yaml"), loadMappingFile("ecs-cim.yaml"));
  if (!r.ok) throw new Error(`packaged CIM mappings are invalid: ${r.errors.join("; ")}`);
  return r.value;
}

let packaged: CimMappings | undefined;
/** The packaged CIM tables, read on first use: only CIM searches and the lists that show them need them. */
export function packagedCim(): CimMappings {
  packaged ??= loadCimMappings();
  return packaged;
}

const withHomes = new Map<string, CimMappings>();
/**
 * The packaged tables with a user's field homes on top (`FIELD -> DataModel.DataSet.cim_field`
 * entries, each checked when the settings were read; one that does not parse adds nothing).
 */
export function cimWithFieldHomes(entries: readonly string[] | undefined): CimMappings {
  if (!entries || entries.length === 0) return packagedCim();
  const key = JSON.stringify(entries);
  let c = withHomes.get(key);
  if (!c) {
    const overrides = entries.flatMap((e): CimFieldOverride[] => {
      const r = parseCimFieldOverride(e, packagedCim());
      return "problem" in r ? [] : [r];
    });
    withHomes.set(key, (c = withCimOverrides(packagedCim(), overrides)));
  }
  return c;
}

/**
 * Builds and checks the CIM tables: every data set a route names must exist, and every CIM field
 * a route writes must be a field of its data set. Errors name the valid data sets.
 */
export function cimMappings(models: unknown, sigma: unknown, ecs: unknown): CimLoad {
  const errors: string[] = [];
  const datasets = new Map<string, CimDataset>();
  for (const [model, sets] of Object.entries((models as RawModels).datamodels)) {
    for (const [set, def] of Object.entries(sets)) {
      datasets.set(`${model}.${set}`, { key: `${model}.${set}`, model, object: def.object, fields: def.fields, tags: def.tags, group: def.group });
      for (const g of def.group) if (!def.fields.includes(g)) errors.push(`cim-datamodels: ${model}.${set} groups by \`${g}\`, which is not one of its fields`);
    }
  }
  const routes = (name: string, from: "sigma" | "ecs", raw: RawRoutes): CimRoute[] =>
    Object.entries(raw.datasets).flatMap(([key, def]): CimRoute[] => {
      const dataset = datasets.get(key);
      if (!dataset) {
        errors.push(`${name}: unknown CIM data set \`${key}\`; valid: ${[...datasets.keys()].join(", ")}`);
        return [];
      }
      const field = (f: string, where: string) => {
        if (!dataset.fields.includes(f)) errors.push(`${name}: ${where} names \`${f}\`, which is not a field of ${key}`);
      };
      const rows = new Map<string, FieldRow>();
      const widening = new Map<string, string>();
      for (const [src, to] of Object.entries(def.fields)) {
        if (typeof to === "object" && to.widens) widening.set(src, to.widens);
        const row = typeof to === "string" ? { from: src, to, value: "same" as const } : { from: src, to: to.to, value: to.value ?? ("same" as const) };
        field(row.to, `field ${src}`);
        rows.set(src, row);
      }
      const values = (def.values ?? []).map((v): CimValueRow => {
        if (typeof v.to === "object") for (const f of Object.keys(v.to)) field(f, `value row ${v.field}`);
        return { field: v.field, values: v.values ?? (v.value !== undefined ? [v.value] : []), to: v.to, ...(v.widens ? { widens: v.widens } : {}), ...(v.narrows ? { narrows: v.narrows } : {}) };
      });
      const logsources = def.logsources.map((l): CimLogsourceRow => {
        const row = "logsource" in l ? { logsource: l.logsource, conditions: l.conditions ?? {} } : { logsource: l as Logsource, conditions: {} };
        for (const f of Object.keys(row.conditions)) field(f, "a log-source condition");
        return row;
      });
      const fields: FieldMapping = { name, from, to: "splunk", fields: rows, logsources: [], products: { conditions: {}, tags: {}, index: {} } };
      return [{ dataset, logsources, fields, values, widening }];
    });
  const sigmaRoutes = routes("sigma-cim", "sigma", sigma as RawRoutes);
  const ecsRaw = ecs as RawRoutes;
  const ecsRoutes = routes("ecs-cim", "ecs", ecsRaw);
  if (errors.length > 0) return { ok: false, errors };
  const base = ecsToSigma();
  const extra: LogsourceRow[] = (ecsRaw.logsources ?? []).map((l) => ({ conditions: l.ecs, logsource: l.sigma, partial: l.partial ?? false, ...(l.keep ? { keep: l.keep } : {}) }));
  // A condition a data set's value rows say as a CIM condition (file event.type creation →
  // action=created) must stay in the query for them: lifted as implied by the log source, the
  // search would read every event of the data set.
  const saidInCim = (field: string, v: string | readonly string[]) =>
    ecsRoutes.some((r) => r.values.some((row) => row.to !== "all" && row.field === field && (typeof v === "string" ? [v] : v).some((x) => row.values.includes(x))));
  const alternatives = (ecsRaw.logsource_alternatives ?? []).map((a) => ({ logsource: a.sigma, any: a.any, someOf: a.some_of ?? false, partial: a.partial ?? false }));
  const implied = (base.implied ?? []).filter((row) => !Object.entries(row.conditions).some(([f, v]) => saidInCim(f, v)));
  return { ok: true, value: { datasets, sigma: sigmaRoutes, ecs: ecsRoutes, ecsLogsources: { ...base, logsources: [...extra, ...base.logsources], implied, alternatives: [...alternatives, ...(base.alternatives ?? [])] } } };
}

/** The route whose log-source row fits the rule's log source (every key the row names is equal). */
export function findCimRoute(routes: readonly CimRoute[], ls: Logsource | undefined): { route: CimRoute; row: CimLogsourceRow } | undefined {
  if (!ls) return undefined;
  for (const route of routes) {
    for (const row of route.logsources) {
      if ((Object.keys(row.logsource) as (keyof Logsource)[]).every((k) => row.logsource[k] === ls[k])) return { route, row };
    }
  }
  return undefined;
}

/** A user's CIM home for a field: `CommandLine -> Endpoint.Processes.process` (config `splunk.cim_fields`). */
export interface CimFieldOverride {
  readonly from: string;
  readonly dataset: string;
  readonly to: string;
}

const SOURCE_FIELD = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;

/**
 * One `splunk.cim_fields` entry read against the CIM tables, or what is wrong with it. An unknown
 * data model, data set or field names the valid ones: a typo must not silently map nothing.
 */
export function parseCimFieldOverride(entry: string, cim: CimMappings): CimFieldOverride | { readonly problem: string } {
  const m = /^\s*(\S+)\s*->\s*(\S+)\s*$/.exec(entry);
  const form = "write FIELD -> DataModel.DataSet.cim_field, e.g. CommandLine -> Endpoint.Processes.process";
  if (!m || !SOURCE_FIELD.test(m[1]!)) return { problem: `\`${entry}\` is not a CIM field mapping (${form})` };
  const parts = m[2]!.split(".");
  const models = [...new Set([...cim.datasets.values()].map((d) => d.model))];
  const model = parts[0]!;
  if (!models.includes(model)) return { problem: `unknown CIM data model \`${model}\` in \`${entry}\` (valid: ${models.join(", ")})` };
  const sets = [...cim.datasets.values()].filter((d) => d.model === model);
  const dataset = cim.datasets.get(`${model}.${parts[1] ?? ""}`);
  if (parts.length !== 3 || !dataset) {
    if (!dataset) return { problem: `unknown data set \`${model}.${parts[1] ?? ""}\` of CIM data model ${model} in \`${entry}\` (valid: ${sets.map((d) => d.key).join(", ")})` };
    return { problem: `\`${m[2]}\` names no field of ${dataset.key} (${form})` };
  }
  const to = parts[2]!;
  if (!dataset.fields.includes(to)) return { problem: `\`${to}\` is not a field of CIM ${dataset.key} (valid: ${dataset.fields.join(", ")})` };
  if (![...cim.sigma, ...cim.ecs].some((r) => r.dataset === dataset)) {
    return { problem: `no log source reaches CIM ${dataset.key}, so a field mapped there is never used (data sets with log sources: ${[...new Set([...cim.sigma, ...cim.ecs].map((r) => r.dataset.key))].join(", ")})` };
  }
  return { from: m[1]!, dataset: dataset.key, to };
}

/** The CIM tables with a user's field homes on top: each wins over the packaged row of its data set, in both taxonomies' routes. */
export function withCimOverrides(cim: CimMappings, overrides: readonly CimFieldOverride[]): CimMappings {
  if (overrides.length === 0) return cim;
  const route = (r: CimRoute): CimRoute => {
    const mine = overrides.filter((o) => o.dataset === r.dataset.key);
    if (mine.length === 0) return r;
    const fields = new Map(r.fields.fields);
    const widening = new Map(r.widening);
    for (const o of mine) {
      fields.set(o.from, { from: o.from, to: o.to, value: "same" });
      widening.delete(o.from);
    }
    return { ...r, fields: { ...r.fields, fields }, widening };
  };
  return { ...cim, sigma: cim.sigma.map(route), ecs: cim.ecs.map(route) };
}
