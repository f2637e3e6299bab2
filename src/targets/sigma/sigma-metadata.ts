/**
 * Rule metadata in Sigma terms: ATT&CK mappings as `attack.*` tags, and everything Sigma has no
 * key for kept as custom attributes (Sigma allows extra top-level keys), so nothing is lost.
 */
import { attackTable } from "../../attack/attack-table.js";
import { formatDuration } from "../../ir/duration.js";
import type { Rule } from "../../ir/rule.js";

const SIGMA_TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

/** `attack.<tactic>` and `attack.t<id>` tags from the threat mapping, then the rule's own Sigma tags. */
export function sigmaTags(rule: Rule): string[] {
  const tags: string[] = [];
  const add = (t: string) => {
    if (!tags.includes(t)) tags.push(t);
  };
  const table = attackTable();
  for (const t of rule.threat) {
    if (t.framework !== "MITRE ATT&CK") continue;
    const tactic = table.tacticById(t.tactic.id) ?? table.tacticByName(t.tactic.name);
    if (tactic) add(`attack.${tactic.shortname}`);
    for (const tech of t.techniques) {
      add(`attack.${tech.id.toLowerCase()}`);
      for (const sub of tech.subtechniques) add(`attack.${sub.id.toLowerCase()}`);
    }
  }
  for (const t of rule.tags) if (SIGMA_TAG.test(t)) add(t);
  return tags;
}

/**
 * Keys Sigma has no place for. A rule written in Sigma gets its own extra keys back at the top
 * level; any other rule gets one `elastic` map with the Elastic rule fields, in rule-file order.
 */
export function sigmaCustomAttributes(rule: Rule): Record<string, unknown> {
  if (rule.language === "sigma") return { ...rule.custom };
  const e: Record<string, unknown> = {
    rule_id: rule.id,
    type: rule.type,
    language: rule.language,
    query: rule.queryText,
  };
  if (rule.index.length > 0) e.index = [...rule.index];
  e.risk_score = rule.riskScore;
  e.interval = formatDuration(rule.schedule.interval);
  e.from = rule.schedule.from;
  if (rule.schedule.to !== "now") e.to = rule.schedule.to;
  e.max_signals = rule.maxSignals;
  e.enabled = rule.enabled;
  e.version = rule.version;
  const otherTags = rule.tags.filter((t) => !SIGMA_TAG.test(t));
  if (otherTags.length > 0) e.tags = otherTags;
  if (rule.added) e.added = rule.added;
  if (rule.lastModified) e.last_modified = rule.lastModified;
  if (rule.threat.length > 0) {
    e.threat = rule.threat.map((t) => ({
      framework: t.framework,
      tactic: { ...t.tactic },
      techniques: t.techniques.map(({ subtechniques, ...x }) => ({
        ...x,
        ...(subtechniques.length > 0 ? { subtechniques: subtechniques.map((s) => ({ ...s })) } : {}),
      })),
    }));
  }
  if (rule.history.length > 0) {
    e.history = rule.history.map((h) => ({
      version: h.version,
      ...(h.release ? { release: h.release } : {}),
      changes: [...h.changes],
      ...(h.previousQuery ? { previous_query: h.previousQuery } : {}),
    }));
  }
  if (rule.note) e.note = rule.note;
  if (rule.setup) e.setup = rule.setup;
  if (Object.keys(rule.custom).length > 0) e.custom = { ...rule.custom };
  return { elastic: e };
}
