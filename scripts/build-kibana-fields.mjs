// Regenerates data/kibana-rule-fields.json: the top-level keys a Kibana 9.5 detection rule of each
// type accepts, read from ../shared/reference/schemas/elastic-9.5 (elastic/detection-rules
// api_schemas, Elastic License 2.0). The Elastic target uses it to carry Kibana keys a rule holds
// in `custom` (building_block_type, new_terms_fields, ...) back to where Kibana reads them.
import { readFileSync, writeFileSync } from "node:fs";

const dir = "../shared/reference/schemas/elastic-9.5";
const types = ["query", "eql", "esql", "threshold", "new_terms", "threat_match", "machine_learning"];
const out = { source: "elastic/detection-rules detection_rules/etc/api_schemas/9.5 @ 14cf530f", types: {} };
for (const t of types) {
  const schema = JSON.parse(readFileSync(`${dir}/9.5.${t}.json`, "utf8"));
  out.types[t] = Object.keys(schema.properties).sort();
}
writeFileSync("data/kibana-rule-fields.json", JSON.stringify(out, null, 1) + "\n");
console.log(`wrote data/kibana-rule-fields.json: ${types.length} rule types`);
