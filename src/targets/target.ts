/**
 * What every target exports. A target turns one rule into files (and bundle entries); it never
 * imports another target and knows nothing about the parser a rule came from.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import type { Mappings } from "../mapping/mappings.js";
import type { Templates } from "../render/templates.js";
import type { UnmappedPolicy } from "../diagnostics/mapping-diagnostics.js";

export type TargetName = "sigma" | "splunk" | "elastic";

export interface TargetOptions {
  /** Elastic: the query language for rules converted from Sigma (`eql` keeps case-insensitivity). */
  readonly elasticLanguage: "eql" | "kuery" | "lucene";
  /** What to do with a field the mapping does not know. */
  readonly unmapped: UnmappedPolicy;
  /**
   * Field names of Sigma output for ECS rules: `sigma` maps to the Sigma taxonomy (portable, fails
   * on fields it lacks); `ecs` keeps ECS names and writes `taxonomy: ecs`; `auto` maps when every
   * field maps and keeps ECS names otherwise (the default: portable where possible, faithful always).
   */
  readonly sigmaTaxonomy?: "sigma" | "ecs" | "auto";
  /** Free values from the config file's `vars:`, for users' own templates. */
  readonly templateVars?: Readonly<Record<string, unknown>>;
  /** Splunk: app name for `--splunk-app` and stanza prefixes. */
  readonly splunkApp?: string;
  /** Splunk: index for searches (`index=...`), when the mapping gives none. */
  readonly splunkIndex?: string;
}

export interface TargetContext {
  readonly templates: Templates;
  readonly mappings: Mappings;
  readonly options: TargetOptions;
}

export interface RenderedFile {
  /** Relative to the target's output folder, `/`-separated. */
  readonly path: string;
  readonly content: string;
  /**
   * What the content must parse back to (a JSON value, or the list of YAML documents): tests
   * parse every output and compare, so a template or escaping slip cannot pass unseen.
   */
  readonly document?: unknown;
}

export interface TargetResult {
  /** Empty when the rule was refused; diagnostics then hold at least one error. */
  readonly files: readonly RenderedFile[];
  /** Per-rule pieces of the target's bundle (a conf stanza, an ndjson line), in rule order. */
  readonly bundle: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Target {
  readonly name: TargetName;
  renderRule(rule: Rule, ctx: TargetContext): TargetResult;
  /** The bundle file(s) made from every converted rule's pieces. */
  renderBundle(pieces: readonly string[], ctx: TargetContext): readonly RenderedFile[];
}

/**
 * What a template sees: the target's view model, plus the rule's whole IR (after field mapping),
 * the target's name and the config's `vars`, so a user's template can add any field.
 */
export function templateView(view: object, rule: Rule | undefined, target: TargetName, ctx: TargetContext): object {
  return { ...view, ...(rule ? { rule } : {}), target, vars: ctx.options.templateVars ?? {} };
}
