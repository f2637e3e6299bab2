/**
 * Which reader a file needs, from its extension and (for YAML) its top-level keys, so that one
 * directory can mix rule files, Sigma rules and Elastic exports.
 */
import type { RuleSource } from "../ir/rule.js";

export type InputFormat = RuleSource["format"];

export function detectFormat(path: string, text: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".toml")) return "elastic-toml";
  if (lower.endsWith(".ndjson")) return "elastic-ndjson";
  if (lower.endsWith(".json")) return "elastic-json";
  if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
    if (/^(detection|correlation|filter|logsource)\s*:/m.test(text)) return "sigma";
    if (/^rule_id\s*:/m.test(text)) return "native";
    return undefined;
  }
  return undefined;
}
