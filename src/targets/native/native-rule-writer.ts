/**
 * Rule IR → a rulecast rule file (YAML, schema/rule.schema.json), the inverse of
 * readNativeRuleFile: `readNativeRuleFile(f, writeNativeRule(r))` gives back `r` (but `source`)
 * for every rule the schema can hold. Keys come in the schema's order; the query is the author's
 * text, never re-printed. What the schema has no key for goes under `custom:`. Exact text relies
 * on the `yamlBlock` helper: literal blocks only where they read back byte for byte, quotes else.
 */
import { countThreshold } from "../../ir/count-threshold.js";
import { formatDuration } from "../../ir/duration.js";
import type { Rule, Threat } from "../../ir/rule.js";
import { loadTemplates, type Templates } from "../../render/templates.js";

/** `writeNativeRule(rule)` → `rule_id: ...\nname: ...\n...` (LF, one trailing newline). */
export function writeNativeRule(rule: Rule, templates: Templates = loadTemplates()): string {
  return templates.render("native/rule.yaml.hbs", nativeRuleView(rule));
}

/**
 * The view: one ordered map per group of keys (identity, schedule, descriptive metadata,
 * ATT&CK and history, query, samples, custom), each rendered as a YAML block by the template.
 * A group that is empty is `false`, so the template can skip it.
 */
export function nativeRuleView(rule: Rule): Record<string, Record<string, unknown> | false> {
  // A machine_learning rule has no query (its job decides): the file says neither query nor the
  // language the reader assumes for it.
  const noQuery = rule.type === "machine_learning" && rule.queryText === "" && rule.language === "kuery";
  const identity = {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    type: rule.type,
    ...(noQuery ? {} : { language: rule.language }),
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
    // Only what the rule said: a target's own default (Splunk ships disabled) applies otherwise.
    ...(rule.enabledByRule !== undefined ? { enabled: rule.enabledByRule } : {}),
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
  // The rule file keeps Kibana's threshold syntax; the IR holds a threshold as a count correlation.
  const threshold = rule.query.kind === "correlation" ? countThreshold(rule.query) : undefined;
  const attack = {
    ...(rule.threat.length > 0 ? { threat: rule.threat.map(threatView) } : {}),
    ...(threshold
      ? {
          threshold: {
            field: threshold.groupBy,
            value: threshold.events,
            ...(threshold.distinct ? { cardinality: [{ field: threshold.distinct.field, value: threshold.distinct.count }] } : {}),
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
  // `logsource` has no schema key; it rides in custom, beside any extra keys a Sigma log source had
  // (readers keep those in custom.logsource), and the reader takes category/product/service back.
  const extra = rule.custom["logsource"];
  const merged = rule.logsource && (extra === undefined || (extra !== null && typeof extra === "object" && !Array.isArray(extra)))
    ? { ...rule.logsource, ...(extra as Record<string, unknown> | undefined) }
    : undefined;
  const custom = { ...rule.custom, ...(merged ? { logsource: merged } : {}) };
  const group = (g: Record<string, unknown>) => (Object.keys(g).length > 0 ? g : false);
  return {
    identity: group(identity),
    schedule: group(schedule),
    about: group(about),
    attack: group(attack),
    query: noQuery ? false : group({ query: rule.queryText }),
    samples: group(samples),
    custom: Object.keys(custom).length > 0 ? { custom } : false,
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
