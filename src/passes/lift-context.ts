/**
 * What a rule says about its data outside its query, for the log-source lift: index patterns (data
 * sets, broad product patterns) and tags, read into one Context; and the fallback log source when
 * nothing names a Sigma one.
 */
import type { Logsource } from "../ir/query.js";
import type { FieldMapping, ProductHints } from "../mapping/mapping-table.js";
import type { ReadBack } from "./lift-exactness.js";
import type { MappingProblem } from "./map-fields.js";

export interface LiftContext {
  readonly tags: readonly string[];
  readonly index: readonly string[];
  /** The rule's own log source, if it declares one: used when the query and index name none. */
  readonly declared?: Logsource;
  /**
   * The ECS conditions a log source is read back as (the Sigma → ECS table), so that a lift is
   * checked to say what the conditions it takes said (lift-exactness.ts); unchecked without it.
   */
  readonly readBack?: (ls: Logsource) => ReadBack | undefined;
}

export const KEYS = ["category", "product", "service"] as const;
export type Key = (typeof KEYS)[number];

/** What the rule outside its query says about its data: index patterns and tags. */
export interface Context {
  readonly index: Logsource;
  /** Which index pattern said each key, for warnings. */
  readonly indexSaid: Partial<Record<Key, string>>;
  readonly tagProduct?: string;
  /** Every product the tags name, in tag order (a cross-platform rule names several). */
  readonly tagProducts: readonly string[];
  /** Data sets named by index patterns, for the fallback. */
  readonly indexDatasets: readonly string[];
  readonly patterns: readonly string[];
  readonly declared?: Logsource;
  readonly readBack?: (ls: Logsource) => ReadBack | undefined;
}

/** Nothing names a Sigma log source: the data set (or index pattern) becomes product/service, said in `definition`. */
export function fallback(context: Context, report: (p: MappingProblem) => void): Logsource {
  const dataset = context.indexDatasets[0];
  const patterns = context.patterns.length > 0 ? `index patterns ${context.patterns.map((p) => `\`${p}\``).join(", ")}` : "no index pattern";
  const ls: Logsource = dataset
    ? { ...datasetAsLogsource(dataset), definition: `Elastic ${patterns}; Sigma names no log source for this data` }
    : context.patterns[0]
      ? { product: beatName(context.patterns[0]), definition: `Elastic ${patterns}; Sigma names no log source for this data` }
      : { product: "elastic", definition: "an Elastic rule that names no index pattern or data set; Sigma names no log source for it" };
  report({
    severity: "warning",
    code: "mapping/logsource-guessed",
    message: `nothing in the rule names a Sigma log source; it is written as {${describe(ls)}} with a definition (from ${patterns})`,
    field: "logsource",
  });
  return ls;
}

export function describe(ls: Logsource): string {
  return KEYS.flatMap((k) => (ls[k] !== undefined ? [`${k}: ${ls[k]}`] : [])).join(", ");
}

/** `okta.system` → product okta, service system; `endgame` → product endgame. */
export function datasetAsLogsource(dataset: string): Logsource {
  const dot = dataset.indexOf(".");
  const product = dot > 0 ? dataset.slice(0, dot) : dataset;
  const service = dot > 0 ? dataset.slice(dot + 1) : "";
  return service ? { product, service } : { product };
}

/** `logs-aws.cloudtrail-*` → `aws.cloudtrail`; `logs-windows.powershell*` → `windows.powershell`. */
export function indexDataset(pattern: string): string | undefined {
  const m = /^logs-([a-z0-9_]+\.[a-z0-9_.]*?)(?:-\*|\*|-.*)?$/.exec(pattern);
  return m?.[1] && !m[1].endsWith(".") ? m[1] : undefined;
}

/** `endgame-*` → endgame, `filebeat-*` → filebeat. */
function beatName(pattern: string): string {
  return /^(?:logs-)?([a-z0-9_]+)/i.exec(pattern)?.[1]?.toLowerCase() ?? "elastic";
}

/** The longest data-set key that the data set starts with. */
export function datasetLogsource(mapping: FieldMapping, dataset: string): Logsource | undefined {
  let best: string | undefined;
  for (const key of Object.keys(mapping.datasets ?? {})) {
    if ((dataset === key || dataset.startsWith(key)) && (!best || key.length > best.length)) best = key;
  }
  return best ? mapping.datasets![best] : undefined;
}

/** The keys every log source defines alike. */
export function agree(all: readonly Logsource[]): Logsource {
  const out: Record<string, string> = {};
  for (const k of KEYS) {
    const vs = all.map((l) => l[k]);
    if (vs.every((v) => v !== undefined && v === vs[0])) out[k] = vs[0]!;
  }
  return out as Logsource;
}

export function contextOf(mapping: FieldMapping, ctx: LiftContext): Context {
  const specific: { ls: Logsource; pattern: string }[] = [];
  const broad: { product: string; pattern: string }[] = [];
  const indexDatasets: string[] = [];
  let unknown = false;
  for (const p of ctx.index) {
    const product = mapping.products.index[p];
    if (product) broad.push({ product, pattern: p });
    if (product || mapping.products.broad?.includes(p)) continue;
    const ds = indexDataset(p);
    const ls = ds ? datasetLogsource(mapping, ds) : undefined;
    if (ds && !(ls && Object.keys(ls).length === 0)) indexDatasets.push(ds);
    if (!ls) unknown = true;
    else if (Object.keys(ls).length > 0) specific.push({ ls, pattern: p });
  }
  // A key stands when every pattern that names data says it alike; a pattern no table knows could
  // say anything, so then the patterns name nothing. Broad patterns only fill in a product.
  const index: Record<string, string> = specific.length > 0 && !unknown ? { ...agree(specific.map((s) => s.ls)) } : {};
  const indexSaid: Partial<Record<Key, string>> = {};
  for (const k of KEYS) if (index[k] !== undefined) indexSaid[k] = specific.find((s) => s.ls[k] === index[k])!.pattern;
  const products = new Set([...specific.map((s) => s.ls.product), ...broad.map((b) => b.product)]);
  if (index.product === undefined && !unknown && broad[0] && products.size === 1) {
    index.product = broad[0].product;
    indexSaid.product = broad[0].pattern;
  }
  const tag = tagProduct(mapping.products, ctx.tags);
  const tagProducts = [...new Set(ctx.tags.flatMap((t) => mapping.products.tags[t.toLowerCase()] ?? []))];
  return {
    index: index as Logsource,
    indexSaid,
    ...(tag ? { tagProduct: tag } : {}),
    tagProducts,
    indexDatasets,
    ...(ctx.readBack ? { readBack: ctx.readBack } : {}),
    patterns: ctx.index,
    ...(ctx.declared ? { declared: ctx.declared } : {}),
  };
}

function tagProduct(hints: ProductHints, tags: readonly string[]): string | undefined {
  for (const t of tags) {
    const p = hints.tags[t.toLowerCase()];
    if (p) return p;
  }
  return undefined;
}

/** Product from rule tags (`Windows`, `OS: Windows`) or index patterns (`winlogbeat-*`). */
export function productFromContext(hints: ProductHints, ctx: LiftContext): string | undefined {
  const t = tagProduct(hints, ctx.tags);
  if (t) return t;
  for (const i of ctx.index) {
    const p = hints.index[i];
    if (p) return p;
  }
  return undefined;
}
