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

export interface SourcedPiece {
  readonly piece: BundlePiece;
  /** The rule file, as the run names it. */
  readonly source: string;
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
  /** Per target, the pieces its bundle was made from, in order, each with its rule's file (for cli/partial-bundles.ts). */
  readonly bundlePieces: ReadonlyMap<string, readonly SourcedPiece[]>;
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
 * Everything that needs all rules at once: duplicate ids (Kibana refuses an import with two rules
 * of one rule_id), names a bundle holds once (savedsearches.conf stanzas), the bundles, and output
 * names that would collide.
 */
export function assembleResults(results: readonly RuleResult[], targets: readonly string[], ctx: ConvertContext): ConvertResult {
  const files: OutputFile[] = [];
  const outcomes: RuleOutcome[] = [];
  const diagnostics: Diagnostic[] = [];
  const pieces = new Map<string, BundlePiece[]>(targets.map((t) => [t, []]));
  const sourced = new Map<string, SourcedPiece[]>(targets.map((t) => [t, []]));
  const seenIds = new Map<string, RuleRef>();
  const seenNames = new Map<string, RuleRef>();
  const nameKey = (t: string, name: string) => `${t}\n${name}`;
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
    const taken = new Set<string>();
    for (const t of targets) {
      for (const p of r.pieces[t] ?? []) {
        const first = p.name === undefined ? undefined : seenNames.get(nameKey(t, p.name));
        if (!first) continue;
        taken.add(t);
        diagnostics.push({
          severity: "error",
          code: "output/name-collision",
          message: `${t}: ${first.source.file}:${(first.source.keys?.name ?? first.source).line} already has the ${t} name ${JSON.stringify(p.name)}; two of them would be merged into one, losing a rule`,
          file: ref.source.file,
          // At the rule's name (`title:`, `name:`), which the hint asks to change.
          ...(ref.source.keys?.name ?? { line: ref.source.line, col: 1 }),
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
        sourced.get(t)!.push({ piece: p, source: ref.source.file });
        if (p.name !== undefined) seenNames.set(nameKey(t, p.name), ref);
      }
    }
  }
  // A bundle from a user's template that does not read back throws TemplateError: the template
  // is wrong for every rule, so the run stops (the CLI prints one line, exit 2).
  for (const name of targets) {
    const p = pieces.get(name)!;
    if (p.length > 0) for (const f of targetNamed(ctx, name).renderBundle(p, ctx)) files.push(withTarget(f, name));
  }
  return { files: dedupePaths(files, diagnostics), bundlePieces: sourced, outcomes, diagnostics: dedupeDiagnostics(diagnostics) };
}

/** The outcome with `targets` moved from converted to failed. */
function failedFor(o: RuleOutcome, targets: ReadonlySet<string>): RuleOutcome {
  return { ...o, converted: o.converted.filter((t) => !targets.has(t)), failed: [...o.failed, ...targets] };
}

/** The file tagged with its target and rule; a `document` made on first read (a getter) stays unmade until read. */
function withTarget(f: RenderedFile, target: string, rule?: RuleRef): OutputFile {
  const tags = { target, ...(rule ? { rule } : {}) };
  const doc = Object.getOwnPropertyDescriptor(f, "document");
  if (!doc?.get) return { ...f, ...tags };
  const out = { path: f.path, content: f.content };
  Object.defineProperty(out, "document", doc);
  return Object.assign(out, tags);
}

/** Diagnostics from a target say which target they are about. */
function tagTarget(d: Diagnostic, target: string): Diagnostic {
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
