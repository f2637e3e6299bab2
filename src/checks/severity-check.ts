/**
 * A severity that contradicts the risk score: Kibana bands risk scores by severity (low 0–21,
 * medium 22–47, high 48–73, critical 74–100), and Splunk risk-based alerting and Kibana's
 * prioritisation read one or the other. `critical` with 73 sorts as high in one place and
 * critical in another.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule, Severity } from "../ir/rule.js";
import { locate, type SourceTexts } from "./locate.js";

/** Inclusive risk-score band per severity; informational shares low's band. */
const BANDS: Readonly<Record<Severity, readonly [number, number]>> = {
  informational: [0, 21],
  low: [0, 21],
  medium: [22, 47],
  high: [48, 73],
  critical: [74, 100],
};

export function checkSeverity(rule: Rule, texts: SourceTexts): Diagnostic[] {
  const [lo, hi] = BANDS[rule.severity];
  if (rule.riskScore >= lo && rule.riskScore <= hi) return [];
  const p = locate(texts, rule, /^risk_score\s*[:=]/);
  const fits = (Object.entries(BANDS) as [Severity, readonly [number, number]][]).find(([s, [a, b]]) => s !== "informational" && rule.riskScore >= a && rule.riskScore <= b)?.[0];
  return [
    {
      severity: "warning",
      code: "rule/severity-risk-mismatch",
      message: `severity ${rule.severity} contradicts risk score ${rule.riskScore} (${rule.severity} is ${lo}–${hi}${fits ? `; ${rule.riskScore} is ${fits}` : ""})`,
      file: rule.source.file,
      line: p.line,
      col: p.col,
      ruleId: rule.id,
      hint: `set risk_score within ${lo}–${hi}, or the severity that matches it`,
    },
  ];
}
