/** The Elastic detection-rules TOML files under `dir`, in sorted walk order, read into rules (the figure scripts share it). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readRules } from "../dist/src/pipeline/read-rules.js";

export const ELASTIC_CORPUS = "../shared/corpus/elastic/rules";

export function tomlFiles(d, out = []) {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(d, e.name);
    if (e.isDirectory()) tomlFiles(p, out);
    else if (e.name.endsWith(".toml")) out.push(p);
  }
  return out;
}

export function readElasticCorpus(dir = ELASTIC_CORPUS) {
  return readRules(tomlFiles(dir).map((path) => ({ path, text: readFileSync(path, "utf8") })));
}
