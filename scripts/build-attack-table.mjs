// Regenerates data/attack-enterprise.json, the compact ATT&CK table rulecast ships (no download at
// run time). Source: ../shared/data/attack-enterprise-v18.1.json (MITRE ATT&CK, see LICENSE-ATTACK.txt).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const src = "../shared/data/attack-enterprise-v18.1.json";
const full = JSON.parse(readFileSync(src, "utf8"));
const table = {
  version: "18.1",
  source: full.source,
  license: "The MITRE Corporation; see data/LICENSE-ATTACK.txt",
  tactics: full.tactics.map((t) => [t.id, t.name, t.shortname]),
  // [id, name, tactic shortnames, revoked_by or "", deprecated 0/1]
  techniques: full.techniques.map((t) => [t.id, t.name, t.tactics ?? [], t.revoked ? (t.revoked_by ?? "") : "", t.deprecated ? 1 : 0]),
};
writeFileSync("data/attack-enterprise.json", JSON.stringify(table) + "\n");
copyFileSync("../shared/data/LICENSE-ATTACK.txt", "data/LICENSE-ATTACK.txt");
console.log(`wrote data/attack-enterprise.json: ${table.tactics.length} tactics, ${table.techniques.length} techniques`);
