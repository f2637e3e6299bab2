/**
 * Brings a rule's query into the field names a target speaks: ECS rules become Sigma-taxonomy
 * rules (log source lifted out of the query, fields renamed) and back. Pure: Rule → Rule.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Logsource, SequenceStep } from "../ir/query.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import { TAXONOMY_TITLES } from "../mapping/mapping-table.js";
import { ecsToSigmaFor, type Mappings } from "../mapping/mappings.js";
import { ecsFieldTypes, ipFieldsTyped } from "../passes/ecs-field-types.js";
import { liftLogsource, type LiftContext } from "../passes/lift-logsource.js";
import { findLogsource } from "../mapping/sigma-ecs.js";
import { mapFields } from "../passes/map-fields.js";
import { dropDeterminedKeys } from "../passes/determined-join-keys.js";
import { dropAbsentFieldTests } from "../passes/drop-absent-fields.js";
import { dropForeignDatasets } from "../passes/foreign-datasets.js";
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

/** Mapping errors that the rule's own field names avoid: under `auto` the rule keeps them instead. */
const KEEPS_OWN_NAMES = new Set(["mapping/unmapped-field", "mapping/transform-unsupported", "mapping/value-unmapped", "mapping/join-key-differs"]);

/** The option that lets a rule keep its own field names, as set for this run. */
export interface KeepOwnNames {
  /** A taxonomy, or `auto`. */
  readonly value: string;
  /** How the user sets it (`--sigma-taxonomy`), for the hint. */
  readonly label: string;
}

/**
 * The rule in the taxonomy a target wants. `keep` (a target option's value) may let the rule keep
 * its own field names: always when it names the rule's taxonomy; with `auto`, when a field has no
 * name in the wanted taxonomy (a warning names the fields). Any other value maps every field.
 */
export function inTaxonomy(rule: Rule, wanted: Taxonomy, target: TargetSpec, mappings: Mappings, unmapped: UnmappedPolicy, keep?: KeepOwnNames, exactLift = false): TaxonomyResult {
  if (rule.taxonomy === wanted || keep === undefined) return toTaxonomy(rule, wanted, mappings, unmapped, exactLift);
  if (keep.value === rule.taxonomy) return liftOnly(rule, mappings, exactLift);
  const mapped = toTaxonomy(rule, wanted, mappings, unmapped, exactLift);
  if (keep.value === "auto" && !mapped.rule && mapped.diagnostics.some((d) => KEEPS_OWN_NAMES.has(d.code))) {
    const kept = liftOnly(rule, mappings, exactLift);
    const fields = [...new Set(mapped.diagnostics.filter((d) => KEEPS_OWN_NAMES.has(d.code)).map((d) => /`([^`]+)`/.exec(d.message)?.[1] ?? "?"))];
    const own = TAXONOMY_TITLES[rule.taxonomy];
    const theirs = TAXONOMY_TITLES[wanted];
    return {
      ...kept,
      diagnostics: [
        ...kept.diagnostics,
        ruleDiagnostic(rule, {
          severity: "warning",
          code: `${target.name}/${rule.taxonomy}-taxonomy`,
          message: `no ${theirs}-taxonomy name for ${fields.map((f) => `\`${f}\``).join(", ")}; the ${target.title} rule keeps ${own} field names (taxonomy: ${rule.taxonomy}), which ${target.title} backends built for ${theirs}'s taxonomy do not know`,
          hint: `add the field to an ${rule.taxonomy}-${wanted} mapping override in rulecast.config.yaml, or pass ${keep.label} ${wanted} to refuse such rules`,
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
export function liftOnly(rule: Rule, mappings: Mappings, exactLift = false): TaxonomyResult {
  const typed = ecsFieldTypes(rule.query);
  const foreign = dropForeignDatasets(typed.query, mappings.ecsToSigma.foreignDatasets ?? []);
  const lifted = liftLogsource(foreign.query, mappings.ecsToSigma, liftContext(rule, mappings, exactLift));
  const diagnostics = problemsToDiagnostics(rule, [...typed.problems, ...foreign.problems, ...lifted.problems], "error");
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const logsource = lifted.logsource ?? rule.logsource;
  return { rule: { ...rule, query: lifted.query, ...(logsource ? { logsource } : {}) }, diagnostics };
}

/** What the lift reads besides the query, and how Elastic reads a Sigma log source back (to check the lift). */
function liftContext(rule: Rule, mappings: Mappings, exactLift: boolean): LiftContext {
  const base = { tags: rule.tags, index: rule.index, ...(rule.logsource ? { declared: rule.logsource } : {}) };
  if (!exactLift) return base;
  return {
    ...base,
    readBack: (ls) => {
      const row = findLogsource(mappings.sigmaToEcs, ls);
      // No row: Elastic reads the log source back as no condition at all.
      if (!row) return {};
      // Alternatives (one of several condition sets) are not compared: no single read-back to check.
      return row.any.length === 1 ? row.any[0] : undefined;
    },
  };
}

export function toTaxonomy(
  rule: Rule,
  wanted: Taxonomy,
  mappings: Mappings,
  unmapped: UnmappedPolicy,
  exactLift = false,
): TaxonomyResult {
  // A Sigma file in ECS names still has a Sigma log source to turn into ECS conditions and indices.
  const ecsSigma = rule.taxonomy === "ecs" && wanted === "ecs" && rule.language === "sigma";
  if (rule.taxonomy === wanted && !ecsSigma) return { rule, diagnostics: [] };
  if (rule.taxonomy === "ecs" && wanted === "sigma") {
    const typed = ecsFieldTypes(rule.query);
    // Another product's data sets ORed in (Zeek's) have no place beside the one log source.
    const foreign = dropForeignDatasets(typed.query, mappings.ecsToSigma.foreignDatasets ?? []);
    const lifted0 = liftLogsource(foreign.query, mappings.ecsToSigma, liftContext(rule, mappings, exactLift));
    const keyed = dropDeterminedKeys(lifted0.query, mappings.ecsToSigma.determinedKeys ?? {});
    const decided = dropAbsentFieldTests(keyed, lifted0.logsource ?? rule.logsource, mappings.ecsToSigma.absentFields ?? []);
    const lifted = { ...lifted0, query: decided.query, problems: [...lifted0.problems, ...decided.problems] };
    const stepProduct =
      lifted.query.kind === "sequence" || lifted.query.kind === "sample"
        ? lifted.query.steps.find((s) => s.logsource?.product)?.logsource?.product
        : lifted.query.kind === "correlation"
          ? lifted.query.rules.find((r) => r.logsource?.product)?.logsource?.product
          : undefined;
    const product = lifted.logsource?.product ?? stepProduct;
    // Each step of a sequence is renamed as its own log source names its fields (a network step's
    // event.action is Sysmon's Initiated, a process step's is implied by its category).
    const stepMapping = (s: SequenceStep) => ecsToSigmaFor(mappings, s.logsource ?? lifted.logsource ?? firstStepLogsource(lifted.query));
    const mapped = mapFields(lifted.query, ecsToSigmaFor(mappings, lifted.logsource ?? firstStepLogsource(lifted.query)), { ...(product ? { product } : {}), stepMapping });
    const problems = [...typed.problems, ...foreign.problems, ...lifted.problems, ...mapped.problems];
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
