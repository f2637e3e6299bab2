/**
 * Two rules with one id overwrite each other in Kibana; two with one name collide as Splunk
 * stanza names and as output file names. Names compare case-insensitively, as Splunk does.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { locate, type SourceTexts } from "./locate.js";

export function checkDuplicates(rules: readonly Rule[], texts: SourceTexts = new Map()): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Map<string, Rule>();
  const names = new Map<string, Rule>();
  for (const rule of rules) {
    const where = (r: Rule) => `${r.source.file}:${r.source.line}`;
    // The key's line: rule files say rule_id/name, Sigma id/title, TOML rule_id = / name =.
    const at = (key: RegExp) => ({ file: rule.source.file, ...locate(texts, rule, key), ruleId: rule.id });
    const sameId = ids.get(rule.id);
    if (sameId) out.push({ severity: "error", code: "rule/duplicate-id", message: `rule id ${rule.id} is also used by ${where(sameId)}`, ...at(/^\s*(rule_id|id)\s*[:=]/) });
    else ids.set(rule.id, rule);
    const key = rule.name.trim().toLowerCase();
    const sameName = names.get(key);
    if (sameName) out.push({ severity: "error", code: "rule/duplicate-name", message: `rule name \`${rule.name}\` is also used by ${where(sameName)}`, ...at(/^\s*(name|title)\s*[:=]/) });
    else names.set(key, rule);
  }
  return out;
}
