/**
 * Elastic rules as input: detection-rules TOML, Kibana export ndjson, one rule as JSON. Each
 * reader is `(path, text) => { rules, diagnostics }` and never throws for bad input.
 */
import { hasExtension, type SourceSpec } from "../source.js";
import { readElasticToml } from "./read-elastic-toml.js";
import { readElasticJson, readKibanaNdjson } from "./read-kibana-json.js";

export { readElasticToml } from "./read-elastic-toml.js";
export { readElasticJson, readKibanaNdjson } from "./read-kibana-json.js";
export { kibanaRuleToIr, type RuleExtras, type RuleLocator } from "./kibana-rule.js";
export type { ElasticReadResult } from "./read-result.js";

export const elasticSources: readonly SourceSpec[] = [
  { format: "elastic-toml", summary: "elastic/detection-rules TOML", detect: (path) => hasExtension(path, [".toml"]), read: (path, text) => readElasticToml(path, text) },
  {
    format: "elastic-json",
    summary: "one Kibana rule as JSON",
    detect: (path) => hasExtension(path, [".json"]),
    // Text on stdin that starts like JSON is one rule's JSON (an export would come as a file).
    detectText: (text) => /^\s*[[{]/.test(text),
    read: (path, text) => readElasticJson(path, text),
  },
  { format: "elastic-ndjson", summary: "a Kibana rule export (one rule per line)", detect: (path) => hasExtension(path, [".ndjson"]), read: (path, text) => readKibanaNdjson(path, text) },
];
