/**
 * The conversion pipeline, one rule at a time: for each target, run the rewrites it declares (its
 * taxonomy, its mappings, its lowerings), render it, collect its files and bundle pieces. A rule
 * that fails for a target produces nothing for that target; the others are unaffected.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import type { Rule } from "../ir/rule.js";
import type { Mappings } from "../mapping/mappings.js";
import { TemplateError } from "../render/templates.js";
import type { BundlePiece, RenderContext, RenderedFile, TargetResult, TargetSpec } from "../targets/target.js";
import { logsourceFieldConflicts } from "./logsource-fields.js";
import { runRewrites } from "./rewrites.js";
import { dedupeDiagnostics, ResultAssembler, withTarget } from "./assemble-results.js";

export interface ConvertContext extends RenderContext {
  /** The targets a conversion may name (a registry's `targets`). */
  readonly targets: readonly TargetSpec[];
  readonly mappings: Mappings;
}

/** The target of that name; names come from `--to`, checked against the registry first. */
export function targetNamed(ctx: { readonly targets: readonly TargetSpec[] }, name: string): TargetSpec {
  const t = ctx.targets.find((x) => x.name === name);
  if (!t) throw new Error(`no target ${name} is registered`);
  return t;
}

export interface OutputFile extends RenderedFile {
  readonly target: string;
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
  readonly converted: string[];
  readonly failed: string[];
  /** Targets the `--unmapped skip` policy left the rule out of. */
  readonly skippedFor: string[];
  /** Nothing was converted and nothing failed: the rule was left out on purpose. */
  skipped: boolean;
}

/** One rule's conversion to every target: pure, so rules can be converted on any thread. */
export interface RuleResult {
  readonly outcome: RuleOutcome;
  readonly files: OutputFile[];
  /** Bundle pieces per target, in target order. */
  readonly pieces: Readonly<Record<string, BundlePiece[]>>;
  readonly diagnostics: Diagnostic[];
}

export interface ConvertResult {
  readonly files: OutputFile[];
  readonly outcomes: RuleOutcome[];
  readonly diagnostics: Diagnostic[];
}

export function convertRules(rules: readonly Rule[], targets: readonly string[], ctx: ConvertContext): ConvertResult {
  return assembleResults(rules.map((r) => convertRule(r, targets, ctx)), targets, ctx);
}

export function convertRule(rule: Rule, targets: readonly string[], ctx: ConvertContext): RuleResult {
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
  const pieces: Record<string, BundlePiece[]> = {};
  for (const name of targets) {
    const target = targetNamed(ctx, name);
    const chosen = chosenForm(target, rule, ctx);
    if (chosen && "fallback" in chosen) diagnostics.push(...chosen.fallback.map((d) => tagTarget(d, name)));
    let r: TargetResult;
    if (chosen && !("fallback" in chosen)) r = chosen;
    else {
      const prepared = runRewrites(target, rule, target.rewrites, ctx);
      diagnostics.push(...prepared.diagnostics.map((d) => tagTarget(d, name)));
      if (!prepared.rule) {
        (prepared.skipped ? outcome.skippedFor : outcome.failed).push(name);
        continue;
      }
      r = renderWith(prepared.rule, ctx, target.renderRule);
    }
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

/**
 * The result of the target's form the options choose (TargetSpec.forms), or its fallback notes when
 * that form cannot hold the rule; undefined when no form is chosen.
 */
function chosenForm(target: TargetSpec, rule: Rule, ctx: ConvertContext): TargetResult | { readonly fallback: readonly Diagnostic[] } | undefined {
  const form = target.forms?.find((f) => ctx.options[f.option] === f.value);
  if (!form) return undefined;
  const prepared = runRewrites(target, rule, form.rewrites, ctx);
  if (!prepared.rule) return { files: [], bundle: [], diagnostics: prepared.diagnostics };
  const r = renderWith(prepared.rule, ctx, form.renderRule);
  // On fallback the target's own rewrites run from the start and say their notes again.
  return "fallback" in r ? r : { ...r, diagnostics: [...prepared.diagnostics, ...r.diagnostics] };
}

/** A user's template that fails on this rule (a missing field, a value it cannot write) fails the rule. */
function renderWith<R>(rule: Rule, ctx: ConvertContext, render: (rule: Rule, ctx: RenderContext) => R): R | TargetResult {
  try {
    return render(rule, ctx);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { files: [], bundle: [], diagnostics: [ruleDiagnostic(rule, { severity: "error", code: "template/render", message: e.message })] };
  }
}

/**
 * Every rule's result taken in order (assemble-results.ts), then the bundles from the pieces of
 * the rules kept.
 */
export function assembleResults(results: readonly RuleResult[], targets: readonly string[], ctx: ConvertContext): ConvertResult {
  const assembler = new ResultAssembler(targets);
  const files: OutputFile[] = [];
  const outcomes: RuleOutcome[] = [];
  const diagnostics: Diagnostic[] = [];
  const pieces = new Map<string, BundlePiece[]>(targets.map((t) => [t, []]));
  for (const r of results) {
    const kept = assembler.add(r);
    outcomes.push(kept.outcome);
    files.push(...kept.files);
    diagnostics.push(...kept.diagnostics);
    for (const [t, ps] of kept.pieces) pieces.get(t)!.push(...ps);
  }
  // A bundle from a user's template that does not read back throws TemplateError: the template
  // is wrong for every rule, so the run stops (the CLI prints one line, exit 2).
  for (const name of targets) {
    const p = pieces.get(name)!;
    if (p.length > 0) for (const f of targetNamed(ctx, name).renderBundle(p, ctx)) files.push(assembler.bundleFile(f, name));
  }
  return { files, outcomes, diagnostics: dedupeDiagnostics([...diagnostics, ...assembler.renames]) };
}

/** Diagnostics from a target say which target they are about. */
function tagTarget(d: Diagnostic, target: string): Diagnostic {
  return d.code.startsWith("mapping/") || d.code.startsWith(`${target}/`) ? { ...d, message: `${target}: ${d.message}` } : d;
}

/**
 * The result without what only tests read (each file's and piece's intended `document`, which
 * the Elastic target holds as a second copy of every rule's JSON).
 */
export function leanResult(r: RuleResult): RuleResult {
  const files = r.files.map((f) => ({ path: f.path, content: f.content, target: f.target, ...(f.rule ? { rule: f.rule } : {}) }));
  const pieces = Object.fromEntries(Object.entries(r.pieces).map(([t, ps]) => [t, ps.map((p) => ({ text: p.text, ...(p.name !== undefined ? { name: p.name } : {}), ...(p.key !== undefined ? { key: p.key } : {}) }))]));
  return { ...r, files, pieces };
}
