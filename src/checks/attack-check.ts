/**
 * ATT&CK ids and names against the bundled table (data/attack-enterprise.json): unknown ids are
 * errors; revoked or deprecated techniques, a name that differs from the table's, and a
 * technique listed under a tactic it does not belong to are warnings that say what to write.
 */
import type { AttackTable } from "../attack/attack-table.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { AttackRef, Rule } from "../ir/rule.js";
import { locate, type SourceTexts } from "./locate.js";

export function checkAttack(rule: Rule, table: AttackTable, texts: SourceTexts): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The id as text, not as a pattern: an id from a rule may hold regex syntax (`T1059(`).
  const at = (id: string, severity: "error" | "warning", code: string, message: string, hint?: string) => {
    const p = locate(texts, rule, new RegExp(`(?<!\\w)${id.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")}(?!\\w)`, "i"));
    out.push({ severity, code, message, file: rule.source.file, line: p.line, col: p.col, ruleId: rule.id, ...(hint ? { hint } : {}) });
  };
  const name = (ref: AttackRef, expected: string) => {
    if (ref.name && ref.name !== expected) at(ref.id, "warning", "attack/name-mismatch", `${ref.id} is named \`${expected}\` in ATT&CK v${table.version}, not \`${ref.name}\``);
  };
  for (const t of rule.threat) {
    const tactic = table.tacticById(t.tactic.id);
    if (!tactic) at(t.tactic.id, "error", "attack/unknown-tactic", `${t.tactic.id} is not an ATT&CK v${table.version} tactic`, "tactic ids are TA0001 … TA0043");
    else name(t.tactic, tactic.name);
    for (const tech of [...t.techniques, ...t.techniques.flatMap((x) => x.subtechniques)]) {
      const known = table.technique(tech.id);
      if (!known) {
        at(tech.id, "error", "attack/unknown-technique", `${tech.id} is not an ATT&CK v${table.version} technique`);
        continue;
      }
      if (known.revokedBy) {
        const by = table.technique(known.revokedBy);
        at(tech.id, "warning", "attack/revoked-technique", `${tech.id} (${known.name}) was revoked; use ${known.revokedBy}${by ? ` (${by.name})` : ""}`);
        continue;
      }
      if (known.deprecated) at(tech.id, "warning", "attack/deprecated-technique", `${tech.id} (${known.name}) is deprecated in ATT&CK v${table.version}`);
      name(tech, known.name);
      if (tactic && !known.tactics.includes(tactic.shortname)) {
        at(tech.id, "warning", "attack/tactic-mismatch", `${tech.id} (${known.name}) is not a technique of ${tactic.id} ${tactic.name}`, `its tactics: ${known.tactics.join(", ")}`);
      }
    }
  }
  return out;
}
