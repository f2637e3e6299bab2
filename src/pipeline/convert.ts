/**
 * The conversion pipeline, one rule at a time: bring the rule into the target's taxonomy, render
 * it, collect its files and bundle pieces. A rule that fails for a target produces nothing for
 * that target; the others are unaffected.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import { elasticTarget } from "../targets/elastic/index.js";
import { sigmaTarget } from "../targets/sigma/index.js";
import { splunkTarget } from "../targets/splunk/index.js";
import type { RenderedFile, Target, TargetContext, TargetName } from "../targets/target.js";
import { lowerKibanaRuleType } from "../passes/kibana-rule-types.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import { liftOnly, toTaxonomy, type TaxonomyResult } from "./to-taxonomy.js";

/**
 * `kibanaTypes`: the target has Kibana's threshold, new-terms and indicator-match rules of its own;
 * the others get a threshold as a correlation and refuse the other two.
 */
export const TARGETS: Readonly<Record<TargetName, { readonly target: Target; readonly taxonomy: Taxonomy; readonly kibanaTypes: boolean }>> = {
  sigma: { target: sigmaTarget, taxonomy: "sigma", kibanaTypes: false },
  splunk: { target: splunkTarget, taxonomy: "sigma", kibanaTypes: false },
  elastic: { target: elasticTarget, taxonomy: "ecs", kibanaTypes: true },
};

export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export interface OutputFile extends RenderedFile {
  readonly target: TargetName;
}

/** Who a result is about: enough to report on, small enough to pass between threads. */
export interface RuleRef {
  readonly id: string;
  readonly name: string;
  readonly source: Rule["source"];
}

export interface RuleOutcome {
  readonly rule: RuleRef;
  /** Targets this rule converted to. */
  readonly converted: TargetName[];
  readonly failed: TargetName[];
  /** Targets the `--unmapped skip` policy left the rule out of. */
  readonly skippedFor: TargetName[];
  /** Nothing was converted and nothing failed: the rule was left out on purpose. */
  skipped: boolean;
}

/** One rule's conversion to every target: pure, so rules can be converted on any thread. */
export interface RuleResult {
  readonly outcome: RuleOutcome;
  readonly files: OutputFile[];
  /** Bundle pieces per target, in target order. */
  readonly pieces: Partial<Record<TargetName, string[]>>;
  readonly diagnostics: Diagnostic[];
}

export interface ConvertResult {
  readonly files: OutputFile[];
  readonly outcomes: RuleOutcome[];
  readonly diagnostics: Diagnostic[];
}

export function convertRules(rules: readonly Rule[], targets: readonly TargetName[], ctx: TargetContext): ConvertResult {
  return assembleResults(rules.map((r) => convertRule(r, targets, ctx)), targets, ctx);
}

export function convertRule(rule: Rule, targets: readonly TargetName[], ctx: TargetContext): RuleResult {
  const ref: RuleRef = { id: rule.id, name: rule.name, source: rule.source };
  const diagnostics: Diagnostic[] = [];
  if (rule.custom["sigma.generate"] === false) {
    diagnostics.push(
      ruleDiagnostic(rule, {
        severity: "info",
        code: "sigma/base-rule-only",
        message: "this rule only feeds a correlation (`generate: false`); it is converted as part of that correlation",
      }),
    );
    return { outcome: { rule: ref, converted: [], failed: [], skippedFor: [], skipped: true }, files: [], pieces: {}, diagnostics };
  }
  const outcome: RuleOutcome = { rule: ref, converted: [], failed: [], skippedFor: [], skipped: false };
  const files: OutputFile[] = [];
  const pieces: Partial<Record<TargetName, string[]>> = {};
  for (const name of targets) {
    const { target, taxonomy } = TARGETS[name];
    const prepared = prepareFor(name, rule, taxonomy, ctx);
    diagnostics.push(...prepared.diagnostics.map((d) => tagTarget(d, name)));
    if (!prepared.rule) {
      (prepared.skipped ? outcome.skippedFor : outcome.failed).push(name);
      continue;
    }
    const r = target.renderRule(prepared.rule, ctx);
    diagnostics.push(...r.diagnostics.map((d) => tagTarget(d, name)));
    if (r.files.length === 0) {
      outcome.failed.push(name);
      continue;
    }
    outcome.converted.push(name);
    for (const f of r.files) files.push(withTarget(f, name));
    pieces[name] = [...r.bundle];
  }
  outcome.skipped = outcome.skippedFor.length > 0 && outcome.converted.length === 0 && outcome.failed.length === 0;
  return { outcome, files, pieces, diagnostics };
}

/**
 * Everything that needs all rules at once: duplicate ids (Kibana refuses an import with two rules
 * of one rule_id), the bundles, and output names that would collide.
 */
