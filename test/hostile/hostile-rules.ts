/**
 * One rule in each input format (Sigma YAML, Elastic TOML, Kibana JSON, rulecast YAML) with any of
 * its metadata fields replaced, escaped the way each format escapes strings, so that a hostile
 * value arrives in the IR exactly as written. Used by the conf-injection tests.
 */

export type Format = "sigma" | "elastic-toml" | "elastic-json" | "native";
export const FORMATS: readonly Format[] = ["sigma", "elastic-toml", "elastic-json", "native"];

/** Metadata that reaches savedsearches.conf (as a value, a comment, or the stanza name). */
export type Field =
  | "id"
  | "title"
  | "description"
  | "author"
  | "tags"
  | "references"
  | "falsePositives"
  | "license"
  | "index"
  | "tacticName"
  | "techniqueName"
  | "historyChanges"
  | "previousQuery";

/** The fields each format can hold. */
export const FIELDS: Readonly<Record<Format, readonly Field[]>> = {
  sigma: ["id", "title", "description", "author", "tags", "references", "falsePositives", "license"],
  "elastic-toml": ["id", "title", "description", "author", "tags", "references", "falsePositives", "license", "index", "tacticName", "techniqueName"],
  "elastic-json": ["id", "title", "description", "author", "tags", "references", "falsePositives", "license", "index", "tacticName", "techniqueName"],
  native: ["id", "title", "description", "author", "tags", "references", "falsePositives", "license", "index", "tacticName", "techniqueName", "historyChanges", "previousQuery"],
};

export type Values = Readonly<Record<Field, string>>;

export const NORMAL: Values = {
  id: "4a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
  title: "Whoami Execution",
  description: "Detects whoami.exe.",
  author: "Analyst",
  tags: "attack.discovery",
  references: "https://example.org/whoami",
  falsePositives: "Administrators",
  license: "DRL-1.1",
  index: "logs-endpoint.events.process-*",
  tacticName: "Discovery",
  techniqueName: "System Owner/User Discovery",
  historyChanges: "first version",
  previousQuery: "process.name:whoami.exe",
};

/** A string escaped for a YAML double-quoted scalar, a TOML basic string or JSON alike. */
export function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function ruleFile(format: Format, v: Values): { path: string; text: string } {
  const q = quoted;
  switch (format) {
    case "sigma":
      return {
        path: "hostile.yml",
        text: [
          `title: ${q(v.title)}`,
          `id: ${q(v.id)}`,
          "status: test",
          `description: ${q(v.description)}`,
          `author: ${q(v.author)}`,
          `license: ${q(v.license)}`,
          `references: [${q(v.references)}, "https://example.org/other"]`,
          `tags: [${q(v.tags)}, attack.t1033]`,
          "logsource: {category: process_creation, product: windows}",
          "detection:",
          "  selection:",
          "    Image|endswith: '\\whoami.exe'",
          "  condition: selection",
          `falsepositives: [${q(v.falsePositives)}, Backups]`,
          "level: low",
          "",
        ].join("\n"),
      };
    case "elastic-toml":
      return {
        path: "hostile.toml",
        text: [
          "[metadata]",
          'creation_date = "2024/01/02"',
          "",
          "[rule]",
          `rule_id = ${q(v.id)}`,
          `name = ${q(v.title)}`,
          `description = ${q(v.description)}`,
          `author = [${q(v.author)}]`,
          `license = ${q(v.license)}`,
          `tags = [${q(v.tags)}, "OS: Windows"]`,
          `references = [${q(v.references)}]`,
          `false_positives = [${q(v.falsePositives)}]`,
          `index = [${q(v.index)}]`,
          'type = "query"',
          'language = "kuery"',
          'query = "process.name:whoami.exe"',
          'severity = "low"',
          "risk_score = 21",
          "",
          "[[rule.threat]]",
          'framework = "MITRE ATT&CK"',
          "[rule.threat.tactic]",
          'id = "TA0007"',
          `name = ${q(v.tacticName)}`,
          'reference = "https://attack.mitre.org/tactics/TA0007/"',
          "[[rule.threat.technique]]",
          'id = "T1033"',
          `name = ${q(v.techniqueName)}`,
          'reference = "https://attack.mitre.org/techniques/T1033/"',
          "",
        ].join("\n"),
      };
    case "elastic-json":
      return {
        path: "hostile.json",
        text: `${JSON.stringify(kibanaRule(v), null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`,
      };
    case "native":
      return {
        path: "hostile.yaml",
        text: [
          `rule_id: ${q(v.id)}`,
          `name: ${q(v.title)}`,
          `description: ${q(v.description)}`,
          "type: query",
          "language: kuery",
          `index: [${q(v.index)}]`,
          "severity: low",
          "risk_score: 21",
          `author: [${q(v.author)}]`,
          `license: ${q(v.license)}`,
          `tags: [${q(v.tags)}]`,
          `references: [${q(v.references)}]`,
          `false_positives: [${q(v.falsePositives)}]`,
          "threat:",
          "  - framework: MITRE ATT&CK",
          `    tactic: { id: TA0007, name: ${q(v.tacticName)}, reference: "https://attack.mitre.org/tactics/TA0007/" }`,
          "    techniques:",
          `      - { id: T1033, name: ${q(v.techniqueName)}, reference: "https://attack.mitre.org/techniques/T1033/" }`,
          "version: 2",
          "history:",
          `  - { version: 2, changes: [${q(v.historyChanges)}], previous_query: ${q(v.previousQuery)} }`,
          "query: process.name:whoami.exe",
          "",
        ].join("\n"),
      };
  }
}

function kibanaRule(v: Values): Record<string, unknown> {
  return {
    rule_id: v.id,
    name: v.title,
    description: v.description,
    author: [v.author],
    license: v.license,
    tags: [v.tags, "OS: Windows"],
    references: [v.references],
    false_positives: [v.falsePositives],
    index: [v.index],
    type: "query",
    language: "kuery",
    query: "process.name:whoami.exe",
    severity: "low",
    risk_score: 21,
    threat: [
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0007", name: v.tacticName, reference: "https://attack.mitre.org/tactics/TA0007/" },
        technique: [{ id: "T1033", name: v.techniqueName, reference: "https://attack.mitre.org/techniques/T1033/" }],
      },
    ],
  };
}
