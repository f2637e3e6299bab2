/** A minimal rulecast rule file (YAML lines) for tests that vary only the query and the index. */
export interface RuleTextOptions {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly language?: "eql" | "kuery";
  readonly index?: readonly string[];
}

export function ruleText(o: RuleTextOptions): string {
  const language = o.language ?? "eql";
  return [
    `rule_id: ${o.id}`,
    `name: ${o.name}`,
    `description: ${o.name.toLowerCase()}`,
    `type: ${language === "eql" ? "eql" : "query"}`,
    `language: ${language}`,
    `index: ${JSON.stringify(o.index ?? ["winlogbeat-*", "logs-windows.sysmon_operational-*"])}`,
    "severity: low",
    "risk_score: 21",
    `query: ${JSON.stringify(o.query)}`,
  ].join("\n");
}
