/**
 * The search command's directives, for the oracle: names that set the time range or the scope
 * (Splunk Search Reference: "Time modifiers" and the search-modifier list), which a search term
 * tests no event field with. Kept apart from the printer's table (src/query/spl/
 * spl-search-modifiers.ts), so that a name missing from one is caught by the other.
 */
const SEARCH_MODIFIERS: ReadonlySet<string> = new Set([
  "earliest", "latest", "_index_earliest", "_index_latest", "timeformat",
  "starttime", "endtime", "starttimeu", "endtimeu",
  "daysago", "hoursago", "minutesago", "monthsago",
  "startdaysago", "starthoursago", "startminutesago", "startmonthsago",
  "enddaysago", "endhoursago", "endminutesago", "endmonthsago",
  "searchtimespandays", "searchtimespanhours", "searchtimespanminutes", "searchtimespanmonths",
  "index", "splunk_server", "splunk_server_group", "savedsearch", "savedsplunk",
  "eventtype", "eventtypetag", "hosttag", "tag",
]);

/**
 * Whether `name=value` in a search part is not a plain field test: a modifier (in any case, as
 * Splunk matches them), or a name with `::`, the indexed-term syntax (`tag::host=x`, `field::value`).
 */
export function isSearchDirective(name: string): boolean {
  return SEARCH_MODIFIERS.has(name.toLowerCase()) || name.includes("::");
}
