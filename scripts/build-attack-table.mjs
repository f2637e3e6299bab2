// Regenerates data/attack-enterprise.json, the compact ATT&CK table rulecast ships (no download at
// run time). Source: ../shared/data/attack-enterprise-v18.1.json (MITRE ATT&CK, see LICENSE-ATTACK.txt).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

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
// ATT&CK v19 ids newer than this table, so that rules already written against v19 (SigmaHQ uses
// them) are recognised as newer, not as mistakes. Technique targets come from detection-rules'
// v18→v19 map (Elastic License 2.0); the two v19 tactics are named in ../shared/reference/targets.md.
const moves = parse(readFileSync("../shared/data/attack-v18-to-v19.yaml", "utf8"));
const newer = new Map();
for (const group of [moves.techniques ?? {}, moves.subtechniques ?? {}]) {
  for (const to of Object.values(group)) if (to && !table.techniques.some((t) => t[0] === to.id)) newer.set(to.id, to.name);
}
table.newer = {
  version: "19",
  source: "elastic/detection-rules detection_rules/etc/attack-version-maps/ @ 14cf530f (Elastic License 2.0)",
  tactics: [["stealth", "Stealth"], ["defense-impairment", "Defense Impairment"]],
  techniques: [...newer].sort(),
};
writeFileSync("data/attack-enterprise.json", JSON.stringify(table) + "\n");
copyFileSync("../shared/data/LICENSE-ATTACK.txt", "data/LICENSE-ATTACK.txt");
console.log(`wrote data/attack-enterprise.json: ${table.tactics.length} tactics, ${table.techniques.length} techniques`);
