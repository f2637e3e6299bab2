/**
 * What a target is: one declaration (`TargetSpec`) exported by `src/targets/<name>/index.ts` and
 * listed in `src/targets/registry.ts`. The pipeline reads it: it brings each rule into the
 * target's taxonomy, runs the declared rewrites, then asks the target to render. A target renders
 * only: it never imports the pipeline, the passes or another target.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule, Taxonomy } from "../ir/rule.js";
import type { Mappings, MappingSpec } from "../mapping/mappings.js";
import { CORE_OPTIONS } from "../options/core-options.js";
import type { OptionSpec, OptionValues } from "../options/option-spec.js";
import type { Templates } from "../render/templates.js";

/**
 * IR → IR rewrites a target needs before it renders, run by the pipeline in order
 * (pipeline/rewrites.ts interprets them with an exhaustive switch).
 */
export type Rewrite =
  /**
   * Platform rule types the target has no form for: a threshold's correlation counts within the
   * look-back, filters beside the query join it, indicator-match rules are refused. A new-terms
   * rule becomes a `newTerms` query when `newTerms` says the target can search first-seen values,
   * and is refused otherwise.
   */
  | { readonly pass: "lowerPlatformRuleTypes"; readonly newTerms?: boolean }
  /**
   * Field names of the target's taxonomy (TargetSpec.taxonomy). `keepOwnNames` names the option
   * (values: a taxonomy, or `auto`) that lets a rule keep its own names: always when it names the
   * rule's taxonomy, and with `auto` when a field has no name in the target's. `exactLift`: the
   * log source lifted out of an ECS query is written out, and Elastic reads it back as ECS
   * conditions, so the lift is checked to say what it took (passes/lift-exactness.ts).
   */
  | { readonly pass: "toTaxonomy"; readonly keepOwnNames?: string; readonly exactLift?: boolean }
  /** Renames fields with a mapping the target declares, in every step and sub-rule and their keys. */
  | { readonly pass: "mapFields"; readonly mapping: string }
  /** The log source (of the rule, each step, each sub-rule) as the mapping's source conditions. */
  | { readonly pass: "lowerLogsource"; readonly mapping: string }
  /** A `temporal_ordered` correlation as a sequence; refused when its condition is not "all in order". */
  | { readonly pass: "correlationToSequence" }
  /**
   * Each literal compared with an ECS field takes the field's ECS type (a number for a numeric
   * field, a boolean for a boolean one, text for a keyword), as Elasticsearch compares them.
   */
  | { readonly pass: "typeEcsLiterals" }
  /**
   * The rule as searches over Splunk CIM data sets (`Rule.cim`): its ECS literals typed, its log
   * source lifted, its fields and source conditions in the data set's names; or the reason it
   * cannot be, naming the field or construct. `fieldHomes` names the option whose
   * `FIELD -> DataModel.DataSet.cim_field` entries go over the packaged CIM tables.
   */
  | { readonly pass: "toCim"; readonly fieldHomes?: string };

export interface RenderContext {
  readonly templates: Templates;
  /** Every declared setting (core and each target's): read a target's own with `typedOptions`. */
  readonly options: OptionValues;
  /** Free values from the config file's `vars:`, for users' own templates. */
  readonly vars: Readonly<Record<string, unknown>>;
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
  /**
   * What identifies the piece within its bundle, when the renderer has it at hand (TargetSpec.pieceKey
   * reads it before reading the text: Elastic's rule_id without parsing each ndjson line again).
   */
  readonly key?: string;
  /** What the piece must read back as in the bundle (see RenderedFile.document). */
  readonly document?: unknown;
}

/** One bundle file written piece by piece (TargetSpec.streamBundle); it exists once a piece is in it. */
export interface BundleFileStream {
  readonly path: string;
  /** Its text before the first piece. */
  readonly head: string;
  /** What the piece adds, in order; empty when the piece adds nothing (a macro already written). */
  piece(p: BundlePiece): string;
}

