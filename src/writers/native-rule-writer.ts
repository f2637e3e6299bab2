/**
 * Rule IR → a rulecast rule file (YAML, schema/rule.schema.json), the inverse of
 * readNativeRuleFile: `readNativeRuleFile(f, writeNativeRule(r))` gives back `r` (but `source`)
 * for every rule the schema can hold. Keys come in the schema's order; the query is the author's
 * text, never re-printed. What the schema has no key for goes under `custom:`.
 */
import { Document, Scalar } from "yaml";
import { formatDuration } from "../ir/duration.js";
import type { Rule, Threat } from "../ir/rule.js";
import { loadTemplates, type Templates } from "../render/templates.js";

/** `writeNativeRule(rule)` → `rule_id: ...\nname: ...\n...` (LF, one trailing newline). */
export function writeNativeRule(rule: Rule, templates: Templates = loadTemplates()): string {
  return templates.render("native/rule.yaml.hbs", nativeRuleView(rule));
}

/**
 * The view: one ordered map per group of keys (identity, schedule, descriptive metadata,
 * ATT&CK and history, query, samples, custom), each rendered as a YAML block by the template.
 * A group that is empty is `false`, so the template can skip it.
 */
export function nativeRuleView(rule: Rule): Record<string, Document | false> {
  const identity = {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    type: rule.type,
    language: rule.language,
    taxonomy: rule.taxonomy,
    ...(rule.index.length > 0 ? { index: rule.index } : {}),
    severity: rule.severity,
    risk_score: rule.riskScore,
  };
  const schedule = {
    interval: formatDuration(rule.schedule.interval),
    from: rule.schedule.from,
    to: rule.schedule.to,
    max_signals: rule.maxSignals,
    enabled: rule.enabled,
  };
  const about = {
    ...(rule.tags.length > 0 ? { tags: rule.tags } : {}),
    version: rule.version,
    // The schema wants at least one author when the key is present.
    ...(rule.authors.length > 0 ? { author: rule.authors } : {}),
    ...(rule.license !== undefined ? { license: rule.license } : {}),
    ...(rule.falsePositives.length > 0 ? { false_positives: rule.falsePositives } : {}),
    ...(rule.references.length > 0 ? { references: rule.references } : {}),
    ...(rule.note !== undefined ? { note: rule.note } : {}),
    ...(rule.setup !== undefined ? { setup: rule.setup } : {}),
    ...(rule.added !== undefined ? { added: rule.added } : {}),
    ...(rule.lastModified !== undefined ? { last_modified: rule.lastModified } : {}),
    ...(rule.status !== undefined ? { status: rule.status } : {}),
    ...(rule.date !== undefined ? { date: rule.date } : {}),
    ...(rule.modified !== undefined ? { modified: rule.modified } : {}),
  };
  const attack = {
    ...(rule.threat.length > 0 ? { threat: rule.threat.map(threatView) } : {}),
    ...(rule.threshold
      ? {
          threshold: {
            field: rule.threshold.field,
            value: rule.threshold.value,
            ...(rule.threshold.cardinality.length > 0 ? { cardinality: rule.threshold.cardinality } : {}),
          },
        }
      : {}),
    ...(rule.history.length > 0
      ? {
          history: rule.history.map((h) => ({
            version: h.version,
            ...(h.release !== undefined ? { release: h.release } : {}),
            changes: h.changes,
            ...(h.previousQuery !== undefined ? { previous_query: h.previousQuery } : {}),
          })),
        }
      : {}),
  };
  const samples = rule.samples ? { samples: { match: rule.samples.match, no_match: rule.samples.noMatch } } : {};
  // `logsource` has no schema key; it rides in custom unless custom already uses that name.
  const custom = {
    ...rule.custom,
    ...(rule.logsource && !("logsource" in rule.custom) ? { logsource: rule.logsource } : {}),
  };
  const group = (g: Record<string, unknown>) => (Object.keys(g).length > 0 ? yamlDocument(g) : false);
  return {
    identity: group(identity),
    schedule: group(schedule),
    about: group(about),
    attack: group(attack),
    query: group({ query: rule.queryText }),
    samples: group(samples),
    custom: Object.keys(custom).length > 0 ? yamlDocument({ custom }) : false,
  };
}

function threatView(t: Threat): Record<string, unknown> {
  return {
    framework: t.framework,
    tactic: { ...t.tactic },
    ...(t.techniques.length > 0
      ? {
          techniques: t.techniques.map((x) => ({
            id: x.id,
            name: x.name,
            ...(x.reference !== undefined ? { reference: x.reference } : {}),
            ...(x.subtechniques.length > 0 ? { subtechniques: x.subtechniques.map((s) => ({ ...s })) } : {}),
          })),
        }
      : {}),
  };
}

/**
 * A group of keys as a YAML document whose strings carry their style (below). Double-quoted text
 * stays on one line: YAML's folded form would end lines in an escaped space (`\ `), which the
 * renderer's trailing-space trim would cut.
 */
function yamlDocument(group: Record<string, unknown>): Document {
  return new Document(styled(group), { toStringDefaults: { doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER } });
}

/**
 * Chooses how each string is written so that it reads back byte for byte. Multi-line text is a
 * literal block (`|`) — except when a line ends in spaces or tabs, or holds a carriage return (a
 * block cannot keep those through the renderer's trailing-space trim), or the text starts with
 * blank space (yaml 2.x writes a wrong indentation indicator with a 4-space indent): such text is
 * written double-quoted with escapes, on one line.
 */
function styled(v: unknown): unknown {
  if (typeof v === "string") {
    if (/\r/.test(v) || (v.includes("\n") && /[ \t](\n|$)|^[ \t\n]/.test(v))) return scalar(v, Scalar.QUOTE_DOUBLE);
    if (v.includes("\n")) return scalar(v, Scalar.BLOCK_LITERAL);
    return v;
  }
  if (Array.isArray(v)) return v.map(styled);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, styled(x)]));
  return v;
}

function scalar(value: string, type: Scalar.Type): Scalar {
  const s = new Scalar(value);
  s.type = type;
  return s;
}
