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
import { TemplateError } from "../render/templates.js";
import type { BundlePiece, RenderedFile, Target, TargetContext, TargetName, TargetResult } from "../targets/target.js";
import { lowerKibanaRuleType } from "../passes/kibana-rule-types.js";
import { logsourceFieldConflicts } from "./logsource-fields.js";
import { ruleDiagnostic } from "./rule-diagnostic.js";
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
  /** The rule the file is made from; bundles have none. */
  readonly rule?: RuleRef;
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
  readonly pieces: Partial<Record<TargetName, BundlePiece[]>>;
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
  const conflicts = logsourceFieldConflicts(rule, ctx.mappings);
  if (conflicts.length > 0) return { outcome: { ...outcome, failed: [...targets] }, files: [], pieces: {}, diagnostics: conflicts };
  const files: OutputFile[] = [];
  const pieces: Partial<Record<TargetName, BundlePiece[]>> = {};
  for (const name of targets) {
    const { target, taxonomy } = TARGETS[name];
    const prepared = prepareFor(name, rule, taxonomy, ctx);
    diagnostics.push(...prepared.diagnostics.map((d) => tagTarget(d, name)));
    if (!prepared.rule) {
      (prepared.skipped ? outcome.skippedFor : outcome.failed).push(name);
      continue;
    }
    const r = renderWith(target, prepared.rule, ctx);
    diagnostics.push(...r.diagnostics.map((d) => tagTarget(d, name)));
    if (r.files.length === 0) {
      outcome.failed.push(name);
      continue;
    }
    outcome.converted.push(name);
    for (const f of r.files) files.push(withTarget(f, name, ref));
    pieces[name] = [...r.bundle];
  }
  outcome.skipped = outcome.skippedFor.length > 0 && outcome.converted.length === 0 && outcome.failed.length === 0;
  return { outcome, files, pieces, diagnostics };
}

/** A user's template that fails on this rule (a missing field, a value it cannot write) fails the rule. */
function renderWith(target: Target, rule: Rule, ctx: TargetContext): TargetResult {
  try {
    return target.renderRule(rule, ctx);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { files: [], bundle: [], diagnostics: [ruleDiagnostic(rule, { severity: "error", code: "template/render", message: e.message })] };
  }
}

/**
 * Everything that needs all rules at once: duplicate ids (Kibana refuses an import with two rules
 * of one rule_id), names a bundle holds once (savedsearches.conf stanzas), the bundles, and output
 * names that would collide.
 */
export function assembleResults(results: readonly RuleResult[], targets: readonly TargetName[], ctx: TargetContext): ConvertResult {
  const files: OutputFile[] = [];
  const outcomes: RuleOutcome[] = [];
  const diagnostics: Diagnostic[] = [];
  const pieces = new Map<TargetName, BundlePiece[]>(targets.map((t) => [t, []]));
  const seenIds = new Map<string, RuleRef>();
  const seenNames = new Map<string, RuleRef>();
  const nameKey = (t: TargetName, name: string) => `${t}\n${name}`;
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
    const taken = new Set<TargetName>();
    for (const t of targets) {
      for (const p of r.pieces[t] ?? []) {
        const first = p.name === undefined ? undefined : seenNames.get(nameKey(t, p.name));
        if (!first) continue;
        taken.add(t);
        diagnostics.push({
          severity: "error",
          code: "output/name-collision",
          message: `${t}: ${first.source.file}:${first.source.line} already has the ${t} name ${JSON.stringify(p.name)}; two of them would be merged into one, losing a rule`,
          file: ref.source.file,
          line: ref.source.line,
          col: 1,
          ruleId: ref.id,
          hint: "give one of the rules another title",
        });
      }
    }
    outcomes.push(taken.size === 0 ? r.outcome : failedFor(r.outcome, taken));
    files.push(...r.files.filter((f) => !taken.has(f.target)));
    diagnostics.push(...r.diagnostics);
    for (const t of targets) {
      if (taken.has(t)) continue;
      for (const p of r.pieces[t] ?? []) {
        pieces.get(t)!.push(p);
        if (p.name !== undefined) seenNames.set(nameKey(t, p.name), ref);
      }
    }
  }
  // A bundle from a user's template that does not read back throws TemplateError: the template
  // is wrong for every rule, so the run stops (the CLI prints one line, exit 2).
  for (const name of targets) {
    const p = pieces.get(name)!;
    if (p.length > 0) for (const f of TARGETS[name].target.renderBundle(p, ctx)) files.push(withTarget(f, name));
  }
  return { files: dedupePaths(files, diagnostics), outcomes, diagnostics: dedupeDiagnostics(diagnostics) };
}

