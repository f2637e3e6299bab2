/**
 * `rulecast check`: every check over a set of rules, as diagnostics. Schema and query syntax come
 * from reading (the caller passes those diagnostics on); this adds duplicates, schedule gaps,
 * ATT&CK ids and names, field names one slip from a known field (Sigma's per log source, ECS's), and mapping coverage (each rule converted in memory to each target, so a
 * field no mapping knows is found before a deploy).
 */
import { attackTable } from "../attack/attack-table.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { assembleResults, convertRule, type ConvertContext } from "../pipeline/convert.js";
import { checkAttack } from "./attack-check.js";
import { checkDuplicates } from "./duplicate-check.js";
import { checkEcsFields } from "./ecs-field-check.js";
import type { SourceTexts } from "./locate.js";
import { checkSchedule } from "./schedule-check.js";
import { checkSeverity } from "./severity-check.js";
import { checkSigmaFields, loadSigmaFieldEvidence, type SigmaFieldEvidence } from "./sigma-field-check.js";

export interface CheckOptions {
  readonly targets: readonly string[];
  readonly ctx: ConvertContext;
  readonly texts: SourceTexts;
  /** Called once per rule checked (progress). */
  readonly onRule?: () => void;
}

export function checkRules(rules: readonly Rule[], opts: CheckOptions): Diagnostic[] {
  const table = attackTable();
  const out: Diagnostic[] = [...checkDuplicates(rules, opts.texts)];
  let fields: SigmaFieldEvidence | undefined;
  const results = rules.map((rule) => {
    out.push(...checkSchedule(rule, opts.texts), ...checkSeverity(rule, opts.texts), ...checkAttack(rule, table, opts.texts));
    if (rule.language === "sigma") out.push(...checkSigmaFields(rule, (fields ??= loadSigmaFieldEvidence(opts.ctx.mappings.sigmaToEcs))));
    out.push(...checkEcsFields(rule));
    const r = convertRule(rule, opts.targets, opts.ctx);
    opts.onRule?.();
    return r;
  });
  // Duplicate ids are already reported above, with names alongside.
  const converted = assembleResults(results, opts.targets, opts.ctx).diagnostics.filter((d) => d.code !== "rule/duplicate-id");
  return sortDiagnostics(dedupe([...out, ...converted]));
}

/** A technique listed under two tactics is one finding on its line, not two. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = [d.file, d.line, d.col, d.code, d.message, d.ruleId].join("\u0000");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** File, line, column order: a report reads top to bottom through each rule file. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.file ?? "").localeCompare(b.d.file ?? "") || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.col ?? 0) - (b.d.col ?? 0) || a.i - b.i)
    .map((x) => x.d);
}
