/**
 * One declaration per setting: its flag, config-file key, `RULECAST_*` variable, allowed values,
 * default and help text. The CLI's options, the config-file reader (known keys, validation), the
 * environment reader and `rulecast list options` are all made from these declarations; core
 * settings are declared in core-options.ts, each target's in its own folder.
 */

import { parseByteSize } from "../input/limits.js";

/** Commands that take a setting as a flag. */
export type OptionCommand = "convert" | "check" | "attack" | "import" | "test" | "list";

export interface OptionSpec {
  /** Name in the resolved settings (`elasticLanguage`). */
  readonly key: string;
  /** Command-line flag without dashes (`elastic-language`); none: set by config or environment only. */
  readonly flag?: string;
  /** Path in rulecast.config.yaml (`["splunk", "app"]`); none: not a config-file setting. */
  readonly config?: readonly string[];
  /** Environment variable (`RULECAST_ELASTIC_LANGUAGE`). */
  readonly env?: string;
  /** The values it may take; none: free text. */
  readonly choices?: readonly string[];
  /** Value when nothing sets it; none: unset. */
  readonly default?: string;
  /** A comma-separated list (flag repeatable, config a list or a comma-separated string). */
  readonly list?: boolean;
  /** A path: written in the config file, it is relative to the config file's folder. */
  readonly path?: boolean;
  /**
   * An on/off setting: a flag without a value (`--enable`, `--no-enable`), `true`/`false` in the
   * environment and a YAML boolean in the config file. Its value is the text `true` or `false`.
   */
  readonly boolean?: boolean;
  /** A size in bytes: `64MiB`, `512KiB`, or a number (in the config file, a number too). */
  readonly bytes?: boolean;
  /** Takes a count (beside any words `check` allows): the config file may write it as a YAML number. */
  readonly count?: boolean;
  readonly help: string;
  readonly commands: readonly OptionCommand[];
  /** What is wrong with a value beyond `choices`, if anything (`--splunk-app` must be an app id). */
  readonly check?: (value: string) => string | undefined;
}

/** How a size setting is written. */
export const SIZE_FORMAT = "a size such as 64MiB, 512KiB or a number of bytes, from 1 byte to 256 MiB";

/** A resolved setting: text, or a list for `list` settings. */
export type OptionValue = string | readonly string[];

/** Every declared setting's value by key (unset ones absent). */
export type OptionValues = Readonly<Record<string, OptionValue | undefined>>;

type ValueOf<O extends OptionSpec> = O extends { readonly list: true }
  ? readonly string[]
  : O extends { readonly choices: readonly (infer C extends string)[] }
    ? C
    : string;

/** The typed values of a list of declarations: `TypedOptions<typeof SPLUNK_OPTIONS>` → `{ splunkApp?: string, … }`. */
export type TypedOptions<Os extends readonly OptionSpec[]> = {
  readonly [O in Os[number] as O["key"]]: O extends { readonly default: string } ? ValueOf<O> : ValueOf<O> | undefined;
};

/** The values a target declared, typed from its declarations (the settings resolver checked them). */
export function typedOptions<Os extends readonly OptionSpec[]>(_declared: Os, values: OptionValues): TypedOptions<Os> {
  return values as unknown as TypedOptions<Os>;
}

/** Defaults of every declaration that has one. */
export function defaultOptionValues(declared: readonly OptionSpec[]): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const o of declared) if (o.default !== undefined) out[o.key] = o.list ? o.default.split(",") : o.default;
  return out;
}

/**
 * A raw value (from a flag, the environment or the config file) checked against its declaration;
 * `where` names the place it came from in the problem (`--unmapped`, `RULECAST_UNMAPPED`).
 */
export function checkOptionValue(o: OptionSpec, raw: OptionValue, where: string): { value: OptionValue } | { problem: string } {
  const values = typeof raw === "string" ? [raw] : raw;
  for (const v of values) {
    if (o.choices && !o.choices.includes(v)) return { problem: `${where} must be one of ${o.choices.join(", ")} (got \`${v}\`)` };
    if (o.bytes && parseByteSize(v) === undefined) return { problem: `${where} must be ${SIZE_FORMAT} (got \`${v}\`)` };
    const bad = o.check?.(v);
    if (bad !== undefined) return { problem: `${where}: ${bad}` };
  }
  return { value: raw };
}

/** `--elastic-language`, as messages and help name a setting. */
export function optionLabel(o: OptionSpec): string {
  return o.flag ? `--${o.flag}` : o.config ? o.config.join(".") : (o.env ?? o.key);
}
