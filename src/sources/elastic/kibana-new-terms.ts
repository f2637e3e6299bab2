/**
 * A new-terms rule's settings (Kibana `new_terms_fields`, `history_window_start`) as the IR's typed
 * `Rule.newTerms`, shared by the Elastic readers and the rule-file reader (which keeps the keys
 * under `custom:`). The keys also stay where they were, for Kibana. Read only when well-formed:
 * otherwise the targets that search first-seen values refuse the rule by name.
 */
import type { NewTermsSettings, RuleType } from "../../ir/rule.js";

export function readNewTerms(type: RuleType, fields: unknown, historyStart: unknown): NewTermsSettings | undefined {
  if (type !== "new_terms") return undefined;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === "string") || typeof historyStart !== "string") return undefined;
  return { fields: [...(fields as string[])], historyStart };
}
