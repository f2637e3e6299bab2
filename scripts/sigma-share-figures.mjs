// Figures for "Sharing Sigma" (issue 19): converts the Elastic corpus to Sigma with the default
// options (or `--sigma-case X`, `--sigma-profile X`) and counts what the Sigma toolchain cares about.
// `node scripts/sigma-share-figures.mjs [corpus dir] [--list CODE] [--fields]` after `npm run build`.
// `--fields`: for the files left in ECS names, which ECS fields keep them there, per lifted log
// source (from each rule's sigma/ecs-taxonomy warning), and which field alone does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { loadMappings } from "../dist/src/mapping/mappings.js";
import { convertRule } from "../dist/src/pipeline/convert.js";
import { ELASTIC_CORPUS, readElasticCorpus } from "./read-elastic-corpus.mjs";
import { loadTemplates } from "../dist/src/render/templates.js";
import { defaultOptionValues } from "../dist/src/options/option-spec.js";
import { BUILTIN_TARGETS } from "../dist/src/targets/registry.js";
import { declaredMappings, declaredOptions } from "../dist/src/targets/target.js";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const list = opt("--list");
const fieldsAt = args.indexOf("--fields");
const tallyFields = fieldsAt >= 0 && args.splice(fieldsAt, 1).length > 0;
const byField = new Map();
const alone = new Map();
const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
const extra = JSON.parse(opt("--options") ?? "{}");
const dir = args[0] ?? ELASTIC_CORPUS;
const read = readElasticCorpus(dir);
const ctx = {
  targets: BUILTIN_TARGETS.targets,
  templates: loadTemplates(),
  mappings: loadMappings({}, declaredMappings(BUILTIN_TARGETS)),
  options: { ...defaultOptionValues(declaredOptions(BUILTIN_TARGETS)), ...extra },
  vars: {},
};

// The Sigma JSON schemas (../shared/reference/schemas/sigma); a custom attribute is a top-level key
// the schema does not define (the schemas allow them, SigmaHQ review does not).
const schemaDir = "../shared/reference/schemas/sigma";
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const schemas = {
  rule: JSON.parse(readFileSync(join(schemaDir, "sigma-detection-rule-schema.json"), "utf8")),
  correlation: JSON.parse(readFileSync(join(schemaDir, "sigma-correlation-rules-schema.json"), "utf8")),
};
const validate = { rule: ajv.compile(schemas.rule), correlation: ajv.compile(schemas.correlation) };
const known = { rule: new Set(Object.keys(schemas.rule.properties)), correlation: new Set(Object.keys(schemas.correlation.properties)) };
const count = new Map();
const hit = (k, file) => {
  const c = count.get(k) ?? { n: 0, files: [] };
  c.n++;
  c.files.push(file);
  count.set(k, c);
};
let files = 0;
let rulesIn = 0;
const hasLetter = /\p{L}/u;
const walkDetection = (det, visit) => {
  for (const [name, s] of Object.entries(det ?? {})) {
    if (name === "condition") continue;
    const maps = Array.isArray(s) ? s.filter((x) => x && typeof x === "object") : [s];
    for (const m of maps) if (m && typeof m === "object") for (const [k, v] of Object.entries(m)) visit(k, v);
  }
};
for (const r of read.rules) {
  rulesIn++;
  const res = convertRule(r, ["sigma"], ctx);
  for (const f of res.files) {
    files++;
    const docs = parseAllDocuments(f.content).map((d) => d.toJS());
    const usesScriptBlock = /script_block_text/.test(r.queryText ?? "");
    let ecs = false, cased = false, casedNoLetter = false, emptyLs = false, notPs = false, invalid = false, custom = false, textEventId = false;
    for (const d of docs) {
      const kind = d.correlation ? "correlation" : "rule";
      if (!validate[kind](d)) invalid = true;
      if (Object.keys(d).some((k) => !known[kind].has(k))) custom = true;
      if (d.detection) walkDetection(d.detection, (k, v) => {
        if (k.split("|")[0] === "EventID" && (Array.isArray(v) ? v : [v]).some((x) => typeof x === "string")) textEventId = true;
      });
      if (d.taxonomy === "ecs") ecs = true;
      if (d.detection) {
        if (!d.logsource || Object.keys(d.logsource).length === 0) emptyLs = true;
        walkDetection(d.detection, (k, v) => {
          if (!k.includes("|cased")) return;
          cased = true;
          const vals = Array.isArray(v) ? v : [v];
          if (vals.some((x) => !hasLetter.test(String(x)))) casedNoLetter = true;
        });
        if (usesScriptBlock && d.logsource?.category !== "ps_script") notPs = true;
      }
    }
    const id = `${f.path} <- ${r.source.file}`;
    if (ecs) hit("taxonomy: ecs", id);
    if (ecs && tallyFields) {
      const ls = docs.find((d) => d.logsource)?.logsource ?? {};
      const where = [ls.product, ls.category, ls.service].filter(Boolean).join("/") || "(none)";
      const said = res.diagnostics.find((d) => d.code === "sigma/ecs-taxonomy")?.message ?? "";
      const names = [...said.split(";")[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      for (const n of names) bump(byField, `${where}  ${n}`);
      if (names.length === 1) bump(alone, `${where}  ${names[0]}`);
    }
    if (cased) hit("|cased", id);
    if (casedNoLetter) hit("|cased on a value without letters", id);
    if (emptyLs) hit("empty logsource", id);
    if (usesScriptBlock) hit("script-block rules", id);
    if (notPs) hit("script-block rule not under ps_script", id);
    if (docs.some((d) => d.elastic !== undefined)) hit("custom attribute elastic:", id);
    if (invalid) hit("invalid against the Sigma JSON schemas", id);
    if (custom) hit("any custom attribute", id);
    if (textEventId) hit("EventID written as text", id);
  }
}
console.log(`rules read: ${rulesIn}; Sigma files written: ${files}`);
for (const [k, c] of count) console.log(`  ${String(c.n).padStart(5)}  ${k} (${((c.n / files) * 100).toFixed(1)} %)`);
if (list) for (const f of count.get(list)?.files ?? []) console.log(f);
if (tallyFields) {
  const top = (m) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`).join("\n");
  console.log(`ECS fields in files left in ECS names, per log source (a file counts once per field):\n${top(byField)}`);
  console.log(`files left in ECS names by one field alone:\n${top(alone)}`);
}
