/** rulecast rule files as input (schema/rule.schema.json). */
import { hasExtension, type SourceSpec } from "../source.js";
import { readNativeRuleFile } from "./read-native-rule.js";

/** A rule file has `rule_id`, and none of Sigma's top-level keys, which its schema does not allow. */
const looksNative = (text: string) => /^rule_id\s*:/m.test(text) && !/^(detection|correlation|filter|logsource)\s*:/m.test(text);

export const nativeSource: SourceSpec = {
  format: "native",
  summary: "rulecast rule files (YAML, schema/rule.schema.json)",
  detect: (path, text) => hasExtension(path, [".yml", ".yaml"]) && looksNative(text),
  detectText: looksNative,
  read: (path, text) => readNativeRuleFile(path, text),
};
