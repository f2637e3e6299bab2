/**
 * `rulecast list data-sources`: per Sigma log source, the Splunk conditions that select its raw
 * events (mappings/sigma-splunk.yaml) and, for `--splunk-taxonomy cim`, the CIM data set that holds
 * them (mappings/sigma-cim.yaml).
 */
import { findCimRoute, type CimMappings } from "../../mapping/cim-mapping.js";
import type { TargetMapping } from "../../mapping/mappings.js";

export function listDataSources(raw: TargetMapping, cim: CimMappings, out: (text: string) => void): void {
  const say = (ls: object) => Object.entries(ls).map(([k, v]) => `${k}=${v}`).join(",");
  const rows: (readonly [string, string, string])[] = raw.logsources.map((l) => {
    const search = Object.entries(l.conditions).map(([f, v]) => (Array.isArray(v) ? `${f} IN (${v.map((x) => JSON.stringify(x)).join(", ")})` : `${f}=${JSON.stringify(v)}`)).join(" ");
    const route = findCimRoute(cim.sigma, l.logsource);
    return [say(l.logsource), search, route ? `${route.route.dataset.key}${Object.keys(route.row.conditions).length ? ` (${say(route.row.conditions)})` : ""}` : "-"] as const;
  });
  for (const route of cim.sigma) {
    for (const row of route.logsources) {
      if (!raw.logsources.some((l) => say(l.logsource) === say(row.logsource))) rows.push([say(row.logsource), "-", route.dataset.key]);
    }
  }
  const w0 = Math.max(...rows.map((r) => r[0].length), "log source".length);
  const w1 = Math.max(...rows.map((r) => r[1].length), "raw events (--splunk-taxonomy sigma)".length);
  out(`${"log source".padEnd(w0)}  ${"raw events (--splunk-taxonomy sigma)".padEnd(w1)}  CIM data set (--splunk-taxonomy cim)\n`);
  for (const [a, b, c] of rows) out(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
}
