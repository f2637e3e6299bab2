/**
 * `--report FORMAT FILE` and `--fail-on`, shared by `convert` and `check`: the report file is
 * written atomically (as every output is), and the exit code counts findings at the chosen level.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { writeOutput } from "../pipeline/write-output.js";
import { REPORT_FORMATS, renderReport, type ReportFormat } from "../reports/render-report.js";
import { isFailing, toEntries } from "../reports/report-entry.js";
import { UsageError, type Io } from "./io.js";

export interface ReportRequest {
  readonly format: ReportFormat;
  readonly file: string;
}

/** `--report sarif results.sarif` → the request; a bad format is a usage error naming the valid ones. */
export function parseReportFlag(value: readonly string[] | undefined): ReportRequest | undefined {
  if (!value || value.length === 0) return undefined;
  const [format, file] = value;
  if (!(REPORT_FORMATS as readonly string[]).includes(format ?? "")) {
    throw new UsageError(`unknown report format \`${format}\`; run \`rulecast list formats\` (valid: ${REPORT_FORMATS.join(", ")})`);
  }
  if (!file || value.length !== 2) throw new UsageError("--report takes a format and a file: --report sarif results.sarif");
  return { format: format as ReportFormat, file };
}

/** What a report says of each rule read. */
export interface ReportedRule {
  readonly id: string;
  readonly name: string;
  readonly source: { readonly file: string; readonly line: number };
}

export function writeReport(
  io: Io,
  request: ReportRequest | undefined,
  command: string,
  rules: readonly ReportedRule[],
  diagnostics: readonly Diagnostic[],
  failOn: "warning" | "error",
  summary: Readonly<Record<string, number>>,
): void {
  if (!request) return;
  const reported = rules.map((r) => ({ id: r.id, title: r.name, file: r.source.file, line: r.source.line }));
  const entries = toEntries(diagnostics.filter((d) => d.severity !== "info"), reported);
  const text = renderReport(request.format, { command, rules: reported, entries, failOn, summary }, toolVersion());
  const abs = resolve(io.cwd, request.file);
  writeOutput(dirname(abs), [{ path: basename(abs), content: text }]);
}

/** Exit 1 when a finding reaches `--fail-on` (errors always do). */
export function failsAt(diagnostics: readonly Diagnostic[], failOn: "warning" | "error"): boolean {
  return diagnostics.some((d) => isFailing(d, failOn));
}

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
