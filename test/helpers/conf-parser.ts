/**
 * savedsearches.conf and app.conf as Splunk reads them (src/render/conf-reader.ts, after Splunk's
 * AppInspect parser), as a test oracle: a map of stanzas (`default` first, empty unless keys come
 * before any header), throwing on anything Splunk would read differently or flag.
 */
import { readConf } from "../../src/render/conf-reader.js";

export type Conf = Map<string, Map<string, string>>;

export function parseConf(text: string): Conf {
  const read = readConf(text);
  const problem = read.problems[0];
  if (problem) throw new Error(`line ${problem.line}: ${problem.message}`);
  const conf: Conf = new Map([["default", new Map()]]);
  for (const s of read.stanzas) conf.set(s.name, new Map(s.keys));
  return conf;
}