export interface TargetResult {
  /** Empty when the rule was refused; diagnostics then hold at least one error. */
  readonly files: readonly RenderedFile[];
  /** Per-rule pieces of the target's bundle, in rule order. */
  readonly bundle: readonly BundlePiece[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The text of a file in the target's folder (`/`-separated, relative to it); undefined when there is none. */
export type BundleReader = (path: string) => string | undefined;

/** Files beside the target's folder, made from its output (the Splunk app). Paths are under `--out`. */
export type PackageResult =
  | { readonly files: readonly RenderedFile[]; readonly archive?: { readonly path: string; readonly bytes: Buffer } }
  | { readonly error: string };

/**
 * Another way a target can write a rule, chosen by one of its options (Splunk's CIM data-model
 * searches): the pipeline runs the form's rewrites and its renderer first; when the form cannot hold
 * the rule, the target's own rewrites and renderer run, after the form's notes (a warning saying why).
 */
export interface TargetForm {
  /** The option (a key of the target's `options`) and the value that choose this form. */
  readonly option: string;
  readonly value: string;
  readonly rewrites: readonly Rewrite[];
  renderRule(rule: Rule, ctx: RenderContext): TargetResult | { readonly fallback: readonly Diagnostic[] };
}

/** A list of a target's own for `rulecast list <name>` (Splunk's data sources). */
export interface TargetList {
  readonly name: string;
  /** What it shows, for `rulecast list --help`. */
  readonly summary: string;
  /** Writes the list, one line per call or several; `options` are the run's settings (a list may show what the config changed). */
  print(mappings: Mappings, out: (text: string) => void, options: OptionValues): void;
}

export interface TargetSpec<Name extends string = string> {
  /** What `--to` and output folders call it. */
  readonly name: Name;
  /** How prose names it ("Splunk"). */
  readonly title: string;
  /** One line for `rulecast list targets`. */
  readonly summary: string;
  /** The field names its renderer expects. */
  readonly taxonomy: Taxonomy;
  /** Rewrites after the taxonomy is reached, in order. */
  readonly rewrites: readonly Rewrite[];
  /** Its settings (flags, config keys, RULECAST_* variables). */
  readonly options: readonly OptionSpec[];
  /** Field mappings of its own. */
  readonly mappings: readonly MappingSpec[];
  /** Forms chosen by an option, tried before the target's own (see TargetForm). */
  readonly forms?: readonly TargetForm[];
  /** Lists `rulecast list` shows besides the built-in ones. */
  readonly lists?: readonly TargetList[];
  /** Examples for `rulecast convert --help`: [command, what it does]. */
  readonly examples?: readonly (readonly [string, string])[];
  renderRule(rule: Rule, ctx: RenderContext): TargetResult;
  /**
   * The bundle file(s) made from every converted rule's pieces. Throws TemplateError when the
   * result does not read back as the pieces it was made from (a user's template can do that).
   */
  renderBundle(pieces: readonly BundlePiece[], ctx: RenderContext): readonly RenderedFile[];
  /**
   * The same bundle files as `renderBundle`, appended one piece at a time, so a run holds no piece
   * once it is written (a test holds the two equal). Undefined when the bundle needs every piece
   * at once: a user's template, which is read back whole.
   */
  streamBundle?(ctx: RenderContext): readonly BundleFileStream[] | undefined;
  /**
   * The pieces of the bundle this target wrote earlier, read back from its folder, for a run that
   * converts only some of the rules and must keep the others' pieces (cli/partial-bundles.ts). The
   * bundle is untrusted data: each piece is re-validated alone, so none can spill into another;
   * anything that is not the built-in layout is an error, never a guess.
   */
  readBundle?(read: BundleReader, ctx: RenderContext): readonly BundlePiece[] | { readonly error: string };
  /** What identifies a piece within its bundle (a stanza name, a rule_id): the key `readBundle`'s pieces share with new ones. */
  pieceKey?(piece: BundlePiece): string | undefined;
  /** Files made from the target's whole output, when its options ask for them. */
  package?(files: readonly RenderedFile[], ctx: RenderContext): PackageResult | undefined;
}

/**
 * What a template sees: the target's view model, plus the rule's whole IR (after field mapping),
 * the target's name and the config's `vars`, so a user's template can add any field.
 */
export function templateView(view: object, rule: Rule | undefined, target: string, ctx: RenderContext): object {
  return { ...view, ...(rule ? { rule } : {}), target, vars: ctx.vars };
}

/** The targets a run knows: src/targets/registry.ts lists the built-in ones. */
export interface TargetRegistry {
  /** What `--to` offers, in the order of `list targets` and of the default `--to`. */
  readonly targets: readonly TargetSpec[];
  /** Rule files, which `rulecast import` writes (not offered by `--to`). */
  readonly ruleFiles: TargetSpec;
}

/** Every setting a run can have: the core ones, then each target's, in registry order. */
export function declaredOptions(registry: TargetRegistry): readonly OptionSpec[] {
  return [...CORE_OPTIONS, ...registry.targets.flatMap((t) => t.options)];
}

/** Every mapping the registry's targets declare. */
export function declaredMappings(registry: TargetRegistry): readonly MappingSpec[] {
  return registry.targets.flatMap((t) => t.mappings);
}

/**
 * The file with its `document` made on first read: only tests read it, so a conversion does not
 * build it for every rule. The property is still an own enumerable one, read like any other.
 */
export function withLazyDocument(file: { path: string; content: string }, make: () => unknown): RenderedFile {
  let doc: unknown;
  let made = false;
  return Object.defineProperty(file, "document", {
    enumerable: true,
    configurable: true,
    get() {
      if (!made) {
        doc = make();
        made = true;
      }
      return doc;
    },
  });
}
