// Regenerates data/ecs-field-types.json: every ECS field (and multi-field such as
// `process.command_line.text`) → its Elasticsearch type, from the @elastic/ecs package (Elastic's
// generated ECS field reference, Apache-2.0; a devDependency). What a KQL or EQL value means
// depends on it: Kibana compiles `field:a*b` to a `wildcard` query only on `keyword` fields.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { EcsFlat } = require("@elastic/ecs/build/commonjs/ecs_flat.js");
const version = require("@elastic/ecs/package.json").version;
const types = {};
for (const [name, f] of Object.entries(EcsFlat)) {
  types[name] = f.type;
  for (const m of f.multi_fields ?? []) types[m.flat_name] = m.type;
}
const sorted = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync("data/ecs-field-types.json", JSON.stringify({ source: `@elastic/ecs ${version}`, types: sorted }, null, 1) + "\n");
console.log(`wrote data/ecs-field-types.json: ${Object.keys(sorted).length} fields`);
