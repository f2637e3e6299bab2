/**
 * What every target exports. A target turns one rule into files (and bundle entries); it never
 * imports another target and knows nothing about the parser a rule came from.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Duration } from "../ir/query.js";
import type { Rule } from "../ir/rule.js";
import type { Mappings } from "../mapping/mappings.js";
import type { Templates } from "../render/templates.js";

export type TargetName = "sigma" | "splunk" | "elastic";

/**
 * A field the mapping does not know: `error` fails the rule for that target (the default);
 * `warning` and `keep` keep the field's own name, reported as a warning or an info line; `skip`
 * leaves the rule out of that target without counting it as a failure (an info line says why).
 */
export type UnmappedPolicy = "error" | "warning" | "keep" | "skip";

export type SigmaCase = "exact" | "insensitive";

export const SIGMA_CASES: readonly SigmaCase[] = ["exact", "insensitive"];

export type SigmaProfile = "sharing" | "lossless";

export const SIGMA_PROFILES: readonly SigmaProfile[] = ["sharing", "lossless"];

export type SplunkTaxonomy = "sigma" | "cim";

export const SPLUNK_TAXONOMIES: readonly SplunkTaxonomy[] = ["sigma", "cim"];

export const UNMAPPED_POLICIES: readonly UnmappedPolicy[] = ["error", "warning", "keep", "skip"];

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
  /**
   * Sigma `|cased`: `insensitive` (the default) writes no `|cased` and warns per rule that the match
   * widened, since pySigma's Splunk and Lucene backends refuse `|cased`; `exact` keeps it where a
   * value has letters (case means nothing to `5136`).
   */
  readonly sigmaCase?: SigmaCase;
  /**
   * Sigma output profile. `sharing` (the default): what SigmaHQ review and pySigma accept — no
   * custom attributes (except the names in `sigmaCustom`), numeric EventID, content-derived search
   * names, tags as the source has them. `lossless`: every Elastic rule field in an `elastic:` block
   * and a Sigma rule's own extra keys, so a round trip through Sigma loses nothing.
   */
  readonly sigmaProfile?: SigmaProfile;
  /** Custom attributes the sharing profile may still write (top-level names: `elastic`, …). */
  readonly sigmaCustom?: readonly string[];
  /** Free values from the config file's `vars:`, for users' own templates. */
  readonly templateVars?: Readonly<Record<string, unknown>>;
  /** Splunk: app name for `--splunk-app` and stanza prefixes. */
  readonly splunkApp?: string;
  /** Splunk: index for searches (`index=...`), when the mapping gives none. */
  readonly splunkIndex?: string;
  /**
   * Splunk field names: `sigma` (the default) searches raw events by the add-ons' field names;
   * `cim` searches CIM data models with tstats where a data set holds the rule's events.
   */
  readonly splunkTaxonomy?: SplunkTaxonomy;
  /** Splunk ES: risk events (risk-based alerting), notable events, or both (the default). */
  readonly splunkAlert?: "risk" | "notable" | "both";
  /** Splunk: the ingestion lag each search window ends before its run (default 10m). */
  readonly splunkLag?: Duration;
  /** Splunk: write rules that do not say `enabled` as enabled (`--enable`; default disabled). */
  readonly splunkEnable?: boolean;
  /** Splunk CIM: tstats summariesonly (fast, but blind to events not yet summarised). */
  readonly splunkSummariesOnly?: boolean;
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

/** One rule's part of a target's bundle (a conf stanza, an ndjson line). */
export interface BundlePiece {
  readonly text: string;
  /**
   * A name the bundle can hold once (a savedsearches.conf stanza: Splunk merges two stanzas of one
   * name, and one search is lost): a later rule with a name already taken is refused.
   */
  readonly name?: string;
  /** What the piece must read back as in the bundle (see RenderedFile.document). */
  readonly document?: unknown;
}

export interface TargetResult {
  /** Empty when the rule was refused; diagnostics then hold at least one error. */
  readonly files: readonly RenderedFile[];
  /** Per-rule pieces of the target's bundle, in rule order. */
  readonly bundle: readonly BundlePiece[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Target {
  readonly name: TargetName;
  renderRule(rule: Rule, ctx: TargetContext): TargetResult;
  /**
   * The bundle file(s) made from every converted rule's pieces. Throws TemplateError when the
   * result does not read back as the pieces it was made from (a user's template can do that).
   */
  renderBundle(pieces: readonly BundlePiece[], ctx: TargetContext): readonly RenderedFile[];
}

/**
 * What a template sees: the target's view model, plus the rule's whole IR (after field mapping),
 * the target's name and the config's `vars`, so a user's template can add any field.
 */
export function templateView(view: object, rule: Rule | undefined, target: TargetName, ctx: TargetContext): object {
  return { ...view, ...(rule ? { rule } : {}), target, vars: ctx.options.templateVars ?? {} };
}