/** The outcome with `targets` moved from converted to failed. */
function failedFor(o: RuleOutcome, targets: ReadonlySet<TargetName>): RuleOutcome {
  return { ...o, converted: o.converted.filter((t) => !targets.has(t)), failed: [...o.failed, ...targets] };
}

/** The rule in the field names the target needs, honouring `sigmaTaxonomy` for Sigma output. */
function prepareFor(name: TargetName, input: Rule, taxonomy: Taxonomy, ctx: TargetContext): TaxonomyResult {
  const lowered = TARGETS[name].kibanaTypes ? { rule: input } : lowerKibanaRuleType(input);
  if ("error" in lowered) return { diagnostics: [ruleDiagnostic(input, { severity: "error", code: "rule/kibana-type", message: lowered.error })] };
  const notes = ("warnings" in lowered ? (lowered.warnings ?? []) : []).map((w) => ruleDiagnostic(input, { severity: "warning", code: w.code, message: w.message }));
  // With the CIM taxonomy the Splunk target reads the rule as written (Sigma or ECS names) and
  // brings it into the Sigma taxonomy itself only for rules no data model holds.
  const prepared = name === "splunk" && ctx.options.splunkTaxonomy === "cim" ? { rule: lowered.rule, diagnostics: [] } : inTaxonomy(name, lowered.rule, taxonomy, ctx);
  return notes.length > 0 ? { ...prepared, diagnostics: [...notes, ...prepared.diagnostics] } : prepared;
}

/** Mapping errors that ECS field names avoid: under `auto` the Sigma rule keeps ECS names instead. */
const KEEPS_ECS = new Set(["mapping/unmapped-field", "mapping/transform-unsupported", "mapping/value-unmapped"]);

function inTaxonomy(name: TargetName, rule: Rule, taxonomy: Taxonomy, ctx: TargetContext): TaxonomyResult {
  const mode = name === "sigma" && rule.taxonomy === "ecs" ? (ctx.options.sigmaTaxonomy ?? "auto") : "sigma";
  if (mode === "ecs") return liftOnly(rule, ctx.mappings);
  const mapped = toTaxonomy(rule, taxonomy, ctx.mappings, ctx.options.unmapped);
  if (mode === "auto" && !mapped.rule && mapped.diagnostics.some((d) => KEEPS_ECS.has(d.code))) {
    const kept = liftOnly(rule, ctx.mappings);
    const fields = [...new Set(mapped.diagnostics.filter((d) => KEEPS_ECS.has(d.code)).map((d) => /`([^`]+)`/.exec(d.message)?.[1] ?? "?"))];
    return {
      ...kept,
      diagnostics: [
        ...kept.diagnostics,
        ruleDiagnostic(rule, {
          severity: "warning",
          code: "sigma/ecs-taxonomy",
          message: `no Sigma-taxonomy name for ${fields.map((f) => `\`${f}\``).join(", ")}; the Sigma rule keeps ECS field names (taxonomy: ecs), which Sigma backends built for Sigma's taxonomy do not know`,
          hint: "add the field to an ecs-sigma mapping override in rulecast.config.yaml, or pass --sigma-taxonomy sigma to refuse such rules",
        }),
      ],
    };
  }
  return mapped;
}

/** The file tagged with its target and rule; a `document` made on first read (a getter) stays unmade until read. */
function withTarget(f: RenderedFile, target: TargetName, rule?: RuleRef): OutputFile {
  const tags = { target, ...(rule ? { rule } : {}) };
  const doc = Object.getOwnPropertyDescriptor(f, "document");
  if (!doc?.get) return { ...f, ...tags };
  const out = { path: f.path, content: f.content };
  Object.defineProperty(out, "document", doc);
  return Object.assign(out, tags);
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
