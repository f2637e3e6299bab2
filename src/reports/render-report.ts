/** Report formats by name, for `--report FORMAT FILE`. */
import { renderJsonReport } from "./json-report.js";
import { renderJunitReport } from "./junit-report.js";
import type { Report } from "./report-entry.js";
import { renderSarifReport } from "./sarif-report.js";

export const REPORT_FORMATS = ["json", "sarif", "junit"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(format: ReportFormat, report: Report, toolVersion: string): string {
  switch (format) {
    case "json":
      return renderJsonReport(report);
    case "sarif":
      return renderSarifReport(report, toolVersion);
    case "junit":
      return renderJunitReport(report);
  }
}
