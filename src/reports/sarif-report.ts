/**
 * `--report sarif FILE`: SARIF 2.1.0, the format GitHub code scanning uploads
 * (`github/codeql-action/upload-sarif`). Each finding is a result located at the rule file's line
 * and column; each check id is a reporting descriptor.
 */
import type { Severity } from "../diagnostics/diagnostic.js";
import type { Report } from "./report-entry.js";

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = { error: "error", warning: "warning", info: "note" };

export function renderSarifReport(r: Report, toolVersion: string): string {
  const checkIds = [...new Set(r.entries.map((e) => e.checkId))].sort();
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "rulecast",
            version: toolVersion,
            informationUri: "https://github.com/rulecast/rulecast",
            rules: checkIds.map((id) => ({ id, name: id, shortDescription: { text: id } })),
          },
        },
        results: r.entries.map((e) => ({
          ruleId: e.checkId,
          ruleIndex: checkIds.indexOf(e.checkId),
          level: LEVEL[e.severity],
          message: { text: e.title ? `${e.title}: ${e.message}` : e.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: e.file || "." },
                region: { startLine: e.line, startColumn: e.column },
              },
            },
          ],
          ...(e.ruleId ? { properties: { ruleId: e.ruleId, ...(e.title ? { title: e.title } : {}) } } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