export function assembleResults(results: readonly RuleResult[], targets: readonly TargetName[], ctx: TargetContext): ConvertResult {
  const files: OutputFile[] = [];
  const outcomes: RuleOutcome[] = [];
  const diagnostics: Diagnostic[] = [];
  const pieces = new Map<TargetName, string[]>(targets.map((t) => [t, []]));
  const seenIds = new Map<string, RuleRef>();
  for (const r of results) {
    const ref = r.outcome.rule;
    const dup = seenIds.get(ref.id);
    if (dup && !r.outcome.skipped) {
      diagnostics.push({
        severity: "error",
        code: "rule/duplicate-id",
        message: `rule id ${ref.id} is also used by ${dup.source.file}`,
        file: ref.source.file,
        line: ref.source.line,
        col: 1,
        ruleId: ref.id,
        hint: "every rule needs its own id: Kibana refuses an import with two rules of one rule_id",
      });
      outcomes.push({ rule: ref, converted: [], failed: [...targets], skippedFor: [], skipped: false });
      continue;
    }
    if (!r.outcome.skipped) seenIds.set(ref.id, ref);
    outcomes.push(r.outcome);
    files.push(...r.files);
    diagnostics.push(...r.diagnostics);
    for (const t of targets) pieces.get(t)!.push(...(r.pieces[t] ?? []));
  }
  for (const name of targets) {
    const p = pieces.get(name)!;
    if (p.length > 0) for (const f of TARGETS[name].target.renderBundle(p, ctx)) files.push(withTarget(f, name));
  }
  return { files: dedupePaths(files, diagnostics), outcomes, diagnostics: dedupeDiagnostics(diagnostics) };
}

/** The rule in the field names the target needs, honouring `sigmaTaxonomy` for Sigma output. */
function prepareFor(name: TargetName, input: Rule, taxonomy: Taxonomy, ctx: TargetContext): TaxonomyResult {
  const lowered = TARGETS[name].kibanaTypes ? { rule: input } : lowerKibanaRuleType(input);
  if ("error" in lowered) return { diagnostics: [ruleDiagnostic(input, { severity: "error", code: "rule/kibana-type", message: lowered.error })] };
  const notes = ("warnings" in lowered ? (lowered.warnings ?? []) : []).map((w) => ruleDiagnostic(input, { severity: "warning", code: w.code, message: w.message }));
  const prepared = inTaxonomy(name, lowered.rule, taxonomy, ctx);
  return notes.length > 0 ? { ...prepared, diagnostics: [...notes, ...prepared.diagnostics] } : prepared;
}

function inTaxonomy(name: TargetName, rule: Rule, taxonomy: Taxonomy, ctx: TargetContext): TaxonomyResult {
  const mode = name === "sigma" && rule.taxonomy === "ecs" ? (ctx.options.sigmaTaxonomy ?? "auto") : "sigma";
  if (mode === "ecs") return liftOnly(rule, ctx.mappings);
  const mapped = toTaxonomy(rule, taxonomy, ctx.mappings, ctx.options.unmapped);
  if (mode === "auto" && !mapped.rule && mapped.diagnostics.some((d) => d.code === "mapping/unmapped-field")) {
    const kept = liftOnly(rule, ctx.mappings);
    const fields = mapped.diagnostics.filter((d) => d.code === "mapping/unmapped-field").length;
    return {
      ...kept,
      diagnostics: [
        ...kept.diagnostics,
        ruleDiagnostic(rule, {
          severity: "info",
          code: "sigma/ecs-taxonomy",
          message: `${fields} field(s) have no Sigma-taxonomy name; the Sigma rule keeps ECS field names (taxonomy: ecs)`,
        }),
      ],
    };
  }
  return mapped;
}

/** The file tagged with its target; a `document` made on first read (a getter) stays unmade until read. */
function withTarget(f: RenderedFile, target: TargetName): OutputFile {
  const doc = Object.getOwnPropertyDescriptor(f, "document");
  if (!doc?.get) return { ...f, target };
  const out = { path: f.path, content: f.content };
  Object.defineProperty(out, "document", doc);
  return Object.assign(out, { target });
}

/** Diagnostics from a target say which target they are about. */
function tagTarget(d: Diagnostic, target: TargetName): Diagnostic {
  return d.code.startsWith("mapping/") || d.code.startsWith(`${target}/`) ? { ...d, message: `${target}: ${d.message}` } : d;
}

/** Two rules whose names slug alike must not overwrite each other: the second gets its id appended. */
function dedupePaths(files: OutputFile[], diagnostics: Diagnostic[]): OutputFile[] {
  const seen = new Set<string>();
  return files.map((f) => {
    const key = `${f.target}/${f.path}`.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return f;
    }
    const dot = f.path.lastIndexOf(".");
    let n = 2;
    let path = `${f.path.slice(0, dot)}_${n}${f.path.slice(dot)}`;
    while (seen.has(`${f.target}/${path}`.toLowerCase())) path = `${f.path.slice(0, dot)}_${++n}${f.path.slice(dot)}`;
    seen.add(`${f.target}/${path}`.toLowerCase());
    diagnostics.push({ severity: "warning", code: "output/name-collision", message: `${f.target}/${f.path} was already written by another rule; this one is ${path}` });
    return { ...f, path };
  });
}

/** The same problem reported for several targets is shown once per target only. */
function dedupeDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}:${d.ruleId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
