/**
 * One run's settings, each taken from the first place that sets it: command-line flag, then
 * environment (`RULECAST_*`), then the config file, then the built-in default. Which settings
 * exist, and where each can be set, comes from their declarations (options/core-options.ts and
 * each target's `options`). Paths from the config file are relative to the file's folder; they
 * come back relative to the working directory when inside it (as the user would type them),
 * absolute otherwise.
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { UnmappedPolicy } from "../diagnostics/mapping-diagnostics.js";
import { DEFAULT_MAX_CONFIG_SIZE, DEFAULT_MAX_INPUT_SIZE, parseByteSize } from "../input/limits.js";
import type { Severity } from "../ir/rule.js";
import type { MappingOverrides } from "../mapping/mappings.js";
import type { FailOn } from "../options/core-options.js";
import { checkOptionValue, SIZE_FORMAT, type OptionSpec, type OptionValue, type OptionValues } from "../options/option-spec.js";
import type { IndexPatterns, RulecastConfig, ScheduleDefault } from "./config-file.js";

export interface Settings {
  readonly paths: readonly string[];
  readonly targets: readonly string[];
  readonly out?: string;
  readonly naming: string;
  readonly templates?: string;
  readonly unmapped: UnmappedPolicy;
  readonly failOn: FailOn;
  /** Every declared setting by key (core and each target's), defaults included, unset ones absent. */
  readonly options: OptionValues;
  readonly mappings: MappingOverrides;
  readonly schedule: Partial<Record<Severity, ScheduleDefault>>;
  readonly indexPatterns: readonly IndexPatterns[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** Bytes one rule file, stdin, import input or events file may hold. */
  readonly maxInputSize: number;
  /** Bytes the config file and each template file may hold. */
  readonly maxConfigSize: number;
}

/** What the command line gave; a key that is absent means "not on the command line". */
export interface SettingFlags {
  readonly paths?: readonly string[];
  /** Declared settings by key. */
  readonly values?: Readonly<Record<string, OptionValue>>;
}

/** A size setting's value; the message names where it came from. */
export function byteSize(what: string, text: string): number | { readonly error: string } {
  return parseByteSize(text) ?? { error: `${what} must be ${SIZE_FORMAT} (got \`${text}\`)` };
}

/**
 * The bound of the config file and of template files: known before the config is read, so it comes
 * from the flag or RULECAST_MAX_CONFIG_SIZE only (a file cannot raise its own bound).
 */
export function configSizeLimit(flags: SettingFlags, env: Readonly<Record<string, string | undefined>>): number | { readonly error: string } {
  const flag = flags.values?.["maxConfigSize"];
  if (typeof flag === "string") return byteSize("--max-config-size", flag);
  const fromEnv = env["RULECAST_MAX_CONFIG_SIZE"];
  return fromEnv ? byteSize("RULECAST_MAX_CONFIG_SIZE", fromEnv) : DEFAULT_MAX_CONFIG_SIZE;
}

/** The input bound for commands that read no config (import, test): the flag, then RULECAST_MAX_INPUT_SIZE. */
export function inputSizeLimit(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): number | { readonly error: string } {
  if (flag !== undefined) return byteSize("--max-input-size", flag);
  const fromEnv = env["RULECAST_MAX_INPUT_SIZE"];
  return fromEnv ? byteSize("RULECAST_MAX_INPUT_SIZE", fromEnv) : DEFAULT_MAX_INPUT_SIZE;
}

export type SettingsResult = { readonly settings: Settings } | { readonly error: string };

export function resolveSettings(
  flags: SettingFlags,
  env: Readonly<Record<string, string | undefined>>,
  config: RulecastConfig | undefined,
  configFile: string | undefined,
  cwd: string,
  declared: { readonly options: readonly OptionSpec[]; readonly targets: readonly string[] },
): SettingsResult {
  const fromConfig = (p: string) => {
    if (!configFile) return p;
    const abs = resolve(dirname(configFile), p);
    const rel = relative(cwd, abs);
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? abs : rel.split("\\").join("/");
  };
  const problems: string[] = [];
  const options: Record<string, OptionValue> = {};
  for (const o of declared.options) {
    const fromFile = config?.values[o.key];
    const value = settingValue(o, flags.values?.[o.key], o.env ? env[o.env] : undefined, problems) ?? (o.path && typeof fromFile === "string" ? fromConfig(fromFile) : fromFile) ?? o.default;
    if (value !== undefined) options[o.key] = value;
  }
  options["targets"] ??= [...declared.targets];
  const text = (k: string) => options[k] as string | undefined;
  const bytes = (k: string, fallback: number) => (typeof options[k] === "string" ? (parseByteSize(options[k] as string) ?? fallback) : fallback);
  const out = text("out");
  const templates = text("templates");
  const settings: Settings = {
    paths: flags.paths && flags.paths.length > 0 ? flags.paths : (config?.rules ?? []).map(fromConfig),
    targets: options["targets"] as readonly string[],
    ...(out !== undefined ? { out } : {}),
    naming: text("naming")!,
    ...(templates !== undefined ? { templates } : {}),
    unmapped: text("unmapped") as UnmappedPolicy,
    failOn: text("failOn") as FailOn,
    options,
    mappings: config?.mappings ?? {},
    schedule: config?.schedule ?? {},
    indexPatterns: config?.indexPatterns ?? [],
    vars: config?.vars ?? {},
    placeholders: config?.placeholders ?? {},
    maxInputSize: bytes("maxInputSize", DEFAULT_MAX_INPUT_SIZE),
    maxConfigSize: bytes("maxConfigSize", DEFAULT_MAX_CONFIG_SIZE),
  };
  return problems.length > 0 ? { error: problems.join("; ") } : { settings };
}

/** The flag's value, else the environment's (each checked); undefined when neither sets it. */
function settingValue(o: OptionSpec, flag: OptionValue | undefined, env: string | undefined, problems: string[]): OptionValue | undefined {
  const checked = (raw: OptionValue, where: string) => {
    const r = checkOptionValue(o, raw, where);
    if ("problem" in r) problems.push(r.problem);
    return r;
  };
  if (flag !== undefined) {
    const r = checked(flag, `--${o.flag ?? o.key}`);
    return "value" in r ? r.value : o.default;
  }
  if (env !== undefined && env !== "" && o.env) {
    const r = checked(o.list ? [env] : env, o.env);
    return "value" in r ? r.value : o.default;
  }
  return undefined;
}
