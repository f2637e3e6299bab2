/**
 * One run's settings, each taken from the first place that sets it: command-line flag, then
 * environment (`RULECAST_*`), then the config file, then the built-in default. Paths from the
 * config file are relative to the file's folder; they come back relative to the working
 * directory when inside it (as the user would type them), absolute otherwise.
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { DEFAULT_MAX_CONFIG_SIZE, DEFAULT_MAX_INPUT_SIZE, parseByteSize } from "../input/limits.js";
import { durationMs, parseDuration } from "../ir/duration.js";
import type { Duration } from "../ir/query.js";
import type { Severity } from "../ir/rule.js";
import type { MappingOverrides } from "../mapping/mappings.js";
import { splunkIndexProblem } from "../targets/splunk/splunk-names.js";
import type { IndexPatterns, RulecastConfig, ScheduleDefault } from "./config-file.js";

export type FailOn = "warning" | "error";

export interface Settings {
  readonly paths: readonly string[];
  readonly targets: readonly string[];
  readonly out?: string;
  readonly naming: string;
  readonly templates?: string;
  readonly unmapped: "error" | "warning" | "keep" | "skip";
  readonly elasticLanguage: "eql" | "kuery" | "lucene";
  readonly sigmaCase: "exact" | "insensitive";
  readonly sigmaProfile: "sharing" | "lossless";
  readonly sigmaCustom: readonly string[];
  readonly failOn: FailOn;
  readonly splunkApp?: string;
  readonly splunkIndex?: string;
  readonly splunkTaxonomy: "sigma" | "cim";
  /** Splunk ES alerting: risk events, notable events, or both. */
  readonly splunkAlert: "risk" | "notable" | "both";
  /** Minutes between the end of a Splunk search window and its run (ingestion lag). */
  readonly splunkLag: Duration;
  /** Rules that do not say `enabled` are written enabled (Splunk ships them disabled otherwise). */
  readonly enable: boolean;
  readonly splunkAppVersion: string;
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

/** What flags the user gave; undefined means "not on the command line". */
export interface SettingFlags {
  readonly paths?: readonly string[];
  readonly to?: readonly string[];
  readonly out?: string;
  readonly naming?: string;
  readonly templates?: string;
  readonly unmapped?: string;
  readonly elasticLanguage?: string;
  readonly sigmaCase?: string;
  readonly sigmaProfile?: string;
  readonly sigmaCustom?: readonly string[];
  readonly failOn?: string;
  readonly splunkApp?: string;
  readonly splunkIndex?: string;
  readonly maxInputSize?: string;
  /** Bound of the config file itself and of template files (flag or environment only). */
  readonly maxConfigSize?: string;
  readonly splunkTaxonomy?: string;
  readonly splunkAlert?: string;
  readonly enable?: boolean;
}

/** `{target}/{slug}`: what `npm start` has always written (out/sigma/<slug>.yml, …). */
export const DEFAULT_NAMING = "{target}/{slug}";

/** Environment variables read, with the flag each stands for (listed in --help and the README). */
export const ENV_VARS: Readonly<Record<string, string>> = {
  RULECAST_CONFIG: "--config",
  RULECAST_TO: "--to",
  RULECAST_OUT: "--out",
  RULECAST_NAMING: "--naming",
  RULECAST_TEMPLATES: "--templates",
  RULECAST_UNMAPPED: "--unmapped",
  RULECAST_ELASTIC_LANGUAGE: "--elastic-language",
  RULECAST_SIGMA_CASE: "--sigma-case",
  RULECAST_SIGMA_PROFILE: "--sigma-profile",
  RULECAST_SIGMA_CUSTOM: "--sigma-custom",
  RULECAST_FAIL_ON: "--fail-on",
  RULECAST_SPLUNK_APP: "--splunk-app",
  RULECAST_SPLUNK_INDEX: "--splunk-index",
  RULECAST_MAX_INPUT_SIZE: "--max-input-size",
  RULECAST_MAX_CONFIG_SIZE: "--max-config-size",
  RULECAST_SPLUNK_TAXONOMY: "--splunk-taxonomy",
  RULECAST_ENABLE: "--enable",
  RULECAST_SPLUNK_ALERT: "--splunk-alert",
};

const SIZE_FORMAT = "a size such as 64MiB, 512KiB or a number of bytes, from 1 byte to 256 MiB";

