/**
 * Splunk data sources: what selects a log source's events. Each row of mappings/sigma-splunk.yaml
 * is a selector (index, source, sourcetype, eventtype, tag: where the events are) and an event
 * filter (EventCode: which of them). The selectors are named after ESCU's macros
 * (mappings/splunk-data-sources.yaml); `splunk.data_sources` replaces one, by that name for every
 * log source that uses it, or by log source, with the user's index/source/sourcetype or a macro.
 * `rulecast list data-sources` shows them, with the CIM data set of `--splunk-taxonomy cim`.
 */
import { logsourceContradiction } from "../../mapping/logsource-contradiction.js";
import { queryFields } from "../../ir/query-fields.js";
import type { Logsource, Query, SequenceStep, Value } from "../../ir/query.js";
import { findCimRoute, type CimMappings } from "../../mapping/cim-mapping.js";
import { loadMappingFile } from "../../mapping/mapping-table.js";
import { quoteSpl } from "../../query/spl/spl-tokens.js";

type Conditions = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/** The fields that say where events are, not which of them: a data source is made of these. */
export const SELECTOR_FIELDS = ["index", "source", "sourcetype", "eventtype", "tag"] as const;
const LOGSOURCE_KEYS = ["category", "product", "service"] as const;

export type Selector = { readonly macro: string } | { readonly conditions: Conditions };

/** One `splunk.data_sources` entry: `NAME -> SELECTOR` or `category=proxy -> SELECTOR`. */
export interface DataSourceEntry {
  readonly key: { readonly name: string } | { readonly logsource: Logsource };
  readonly selector: Selector;
}

export interface DataSourceTable {
  /** The default selectors by ESCU macro name. */
  readonly named: ReadonlyMap<string, Conditions>;
  /** Log source → selector and event filter (sigma-splunk.yaml's rows, most specific first). */
  readonly rows: readonly { readonly logsource: Logsource; readonly conditions: Conditions }[];
}

let table: DataSourceTable | undefined;
/** The packaged defaults: splunk-data-sources.yaml's names over sigma-splunk.yaml's rows. */
export function dataSourceTable(): DataSourceTable {
  if (table) return table;
  const named = (loadMappingFile("splunk-data-sources.yaml") as { data_sources: Record<string, Conditions> }).data_sources;
  const rows = (loadMappingFile("sigma-splunk.yaml") as { logsources: { sigma: Logsource; search: Conditions }[] }).logsources;
  table = { named: new Map(Object.entries(named)), rows: rows.map((r) => ({ logsource: r.sigma, conditions: r.search })) };
  return table;
}

const MACRO = /^`([A-Za-z_][A-Za-z0-9_]*)`$/;
// A value is one word, or a quoted string; neither may hold what would end the term or the search.
const TERM = /^(index|source|sourcetype|eventtype|tag)=(?:"([^"`|\\[\]\n\r]+)"|([^\s"`|\\[\]=()]+))(?:\s+|$)/;

/** A `splunk.data_sources` entry read, or what is wrong with it (naming the valid forms). */
export function parseDataSource(entry: string, names: readonly string[] = [...dataSourceTable().named.keys()]): DataSourceEntry | { readonly problem: string } {
  const arrow = entry.indexOf("->");
  const form = `write NAME -> SELECTOR or LOGSOURCE -> SELECTOR; NAME is one of ${names.join(", ")}; LOGSOURCE is ${LOGSOURCE_KEYS.map((k) => `${k}=…`).join(" ")}; SELECTOR is a macro such as \`sysmon\` or terms ${SELECTOR_FIELDS.map((f) => `${f}=…`).join(" ")}`;
  if (arrow < 0) return { problem: `\`${entry}\` is not a data source (${form})` };
  const left = entry.slice(0, arrow).trim();
  const right = entry.slice(arrow + 2).trim();
  let key: DataSourceEntry["key"];
  if (left.includes("=")) {
    const logsource: Record<string, string> = {};
    for (const part of left.split(/\s+/)) {
      const m = /^(category|product|service)=([A-Za-z0-9_.-]+)$/.exec(part);
      if (!m || logsource[m[1]!] !== undefined) return { problem: `\`${left}\` is not a log source (${form})` };
      logsource[m[1]!] = m[2]!;
    }
    key = { logsource };
  } else {
    if (!names.includes(left)) return { problem: `\`${left}\` is not a data source name (${form})` };
    key = { name: left };
  }
  const macro = MACRO.exec(right);
  if (macro) return { key, selector: { macro: macro[1]! } };
  const conditions: Record<string, string> = {};
  let rest = right;
  while (rest.length > 0) {
    const t = TERM.exec(rest);
    if (!t || conditions[t[1]!] !== undefined) return { problem: `\`${right}\` is not a selector (${form})` };
    conditions[t[1]!] = t[2] ?? t[3]!;
    rest = rest.slice(t[0].length);
  }
  if (Object.keys(conditions).length === 0) return { problem: `\`${entry}\` has no selector (${form})` };
  return { key, selector: { conditions } };
}

