/**
 * Names that the search command reads as directives, not as field tests: `earliest="-3650d"` sets
 * the time range, `index=*` widens the scope, `savedsearch=x` runs another search's terms. A
 * condition on an event field of such a name can only be said in `| where` (eval has no
 * directives), and a reader of the search part must not take them for field tests.
 *
 * Time modifiers: Splunk Search Reference, "Time modifiers" (with the older `*ago`, `starttime`,
 * `searchtimespan*` forms the search command still accepts). Scope and expansion: the search
 * command's search-modifier list (index, splunk_server, splunk_server_group, savedsearch,
 * savedsplunk, eventtype, eventtypetag, hosttag, tag). `host`, `source` and `sourcetype` are on
 * that list too, but test the event's own default field, so they stay field comparisons.
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
