/**
 * An ATT&CK Navigator layer (format 4.5) of the techniques a rule set covers: score = number of
 * rules, comment = their names. A revoked technique counts for the technique that replaced it
 * (Navigator shows only current ones; `rulecast check` warns about the old id). Deterministic:
 * techniques sorted by id, then tactic.
 */
import type { Rule } from "../ir/rule.js";
import type { AttackTable } from "./attack-table.js";

export interface LayerOptions {
  readonly name: string;
  readonly description?: string;
}

export function attackLayer(rules: readonly Rule[], table: AttackTable, opts: LayerOptions): object {
  const cells = new Map<string, { techniqueID: string; tactic: string; rules: Set<string> }>();
  for (const rule of rules) {
    for (const t of rule.threat) {
      const tactic = table.tacticById(t.tactic.id);
      for (const tech of [...t.techniques, ...t.techniques.flatMap((x) => x.subtechniques)]) {
        let known = table.technique(tech.id);
        if (known?.revokedBy) known = table.technique(known.revokedBy);
        if (!known) continue;
        const tactics = tactic && known.tactics.includes(tactic.shortname) ? [tactic.shortname] : known.tactics;
        for (const shortname of tactics) {
          const key = `${known.id}\u0000${shortname}`;
          const cell = cells.get(key) ?? { techniqueID: known.id, tactic: shortname, rules: new Set<string>() };
          cell.rules.add(rule.name);
          cells.set(key, cell);
        }
      }
    }
  }
  const techniques = [...cells.values()]
    .sort((a, b) => compareIds(a.techniqueID, b.techniqueID) || a.tactic.localeCompare(b.tactic))
    .map((c) => ({
      techniqueID: c.techniqueID,
      tactic: c.tactic,
      score: c.rules.size,
      comment: [...c.rules].sort().join("; "),
      enabled: true,
      showSubtechniques: false,
    }));
  const max = Math.max(1, ...techniques.map((t) => t.score));
  return {
    name: opts.name,
    versions: { attack: table.version.split(".")[0], navigator: "5.1.0", layer: "4.5" },
    domain: "enterprise-attack",
    description: opts.description ?? `Coverage of ${rules.length} rules (ATT&CK v${table.version}), written by rulecast`,
    sorting: 0,
    layout: { layout: "side", aggregateFunction: "max", showID: true, showName: true },
    hideDisabled: false,
    techniques,
    gradient: { colors: ["#ffffff", "#66b1ff"], minValue: 0, maxValue: max },
    legendItems: [],
    metadata: [],
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}

/** T1059 < T1059.001 < T1060: numeric by parts. */
function compareIds(a: string, b: string): number {
  const pa = a.slice(1).split(".").map(Number);
  const pb = b.slice(1).split(".").map(Number);
  return (pa[0]! - pb[0]!) || ((pa[1] ?? -1) - (pb[1] ?? -1));
}