/** The option's check: undefined when the entry reads. */
export function dataSourceProblem(entry: string): string | undefined {
  const r = parseDataSource(entry);
  return "problem" in r ? r.problem : undefined;
}

/** What selects one log source's events, and where that came from. */
export interface DataSource {
  /** The ESCU name of its default selector, when it has one. */
  readonly name?: string;
  readonly selector: Selector;
  /** Which of the selected events the log source is (EventCode=1), in the row's order. */
  readonly filter: Conditions;
  /** The row's conditions as written, when nothing overrides them (the output stays as it was). */
  readonly unchanged?: Conditions;
  readonly from: "default" | "config";
}

const fits = (row: Logsource, ls: Logsource) => (Object.keys(row) as (keyof Logsource)[]).every((k) => row[k] === ls[k]);

const names = new WeakMap<DataSourceTable, ReadonlyMap<string, string>>();
/** A table's selector names by their conditions as JSON (the first name of equal ones), made once per table: asked for every rule. */
function nameOf(t: DataSourceTable): ReadonlyMap<string, string> {
  let m = names.get(t);
  if (!m) {
    const byJson = new Map<string, string>();
    for (const [name, c] of t.named) if (!byJson.has(JSON.stringify(c))) byJson.set(JSON.stringify(c), name);
    names.set(t, (m = byJson));
  }
  return m;
}

/** The data source of a log source: a config entry for it, else its row with the row's named selector overridden, if it is. */
export function dataSourceFor(ls: Logsource | undefined, entries: readonly DataSourceEntry[], t: DataSourceTable = dataSourceTable()): DataSource | undefined {
  if (!ls || Object.keys(ls).length === 0) return undefined;
  const byLogsource = entries
    .filter((e): e is DataSourceEntry & { key: { logsource: Logsource } } => "logsource" in e.key && fits(e.key.logsource, ls))
    .sort((a, b) => Object.keys(b.key.logsource).length - Object.keys(a.key.logsource).length)[0];
  const row = t.rows.find((r) => fits(r.logsource, ls));
  const selector: Record<string, Conditions[string]> = {};
  const filter: Record<string, Conditions[string]> = {};
  for (const [f, v] of Object.entries(row?.conditions ?? {})) ((SELECTOR_FIELDS as readonly string[]).includes(f) ? selector : filter)[f] = v;
  const name = row ? nameOf(t).get(JSON.stringify(selector)) : undefined;
  const byName = name === undefined ? undefined : [...entries].reverse().find((e) => "name" in e.key && e.key.name === name);
  const chosen = byLogsource ?? byName;
  if (chosen) return { ...(name !== undefined ? { name } : {}), selector: chosen.selector, filter, from: "config" };
  if (!row) return undefined;
  return { ...(name !== undefined ? { name } : {}), selector: { conditions: selector }, filter, unchanged: row.conditions, from: "default" };
}

/** Conditions as search terms, for `list data-sources`. */
function sayConditions(c: Conditions): string {
  return Object.entries(c)
    .map(([f, v]) => (Array.isArray(v) ? `${f} IN (${v.map((x) => JSON.stringify(x)).join(", ")})` : `${f}=${JSON.stringify(v)}`))
    .join(" ");
}

export function saySelector(s: Selector): string {
  return "macro" in s ? `\`${s.macro}\`` : sayConditions(s.conditions);
}

/** The conditions a log source's events are selected by, as query nodes ANDed in front of `q`. */
export function withConditions(q: Query, c: Conditions): Query {
  const conditions: Query[] = Object.entries(c).map(([field, v]) => {
    const values = Array.isArray(v) ? v : [v];
    const matches = values.map((x): Query => ({ kind: "match", field, value: typeof x === "number" ? { kind: "number", value: x, raw: String(x) } : stringValue(String(x)), caseSensitive: false }));
    return matches.length === 1 ? matches[0]! : { kind: "or", children: matches };
  });
  const body = q.kind === "and" ? q.children : q.kind === "all" ? [] : [q];
  const all = [...conditions, ...body];
  return all.length === 1 ? all[0]! : { kind: "and", children: all };
}

