// Regenerates data/sigma-fields.json: per Sigma log source (product/category/service), the field
// names SigmaHQ's rules use under it, so that `check` can tell a typo (`Imagee`) from a field the
// community uses. Source: ../shared/corpus/sigma/rules (SigmaHQ, field names only; see its LICENSE).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const root = "../shared/corpus/sigma/rules";
const byLogsource = new Map();
let files = 0;

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(name)) read(p);
  }
}

function read(path) {
  files++;
  for (const doc of parseAllDocuments(readFileSync(path, "utf8"))) {
    const rule = doc.toJS();
    if (!rule || typeof rule !== "object" || !rule.detection || !rule.logsource) continue;
    const key = logsourceKey(rule.logsource);
    const fields = byLogsource.get(key) ?? new Set();
    byLogsource.set(key, fields);
    for (const [name, block] of Object.entries(rule.detection)) {
      if (name === "condition" || name === "timeframe") continue;
      for (const map of Array.isArray(block) ? block : [block]) {
        if (!map || typeof map !== "object" || Array.isArray(map)) continue;
        for (const [k, v] of Object.entries(map)) {
          const [field, ...modifiers] = k.split("|");
          if (field) fields.add(field);
          // `a|fieldref: b` names a second field as its value.
          if (modifiers.includes("fieldref")) for (const other of [v].flat()) if (typeof other === "string") fields.add(other);
        }
      }
    }
  }
}

/** `product/category/service`, empty parts kept, so one string names one log source exactly. */
function logsourceKey(ls) {
  return [ls.product ?? "", ls.category ?? "", ls.service ?? ""].join("/");
}

walk(root);
const out = {
  source: "SigmaHQ rules (../shared/corpus/sigma/rules): field names used per log source",
  files,
  logsources: Object.fromEntries([...byLogsource].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()])),
};
writeFileSync("data/sigma-fields.json", JSON.stringify(out, null, 0) + "\n");
console.log(`${files} files, ${byLogsource.size} log sources, ${[...byLogsource.values()].reduce((n, s) => n + s.size, 0)} field entries`);
