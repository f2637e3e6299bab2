/**
 * Brings a rule's query into the field names a target speaks: ECS rules become Sigma-taxonomy
 * rules (log source lifted out of the query, fields renamed) and back. Pure: Rule → Rule.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Logsource } from "../ir/query.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import { ecsToSigmaFor, type Mappings } from "../mapping/mappings.js";
import { ecsFieldTypes, ipFieldsTyped } from "../passes/ecs-field-types.js";
import { liftLogsource } from "../passes/lift-logsource.js";
import { mapFields, type MappingProblem } from "../passes/map-fields.js";
import { sigmaToEcs } from "../passes/sigma-to-ecs.js";
import type { UnmappedPolicy } from "../targets/target.js";
import { fieldSpan, ruleDiagnostic } from "./rule-diagnostic.js";

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
  const lifted = liftLogsource(typed.query, mappings.ecsToSigma, { tags: rule.tags, index: rule.index, ...(rule.logsource ? { declared: rule.logsource } : {}) });
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
  // A Sigma file in ECS names still has a Sigma log source to turn into ECS conditions and indices.
  const ecsSigma = rule.taxonomy === "ecs" && wanted === "ecs" && rule.source.format === "sigma";
  if (rule.taxonomy === wanted && !ecsSigma) return { rule, diagnostics: [] };
  if (rule.taxonomy === "ecs" && wanted === "sigma") {
    const typed = ecsFieldTypes(rule.query);
    const lifted = liftLogsource(typed.query, mappings.ecsToSigma, { tags: rule.tags, index: rule.index, ...(rule.logsource ? { declared: rule.logsource } : {}) });
    const stepProduct =
      lifted.query.kind === "sequence" || lifted.query.kind === "sample"
        ? lifted.query.steps.find((s) => s.logsource?.product)?.logsource?.product
        : lifted.query.kind === "correlation"
          ? lifted.query.rules.find((r) => r.logsource?.product)?.logsource?.product
          : undefined;
    const product = lifted.logsource?.product ?? stepProduct;
    const mapped = mapFields(lifted.query, ecsToSigmaFor(mappings, lifted.logsource ?? firstStepLogsource(lifted.query)), product ? { product } : {});
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
  if ((rule.taxonomy === "sigma" || ecsSigma) && wanted === "ecs") {
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

/** A sequence, sample or correlation is renamed with its first step's log source (steps seldom differ in product). */
function firstStepLogsource(q: Rule["query"]): Logsource | undefined {
  if (q.kind === "sequence" || q.kind === "sample") return q.steps[0]?.logsource;
  if (q.kind === "correlation") return q.rules[0]?.logsource;
  return undefined;
}

const UNMAPPED_SEVERITY: Readonly<Record<UnmappedPolicy, "error" | "warning" | "info">> = {
  error: "error",
  warning: "warning",
  keep: "info",
  skip: "warning",
};

const UNMAPPED_HINT: Readonly<Record<UnmappedPolicy, string>> = {
  error: "add the field to a mapping override in rulecast.config.yaml, or pick another --unmapped policy (warning, keep, skip)",
  warning: "the field keeps its own name; add it to a mapping override in rulecast.config.yaml",
  keep: "the field keeps its own name; add it to a mapping override in rulecast.config.yaml",
  skip: "the rule is left out of this target; add the field to a mapping override in rulecast.config.yaml",
};

function skips(problems: readonly MappingProblem[], unmapped: UnmappedPolicy): boolean {
  return unmapped === "skip" && problems.some((p) => p.code === "mapping/unmapped-field");
}

export function problemsToDiagnostics(
  rule: Rule,
  problems: readonly MappingProblem[],
  unmapped: UnmappedPolicy,
): Diagnostic[] {
  return problems.map((p) =>
    ruleDiagnostic(rule, {
      severity: p.code === "mapping/unmapped-field" ? UNMAPPED_SEVERITY[unmapped] : p.severity,
      code: p.code,
      message: p.message,
      ...(p.code === "mapping/unmapped-field" ? { hint: UNMAPPED_HINT[unmapped] } : {}),
    }, fieldSpan(rule.query, p.field)),
  );
}