/** A user's `index=win*`: the `*` is Splunk's wildcard, as it is in a search. */
function stringValue(s: string): Value {
  const parts = s.split("*").flatMap((text, i) => [...(i > 0 ? [{ kind: "any" as const }] : []), ...(text ? [{ kind: "text" as const, value: text }] : [])]);
  return { kind: "string", parts };
}

export interface SelectProblem {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
}

/** A user's selector as search terms in front of the search: SPL's implicit AND binds loosest, so a prefix restricts the whole search (ESCU writes `` `sysmon` EventCode=1 ``). */
export function selectorText(s: Selector): string {
  // Values were checked to hold no quote or backslash; a `*` stays Splunk's wildcard, as in a search.
  return "macro" in s ? `\`${s.macro}\`` : Object.entries(s.conditions).map(([f, v]) => `${f}=${quoteSpl(String(v))}`).join(" ");
}

/**
 * A rule's query with its log sources' data sources in it (the rule's own for a boolean query;
 * each step's and each correlated rule's for the others). A default data source is query
 * conditions, as sigma-splunk.yaml writes them. A user's is search text in front of the whole search
 * (`prefix`), because `index` and a macro are not field tests the query can hold: the steps of a
 * search then share that one data source, and each step keeps its own event filter (EventCode);
 * steps whose data sources differ cannot share a prefix and are refused.
 */
export function selectEvents(q: Query, ls: Logsource | undefined, entries: readonly DataSourceEntry[], checkFields: (q: Query, ds: DataSource, ls: Logsource) => SelectProblem[]): { query: Query; prefix?: string; problems: SelectProblem[] } {
  const problems: SelectProblem[] = [];
  /** Per step: the user's selector text, "default", or "none". */
  const chosen: { readonly ls: Logsource | undefined; readonly selector: string }[] = [];
  const one = (query: Query, own: Logsource | undefined, multi: boolean): Query => {
    const ds = dataSourceFor(own, entries);
    if (!own || Object.keys(own).length === 0) {
      problems.push({ severity: "warning", code: "splunk/no-data-source", message: `${multi ? "a step names" : "the rule names"} no log source, so no data source selects its events: the search reads every event${multi ? " for that step" : ""}` });
      chosen.push({ ls: own, selector: "none" });
      return query;
    }
    if (!ds) {
      problems.push({
        severity: "warning",
        code: "mapping/logsource-unmapped",
        message: `log source {${Object.entries(own).map(([k, v]) => `${k}: ${v}`).join(", ")}} has no Splunk data source (sigma-splunk.yaml, or splunk.data_sources in the config); the search is not restricted to that source, and its field names are used as the rule writes them, unchecked against any add-on`,
      });
      chosen.push({ ls: own, selector: "none" });
      return query;
    }
    problems.push(...checkFields(query, ds, own));
    const clash = logsourceContradiction(ds.unchanged ?? ds.filter, query.kind === "and" ? query.children : [query]);
    if (clash) problems.push({ severity: "error", code: "mapping/logsource-contradiction", message: clash.message });
    if (ds.unchanged) {
      chosen.push({ ls: own, selector: "default" });
      return withConditions(query, ds.unchanged);
    }
    chosen.push({ ls: own, selector: selectorText(ds.selector) });
    return withConditions(query, ds.filter);
  };
  const step = (s: SequenceStep): SequenceStep => ({ ...s, query: one(s.query, s.logsource, true) });
  let query: Query;
  switch (q.kind) {
    case "sequence":
      query = { ...q, steps: q.steps.map(step), ...(q.until ? { until: step(q.until) } : {}) };
      break;
    case "sample":
      query = { ...q, steps: q.steps.map(step) };
      break;
    case "correlation":
      query = { ...q, rules: q.rules.map((r) => ({ ...r, query: one(r.query, r.logsource, true) })) };
      break;
    case "newTerms":
      // The history is searched over the same events as the window: one data source for both.
      query = { ...q, query: one(q.query, ls, false) };
      break;
    case "pipe":
      query = q;
      break;
    default:
      query = one(q, ls, false);
  }
  const own = chosen.filter((c) => c.selector !== "default" && c.selector !== "none");
  if (own.length === 0) return { query, problems };
  const differ = chosen.find((c) => c.selector !== own[0]!.selector);
  if (differ) {
    const say = (c: (typeof chosen)[number]) => `${c.ls ? sayLogsource(c.ls) : "(none)"}: ${c.selector === "default" ? "the default" : c.selector === "none" ? "none" : c.selector}`;
    problems.push({
      severity: "error",
      code: "splunk/data-source-steps",
      message: `the steps' data sources differ (${say(own[0]!)}; ${say(differ)}), and a data source from splunk.data_sources selects the events of the whole search; give these log sources one data source`,
    });
  }
  return { query, prefix: own[0]!.selector, problems };
}

