/**
 * Config defaults applied to a rule: the schedule for its severity and the index patterns for its
 * log source. A key the rule file sets itself always wins, so `explicit` names the top-level keys
 * the rule's file wrote (readers fill the same defaults whether or not a key was written).
 * Pure: Rule → Rule.
 */
import { parseDuration } from "../ir/duration.js";
import { coveringSchedule } from "../ir/match-window.js";
import type { Rule } from "../ir/rule.js";
import type { IndexPatterns, ScheduleDefault } from "./config-file.js";

export interface RuleDefaults {
  readonly schedule: Partial<Record<Rule["severity"], ScheduleDefault>>;
  readonly indexPatterns: readonly IndexPatterns[];
}

export function applyRuleDefaults(rule: Rule, defaults: RuleDefaults, explicit: ReadonlySet<string>): Rule {
  let out = rule;
  const d = defaults.schedule[rule.severity];
  const interval = d?.interval && !explicit.has("interval") ? parseDuration(d.interval) : undefined;
  const from = d?.from && !explicit.has("from") ? d.from : undefined;
  if (interval || from) {
    // A look-back the config chooses still has to cover a sequence's or correlation's window.
    const schedule = { ...out.schedule, ...(interval ? { interval } : {}), ...(from ? { from } : {}) };
    out = { ...out, schedule: explicit.has("from") ? schedule : coveringSchedule(schedule, out.query) };
  }
  if (out.index.length === 0 && !explicit.has("index") && out.logsource) {
    const ls = out.logsource;
    const row = defaults.indexPatterns.find((r) => (Object.keys(r.logsource) as (keyof typeof r.logsource)[]).every((k) => r.logsource[k] === ls[k]));
    if (row) out = { ...out, index: [...row.index] };
  }
  return out;
}

/**
 * Whether `applyRuleDefaults` can change any rule: without a schedule or index default (no config
 * file, or one that sets neither) it returns every rule as it is, and a caller need not find the
 * keys a file writes (a regular expression over each whole file).
 */
export function setsRuleDefaults(defaults: RuleDefaults): boolean {
  return defaults.indexPatterns.length > 0 || Object.values(defaults.schedule).some((d) => Boolean(d?.interval || d?.from));
}

/** Top-level keys a rule file writes (YAML `key:` or TOML `key =`, every document): `interval`, `from`, `index`, … */
export function topLevelKeys(text: string): Set<string> {
  return new Set([...text.matchAll(/^([A-Za-z_][\w.-]*)\s*[:=]/gm)].map((m) => m[1]!));
}
