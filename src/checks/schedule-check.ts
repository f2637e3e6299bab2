/**
 * A rule that runs less often than it looks back leaves gaps: with `interval: 10m` and
 * `from: now-6m`, events in 4 of every 10 minutes are never searched. A sequence or correlation
 * whose window is longer than the look-back can never be found whole.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { durationMs, formatDuration, lookbackMs } from "../ir/duration.js";
import { lookbackMessage, windowBeyondLookback } from "../ir/match-window.js";
import type { Rule } from "../ir/rule.js";
import { locate, type SourceTexts } from "./locate.js";

export function checkSchedule(rule: Rule, texts: SourceTexts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const look = lookbackMs(rule.schedule.from, rule.schedule.to);
  const interval = durationMs(rule.schedule.interval);
  if (look !== undefined && interval > look) {
    const p = locate(texts, rule, /^interval\s*[:=]/);
    out.push({
      severity: "error",
      code: "schedule/interval-exceeds-lookback",
      message: `the rule runs every ${formatDuration(rule.schedule.interval)} but searches only ${rule.schedule.from}..${rule.schedule.to}: events between runs are never searched`,
      file: rule.source.file,
      line: p.line,
      col: p.col,
      ruleId: rule.id,
      hint: `set from: now-${formatDuration(rule.schedule.interval)} or more (a little extra covers ingest delay)`,
    });
  }
  const window = windowBeyondLookback(rule.schedule, rule.query);
  if (window) {
    const p = locate(texts, rule, /^from\s*[:=]/);
    out.push({
      severity: "warning",
      code: "schedule/lookback-shorter-than-window",
      message: lookbackMessage(rule.schedule, window),
      file: rule.source.file,
      line: p.line,
      col: p.col,
      ruleId: rule.id,
      hint: "lengthen the look-back (`from`) or shorten the window",
    });
  }
  return out;
}
