/**
 * Elastic rules as input: detection-rules TOML, Kibana export ndjson, one rule as JSON. Each
 * reader is `(path, text) => { rules, diagnostics }` and never throws for bad input.
 */
export { readElasticToml } from "./read-elastic-toml.js";
export { readElasticJson, readKibanaNdjson } from "./read-kibana-json.js";
export { kibanaRuleToIr, type RuleExtras, type RuleLocator } from "./kibana-rule.js";
export type { ElasticReadResult } from "./read-result.js";
