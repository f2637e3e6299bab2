// Regenerates data/escu-cim-fields.json: per CIM data set, the fields Splunk's own ESCU detections
// search, group by or require (`Processes.process_name`), with how many detections use each. It is
// the evidence that mappings/cim-datamodels.yaml names the fields Splunk engineers actually use.
// Source: ../shared/corpus/splunk/detections (splunk/security_content, field names only).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = "../shared/corpus/splunk/detections";
const models = parse(readFileSync("mappings/cim-datamodels.yaml", "utf8")).datamodels;
/** tstats object name (`All_Traffic`) → data set key (`Network_Traffic.All_Traffic`). */
const objects = new Map();
for (const [model, sets] of Object.entries(models)) for (const [set, def] of Object.entries(sets)) objects.set(def.object, `${model}.${set}`);

const byDataset = new Map();
let files = 0;
let detections = 0;

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(name)) read(p);
  }
}

function read(path) {
  files++;
  const d = parse(readFileSync(path, "utf8"));
  if (!d || typeof d.search !== "string" || !/\bdatamodel\s*=/.test(d.search)) return;
  detections++;
  const text = [d.search, ...(d.tags?.required_fields ?? [])].join("\n");
  const seen = new Set();
  for (const m of text.matchAll(/\b([A-Z][A-Za-z_]*)\.([a-z][a-z0-9_]*)\b/g)) {
    const set = objects.get(m[1]);
    if (!set) continue;
    const key = `${set}\u0000${m[2]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const fields = byDataset.get(set) ?? new Map();
    byDataset.set(set, fields);
    fields.set(m[2], (fields.get(m[2]) ?? 0) + 1);
  }
}

walk(root);
const datasets = {};
for (const set of [...byDataset.keys()].sort()) {
  datasets[set] = Object.fromEntries([...byDataset.get(set)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
const out = { source: "Splunk ESCU detections (../shared/corpus/splunk/detections): CIM fields per data set, with the number of detections using each", files, detections, datasets };
writeFileSync("data/escu-cim-fields.json", `${JSON.stringify(out, null, 1)}\n`);
console.log(`${detections} tstats detections of ${files} files; ${Object.keys(datasets).length} data sets`);
