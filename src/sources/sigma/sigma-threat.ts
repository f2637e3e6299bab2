/**
 * ATT&CK tags → Kibana-style `threat` entries: one per tactic tag, holding the tagged techniques
 * whose ATT&CK tactics include that tactic. Sub-techniques nest under their parent technique.
 */
import { attackTable, tacticReference, techniqueReference } from "../../attack/attack-table.js";
import type { AttackRef, Threat, ThreatTechnique } from "../../ir/rule.js";

export interface ThreatResult {
  readonly threat: Threat[];
  /** Tags naming tactics or techniques the bundled table does not know. */
  readonly unknown: string[];
}

/** Group, software, data-source, mitigation and asset tags carry no tactic or technique. */
const OTHER_ATTACK_TAG = /^(g|s|m|ds|a)\d{4}$/i;

export function threatFromTags(tags: readonly string[]): ThreatResult {
  const table = attackTable();
  const tactics: { id: string; name: string; shortname: string }[] = [];
  const techniques: string[] = [];
  const unknown: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.(.+)$/i.exec(tag);
    if (!m) continue;
    const rest = (m[1] as string).toLowerCase();
    if (OTHER_ATTACK_TAG.test(rest)) continue;
    if (/^t\d{4}(\.\d{3})?$/.test(rest)) {
      if (table.technique(rest)) techniques.push(rest.toUpperCase());
      else unknown.push(tag);
      continue;
    }
    const tactic = table.tacticByShortname(rest);
    if (!tactic) unknown.push(tag);
    else if (!tactics.some((t) => t.id === tactic.id)) tactics.push(tactic);
  }
  const threat = tactics.map((tactic): Threat => {
    const byParent = new Map<string, AttackRef[]>();
    for (const id of techniques) {
      const tech = table.technique(id);
      if (!tech?.tactics.includes(tactic.shortname)) continue;
      const parent = id.split(".")[0] as string;
      const subs = byParent.get(parent) ?? [];
      if (id !== parent && !subs.some((s) => s.id === id)) subs.push({ id, name: tech.name, reference: techniqueReference(id) });
      byParent.set(parent, subs);
    }
    const techs = [...byParent].map(([parent, subtechniques]): ThreatTechnique => ({
      id: parent,
      name: table.technique(parent)?.name ?? parent,
      reference: techniqueReference(parent),
      subtechniques,
    }));
    return {
      framework: "MITRE ATT&CK",
      tactic: { id: tactic.id, name: tactic.name, reference: tacticReference(tactic.id) },
      techniques: techs,
    };
  });
  return { threat, unknown };
}
