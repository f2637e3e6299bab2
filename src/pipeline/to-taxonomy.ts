/**
 * Brings a rule's query into the field names a target speaks: ECS rules become Sigma-taxonomy
 * rules (log source lifted out of the query, fields renamed) and back. Pure: Rule → Rule.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import type { Mappings } from "../mapping/mappings.js";
import { ecsFieldTypes, ipFieldsTyped } from "../passes/ecs-field-types.js";
import { liftLogsource } from "../passes/lift-logsource.js";
import { mapFields } from "../passes/map-fields.js";
import { sigmaToEcs } from "../passes/sigma-to-ecs.js";
import { problemsToDiagnostics, skipsRule as skips, type UnmappedPolicy } from "../diagnostics/mapping-diagnostics.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";

export interface TaxonomyResult {
  /** Undefined when an error stops the conversion, or the unmapped-field policy skips the rule. */
  readonly rule?: Rule;
  readonly diagnostics: readonly Diagnostic[];
  /** The `skip` policy left the rule out of this target: not a failure. */
  readonly skipped?: boolean;
}

/**
 * An ECS rule for Sigma output in ECS field names (`taxonomy: ecs`): only the log source is lifted
 * out of the query, so the Sigma rule still has a `logsource`; every field keeps its ECS name.
 */
export function liftOnly(rule: Rule, mappings: Mappings): TaxonomyResult {
  const typed = ecsFieldTypes(rule.query);
  const lifted = liftLogsource(typed.query, mappings.ecsToSigma, { tags: rule.tags, index: rule.index });
  const diagnostics = problemsToDiagnostics(rule, [...typed.problems, ...lifted.problems], "error");
  const logsource = lifted.logsource ?? rule.logsource;
  return { rule: { ...rule, query: lifted.query, ...(logsource ? { logsource } : {}) }, diagnostics };
}

export function toTaxonomy(
  rule: Rule,
  wanted: Taxonomy,
  mappings: Mappings,
  unmapped: UnmappedPolicy,
): TaxonomyResult {
  if (rule.taxonomy === wanted) return { rule, diagnostics: [] };
  if (rule.taxonomy === "ecs" && wanted === "sigma") {
    const typed = ecsFieldTypes(rule.query);
    const lifted = liftLogsource(typed.query, mappings.ecsToSigma, { tags: rule.tags, index: rule.index });
    const stepProduct =
      lifted.query.kind === "sequence" || lifted.query.kind === "sample"
        ? lifted.query.steps.find((s) => s.logsource?.product)?.logsource?.product
        : lifted.query.kind === "correlation"
          ? lifted.query.rules.find((r) => r.logsource?.product)?.logsource?.product
          : undefined;
    const product = lifted.logsource?.product ?? stepProduct;
    const mapped = mapFields(lifted.query, mappings.ecsToSigma, product ? { product } : {});
    const problems = [...typed.problems, ...lifted.problems, ...mapped.problems];
    const diagnostics = problemsToDiagnostics(rule, problems, unmapped);
    if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    if (skips(problems, unmapped)) return { diagnostics, skipped: true };
    const logsource = lifted.logsource ?? rule.logsource;
    return {
      rule: { ...rule, taxonomy: "sigma", query: mapped.query, ...(logsource ? { logsource } : {}) },
      diagnostics,
    };
  }
  if (rule.taxonomy === "sigma" && wanted === "ecs") {
    const r = sigmaToEcs(rule, mappings.sigmaToEcs);
    const typed = r.rule ? ipFieldsTyped(r.rule.query) : undefined;
    const problems = [...r.problems, ...(typed?.problems ?? [])];
    const diagnostics = problemsToDiagnostics(rule, problems, unmapped);
    if (!r.rule || !typed || diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    if (skips(problems, unmapped)) return { diagnostics, skipped: true };
    return { rule: { ...r.rule, query: typed.query }, diagnostics };
  }
  return {
    diagnostics: [
      ruleDiagnostic(rule, {
        severity: "error",
        code: "mapping/no-route",
        message: `no mapping from ${rule.taxonomy} field names to ${wanted}`,
      }),
    ],
  };
}