export function sayLogsource(ls: Logsource): string {
  return Object.entries(ls).map(([k, v]) => `${k}=${v}`).join(",");
}

/**
 * Raw events selected by a CIM tag (`tag=proxy`, `tag=web`, `tag=network`) carry the CIM data
 * set's field names, not the Sigma taxonomy's (`c-useragent` is `http_user_agent` there): the
 * fields a query reads that the data set lacks, by name. A user's own selector (their proxy's
 * sourcetype) says the events are that product's, so nothing is checked then.
 */
// `cim` is asked for only when a tag selects the events: the CIM tables are read on first use.
export function fieldsOutsideTaggedData(q: Query, ds: DataSource, cim: () => CimMappings): { dataset: string; tag: string; fields: string[] } | undefined {
  if (ds.from !== "default" || !("conditions" in ds.selector)) return undefined;
  const tag = ds.selector.conditions["tag"];
  if (typeof tag !== "string") return undefined;
  const key = TAGGED_DATASETS[tag];
  const dataset = key ? cim().datasets.get(key) : undefined;
  if (!dataset) return undefined;
  const fields = [...new Set(queryFields(q).map((f) => f.field))].filter((f) => !dataset.fields.includes(f) && !(SELECTOR_FIELDS as readonly string[]).includes(f));
  return fields.length > 0 ? { dataset: dataset.key, tag, fields } : undefined;
}

/** The CIM data set whose tagged events a raw `tag=` selector reads (Web's Proxy data set has Web's fields). */
const TAGGED_DATASETS: Readonly<Record<string, string>> = { proxy: "Web.Web", web: "Web.Web", network: "Network_Traffic.All_Traffic" };

export function listDataSources(cim: CimMappings, entries: readonly DataSourceEntry[], out: (text: string) => void): void {
  const t = dataSourceTable();
  const rows: (readonly [string, string, string, string])[] = t.rows.map((l) => {
    const ds = dataSourceFor(l.logsource, entries, t)!;
    const search = [saySelector(ds.selector), sayConditions(ds.filter)].filter(Boolean).join(" ");
    const route = findCimRoute(cim.sigma, l.logsource);
    return [sayLogsource(l.logsource), `${ds.name ?? "-"}${ds.from === "config" ? " (config)" : ""}`, search, route ? `${route.route.dataset.key}${Object.keys(route.row.conditions).length ? ` (${sayLogsource(route.row.conditions)})` : ""}` : "-"] as const;
  });
  for (const e of entries) {
    if ("logsource" in e.key && !t.rows.some((r) => sayLogsource(r.logsource) === sayLogsource((e.key as { logsource: Logsource }).logsource))) {
      const route = findCimRoute(cim.sigma, e.key.logsource);
      rows.push([sayLogsource(e.key.logsource), "- (config)", saySelector(e.selector), route ? route.route.dataset.key : "-"]);
    }
  }
  for (const route of cim.sigma) {
    for (const row of route.logsources) {
      if (!rows.some((r) => r[0] === sayLogsource(row.logsource))) rows.push([sayLogsource(row.logsource), "-", "-", route.dataset.key]);
    }
  }
  const head = ["log source", "data source", "raw events (--splunk-taxonomy sigma)", "CIM data set (--splunk-taxonomy cim)"] as const;
  const w = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => `${r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join("  ")}\n`;
  out(line(head));
  for (const r of rows) out(line(r));
  out(`\ndata sources by name (override in the config: splunk.data_sources: ["NAME -> \`macro\`" or "NAME -> index=… sourcetype=…"]):\n`);
  for (const [name, c] of t.named) {
    const e = [...entries].reverse().find((x) => "name" in x.key && x.key.name === name);
    out(`  ${name.padEnd(Math.max(...[...t.named.keys()].map((n) => n.length)))}  ${e ? `${saySelector(e.selector)} (config; default ${sayConditions(c)})` : sayConditions(c)}\n`);
  }
}
