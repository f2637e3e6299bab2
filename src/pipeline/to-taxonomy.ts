/**
 * Brings a rule's query into the field names a target speaks: ECS rules become Sigma-taxonomy
 * rules (log source lifted out of the query, fields renamed) and back. Pure: Rule → Rule.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import { TAXONOMY_TITLES } from "../mapping/mapping-table.js";
import type { Mappings } from "../mapping/mappings.js";
import { ecsFieldTypes, ipFieldsTyped } from "../passes/ecs-field-types.js";
import { liftLogsource } from "../passes/lift-logsource.js";
import { mapFields } from "../passes/map-fields.js";
import { sigmaToEcs } from "../passes/sigma-to-ecs.js";
import type { TargetSpec } from "../targets/target.js";
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
 * The rule in the taxonomy a target wants. `keep` (a target option's value) may let the rule keep
 * its own field names: always when it names the rule's taxonomy; with `auto`, when a field has no
 * name in the wanted taxonomy (an info line says so). Any other value maps every field.
 */
export function inTaxonomy(rule: Rule, wanted: Taxonomy, target: TargetSpec, mappings: Mappings, unmapped: UnmappedPolicy, keep?: string): TaxonomyResult {
  if (rule.taxonomy === wanted || keep === undefined) return toTaxonomy(rule, wanted, mappings, unmapped);
  if (keep === rule.taxonomy) return liftOnly(rule, mappings);
  const mapped = toTaxonomy(rule, wanted, mappings, unmapped);
  if (keep === "auto" && !mapped.rule && mapped.diagnostics.some((d) => d.code === "mapping/unmapped-field")) {
    const kept = liftOnly(rule, mappings);
    const fields = mapped.diagnostics.filter((d) => d.code === "mapping/unmapped-field").length;
    return {
      ...kept,
      diagnostics: [
        ...kept.diagnostics,
        ruleDiagnostic(rule, {
          severity: "info",
          code: `${target.name}/${rule.taxonomy}-taxonomy`,
          message: `${fields} field(s) have no ${TAXONOMY_TITLES[wanted]}-taxonomy name; the ${target.title} rule keeps ${TAXONOMY_TITLES[rule.taxonomy]} field names (taxonomy: ${rule.taxonomy})`,
        }),
      ],
    };
  }
  return mapped;
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
