/**
 * Runs the rewrites a target declares (TargetSpec.rewrites), in order, on one rule: the rule as the
 * target's renderer needs it, or the diagnostics that say why there is none.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { problemsToDiagnostics, skipsRule, type UnmappedPolicy } from "../diagnostics/mapping-diagnostics.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import { sequenceConditionProblem } from "../ir/sequence-condition.js";
import { assertNever } from "../ir/query.js";
import type { Rule } from "../ir/rule.js";
import { cimWithFieldHomes } from "../mapping/cim-mapping.js";
import type { Mappings } from "../mapping/mappings.js";
import { optionLabel, type OptionValues } from "../options/option-spec.js";
import { correlationToSequence } from "../passes/correlation-to-sequence.js";
import { ecsLiteralsTyped } from "../passes/ecs-field-types.js";
import { lowerPlatformRuleTypes, PLATFORM_TYPE_ERROR } from "../passes/lower-platform-rule-types.js";
import { lowerLogsources } from "../passes/lower-logsource.js";
import { mapFields } from "../passes/map-fields.js";
import { toCim } from "../passes/to-cim.js";
import type { Rewrite, TargetSpec } from "../targets/target.js";
import { inTaxonomy, type TaxonomyResult } from "./to-taxonomy.js";

export interface RewriteContext {
  readonly mappings: Mappings;
  readonly options: OptionValues;
}

/** The rewrites of `target` (its own, or a form's), in order; stops at the first that leaves no rule. */
export function runRewrites(target: TargetSpec, input: Rule, rewrites: readonly Rewrite[], ctx: RewriteContext): TaxonomyResult {
  const diagnostics: Diagnostic[] = [];
  let rule = input;
  for (const step of rewrites) {
    const r = rewrite(step, rule, target, ctx);
    diagnostics.push(...r.diagnostics);
    if (!r.rule) return { diagnostics, ...(r.skipped ? { skipped: true } : {}) };
    rule = r.rule;
  }
  return { rule, diagnostics };
}

function rewrite(step: Rewrite, rule: Rule, target: TargetSpec, ctx: RewriteContext): TaxonomyResult {
  const unmapped = ctx.options["unmapped"] as UnmappedPolicy;
  switch (step.pass) {
    case "lowerPlatformRuleTypes": {
      const lowered = lowerPlatformRuleTypes(rule, { ...(step.newTerms ? { newTerms: true } : {}) });
      if ("error" in lowered) {
        const { error, code = PLATFORM_TYPE_ERROR, at, hint } = lowered;
        const message = lowered.byTarget ? `${target.name}: ${error}` : error;
        return { diagnostics: [ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) }, at)] };
      }
      const notes = (lowered.warnings ?? []).map((w) => ruleDiagnostic(rule, { severity: w.severity ?? "warning", code: w.code, message: w.message, ...(w.hint ? { hint: w.hint } : {}) }, w.at));
      return { rule: lowered.rule, diagnostics: notes };
    }
    case "toTaxonomy": {
      const option = step.keepOwnNames === undefined ? undefined : target.options.find((o) => o.key === step.keepOwnNames);
      const keep = option ? ctx.options[option.key] : undefined;
      const keepOwn = option && typeof keep === "string" ? { value: keep, label: optionLabel(option) } : undefined;
      return inTaxonomy(rule, target.taxonomy, target, ctx.mappings, unmapped, keepOwn, step.exactLift === true);
    }
    case "mapFields": {
      const mapped = mapFields(rule.query, ctx.mappings.target(step.mapping).fields);
      const diagnostics = problemsToDiagnostics(rule, mapped.problems, unmapped);
      if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
      if (skipsRule(mapped.problems, unmapped)) return { diagnostics, skipped: true };
      return { rule: { ...rule, query: mapped.query }, diagnostics };
    }
    case "lowerLogsource": {
      const lowered = lowerLogsources(rule.query, rule.logsource, ctx.mappings.target(step.mapping));
      return { rule: { ...rule, query: lowered.query }, diagnostics: problemsToDiagnostics(rule, lowered.problems, unmapped) };
    }
    case "correlationToSequence": {
      const q = rule.query;
      if (q.kind !== "correlation" || q.type !== "temporal_ordered") return { rule, diagnostics: [] };
      const problem = sequenceConditionProblem(q);
      if (problem) return { diagnostics: [ruleDiagnostic(rule, { severity: "error", code: `${target.name}/correlation`, message: problem })] };
      return { rule: { ...rule, query: correlationToSequence(q) }, diagnostics: [] };
    }
    case "typeEcsLiterals":
      return { rule: { ...rule, query: ecsLiteralsTyped(rule.query) }, diagnostics: [] };
    case "toCim": {
      const homes = step.fieldHomes === undefined ? undefined : ctx.options[step.fieldHomes];
      const r = toCim(rule, cimWithFieldHomes(typeof homes === "string" ? [homes] : homes));
      const withPlan = { ...rule, cim: r.plan };
      // Not CIM is no failure: the plan says why, and the form's renderer hands the rule back to the target's own form.
      if (r.plan.kind === "not-cim") return { rule: withPlan, diagnostics: [] };
      const product = r.product
        ? [
            ruleDiagnostic(rule, {
              severity: "info",
              code: `${target.name}/cim-product`,
              message: `the log source's product (${r.product}) is not a CIM condition: a data set holds every operating system's events, as ESCU's detections search them`,
            }),
          ]
        : [];
      return { rule: withPlan, diagnostics: [...problemsToDiagnostics(rule, r.problems, "error"), ...product] };
    }
    default:
      return assertNever(step);
  }
}