/** A size setting's value; the message names where it came from. */
export function byteSize(what: string, text: string): number | { readonly error: string } {
  return parseByteSize(text) ?? { error: `${what} must be ${SIZE_FORMAT} (got \`${text}\`)` };
}

/**
 * The bound of the config file and of template files: known before the config is read, so it comes
 * from the flag or RULECAST_MAX_CONFIG_SIZE only (a file cannot raise its own bound).
 */
export function configSizeLimit(flags: SettingFlags, env: Readonly<Record<string, string | undefined>>): number | { readonly error: string } {
  if (flags.maxConfigSize !== undefined) return byteSize("--max-config-size", flags.maxConfigSize);
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
): SettingsResult {
  const cfg = config ?? {};
  const fromConfig = (p: string | undefined) => {
    if (p === undefined || !configFile) return p;
    const abs = resolve(dirname(configFile), p);
    const rel = relative(cwd, abs);
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? abs : rel.split("\\").join("/");
  };
  const e = (name: string) => (env[name] !== undefined && env[name] !== "" ? env[name] : undefined);
  const pick = <T>(flag: T | undefined, envName: string, configValue: T | undefined, builtin: T, parse: (s: string) => T): T =>
    flag ?? (e(envName) !== undefined ? parse(e(envName)!) : undefined) ?? configValue ?? builtin;

  const problems: string[] = [];
  const oneOf =
    <T extends string>(what: string, allowed: readonly T[], fallback: T) =>
    (s: string): T => {
      if ((allowed as readonly string[]).includes(s)) return s as T;
      problems.push(`${what} must be one of ${allowed.join(", ")} (got \`${s}\`)`);
      return fallback;
    };
  const text = (s: string) => s;
  const list = (s: string) => [s];
  const size = (what: string) => (s: string): number => {
    const n = byteSize(what, s);
    if (typeof n === "number") return n;
    problems.push(n.error);
    return DEFAULT_MAX_INPUT_SIZE;
  };

  const unmappedFlag = flags.unmapped === undefined ? undefined : oneOf("--unmapped", ["error", "warning", "keep", "skip"] as const, "error")(flags.unmapped);
  const languageFlag = flags.elasticLanguage === undefined ? undefined : oneOf("--elastic-language", ["eql", "kuery", "lucene"] as const, "eql")(flags.elasticLanguage);
  const caseFlag = flags.sigmaCase === undefined ? undefined : oneOf("--sigma-case", ["exact", "insensitive"] as const, "insensitive")(flags.sigmaCase);
  const profileFlag = flags.sigmaProfile === undefined ? undefined : oneOf("--sigma-profile", ["sharing", "lossless"] as const, "sharing")(flags.sigmaProfile);
  const names = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const splunkTaxonomyFlag = flags.splunkTaxonomy === undefined ? undefined : oneOf("--splunk-taxonomy", ["sigma", "cim"] as const, "sigma")(flags.splunkTaxonomy);
  const splunkTaxonomyConfig = cfg.splunk?.taxonomy === undefined ? undefined : oneOf("splunk.taxonomy", ["sigma", "cim"] as const, "sigma")(cfg.splunk.taxonomy);
  const alerts = ["risk", "notable", "both"] as const;
  const splunkAlertFlag = flags.splunkAlert === undefined ? undefined : oneOf("--splunk-alert", alerts, "both")(flags.splunkAlert);
  const splunkAlertConfig = cfg.splunk?.alert === undefined ? undefined : oneOf("splunk.alert", alerts, "both")(cfg.splunk.alert);
  const failOnFlag = flags.failOn === undefined ? undefined : oneOf("--fail-on", ["warning", "error"] as const, "error")(flags.failOn);

  const out = pick(flags.out, "RULECAST_OUT", fromConfig(cfg.out), undefined, text);
  const templates = pick(flags.templates, "RULECAST_TEMPLATES", fromConfig(cfg.templates), undefined, text);
  const splunkApp = pick(flags.splunkApp, "RULECAST_SPLUNK_APP", cfg.splunk?.app, undefined, text);
  const splunkIndex = pick(flags.splunkIndex, "RULECAST_SPLUNK_INDEX", cfg.splunk?.index, undefined, text);
  // Pasted into every search as `index=<name>`; the config file's value was checked when it was read.
  const indexFrom = flags.splunkIndex !== undefined ? "--splunk-index" : e("RULECAST_SPLUNK_INDEX") !== undefined ? "RULECAST_SPLUNK_INDEX" : undefined;
  const indexProblem = indexFrom && splunkIndex ? splunkIndexProblem(splunkIndex) : undefined;
  if (indexProblem) problems.push(`${indexFrom}: ${indexProblem}`);
  const maxConfigSize = configSizeLimit(flags, env);
  const maxInputFlag = flags.maxInputSize === undefined ? undefined : size("--max-input-size")(flags.maxInputSize);
  const lagText = cfg.splunk?.lag ?? "10m";
  const parsedLag = parseDuration(lagText);
  const lag: Duration = parsedLag && durationMs(parsedLag) % 60000 === 0 ? parsedLag : { value: 10, unit: "m" };
  if (!parsedLag || durationMs(parsedLag) % 60000 !== 0) problems.push(`splunk.lag must be whole minutes such as 10m or 1h (got \`${lagText}\`)`);
  const settings: Settings = {
    paths: flags.paths && flags.paths.length > 0 ? flags.paths : (cfg.rules ?? []).map((p) => fromConfig(p)!),
    targets: pick(flags.to, "RULECAST_TO", cfg.targets, ["sigma", "splunk", "elastic"], list),
    ...(out !== undefined ? { out } : {}),
    naming: pick(flags.naming, "RULECAST_NAMING", cfg.naming, DEFAULT_NAMING, text),
    ...(templates !== undefined ? { templates } : {}),
    unmapped: pick(unmappedFlag, "RULECAST_UNMAPPED", cfg.unmapped, "error", oneOf("RULECAST_UNMAPPED", ["error", "warning", "keep", "skip"] as const, "error")),
    elasticLanguage: pick(languageFlag, "RULECAST_ELASTIC_LANGUAGE", cfg.elasticLanguage, "eql", oneOf("RULECAST_ELASTIC_LANGUAGE", ["eql", "kuery", "lucene"] as const, "eql")),
    sigmaCase: pick(caseFlag, "RULECAST_SIGMA_CASE", cfg.sigmaCase, "insensitive", oneOf("RULECAST_SIGMA_CASE", ["exact", "insensitive"] as const, "insensitive")),
    sigmaProfile: pick(profileFlag, "RULECAST_SIGMA_PROFILE", cfg.sigmaProfile, "sharing", oneOf("RULECAST_SIGMA_PROFILE", ["sharing", "lossless"] as const, "sharing")),
    sigmaCustom: pick(flags.sigmaCustom?.flatMap(names), "RULECAST_SIGMA_CUSTOM", cfg.sigmaCustom, [], names),
    failOn: pick(failOnFlag, "RULECAST_FAIL_ON", cfg.failOn, "error", oneOf("RULECAST_FAIL_ON", ["warning", "error"] as const, "error")),
    ...(splunkApp !== undefined ? { splunkApp } : {}),
    ...(splunkIndex !== undefined ? { splunkIndex } : {}),
    splunkTaxonomy: pick(splunkTaxonomyFlag, "RULECAST_SPLUNK_TAXONOMY", splunkTaxonomyConfig, "sigma", oneOf("RULECAST_SPLUNK_TAXONOMY", ["sigma", "cim"] as const, "sigma")),
    splunkLag: lag,
    splunkAlert: pick(splunkAlertFlag, "RULECAST_SPLUNK_ALERT", splunkAlertConfig, "both", oneOf("RULECAST_SPLUNK_ALERT", alerts, "both")),
    enable: flags.enable ?? (e("RULECAST_ENABLE") !== undefined ? e("RULECAST_ENABLE") === "true" : undefined) ?? cfg.enabled ?? false,
    splunkAppVersion: cfg.splunk?.appVersion ?? "1.0.0",
    mappings: cfg.mappings ?? {},
    schedule: cfg.schedule ?? {},
    indexPatterns: cfg.indexPatterns ?? [],
    vars: cfg.vars ?? {},
    placeholders: cfg.placeholders ?? {},
    maxInputSize: pick(maxInputFlag, "RULECAST_MAX_INPUT_SIZE", cfg.maxInputSize, DEFAULT_MAX_INPUT_SIZE, size("RULECAST_MAX_INPUT_SIZE")),
    maxConfigSize: typeof maxConfigSize === "number" ? maxConfigSize : DEFAULT_MAX_CONFIG_SIZE,
  };
  if (typeof maxConfigSize !== "number") problems.push(maxConfigSize.error);
  return problems.length > 0 ? { error: problems.join("; ") } : { settings };
}
