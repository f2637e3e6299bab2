/** `--report json FILE`: the entries as they are, with the run's summary. */
import type { Report } from "./report-entry.js";

export function renderJsonReport(r: Report): string {
  return JSON.stringify({ tool: "rulecast", command: r.command, failOn: r.failOn, summary: r.summary, findings: r.entries }, null, 2) + "\n";
}
