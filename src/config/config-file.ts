/**
 * `rulecast.config.yaml`: a rules repository's defaults. Parsed and checked here into plain data;
 * unknown keys are errors (a typo must not silently do nothing). Relative paths stay as written;
 * settings resolution makes them relative to the config file's folder.
 */
import { parseDocument } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { lineColAt, lineStarts } from "../diagnostics/source-text.js";
import { parseByteSize } from "../input/limits.js";
import { checkLookback, readDuration } from "../ir/duration.js";
import type { Logsource } from "../ir/query.js";
import type { Severity } from "../ir/rule.js";
import type { MappingOverrides } from "../mapping/mappings.js";
import { appVersionProblem, splunkIndexProblem } from "../targets/splunk/splunk-names.js";
import { firstAliasAt, isYamlStackOverflow, NESTING_MESSAGE, yamlTooDeepAt } from "../sources/data-nesting.js";
import { unpairedSurrogateDiagnostic, yamlUnpairedSurrogateAt } from "../sources/unpaired-surrogates.js";

export const CONFIG_FILE_NAME = "rulecast.config.yaml";

export interface ScheduleDefault {
  readonly interval?: string;
  readonly from?: string;
}

export interface IndexPatterns {
  readonly logsource: Logsource;
  readonly index: readonly string[];
}

export interface RulecastConfig {
  /** Rule folders or files `convert` and `check` read when no path is given. */
  readonly rules?: readonly string[];
  readonly targets?: readonly string[];
  readonly out?: string;
  readonly naming?: string;
  readonly templates?: string;
  readonly unmapped?: "error" | "warning" | "keep" | "skip";
  readonly elasticLanguage?: "eql" | "kuery" | "lucene";
  readonly sigmaCase?: "exact" | "insensitive";
  readonly sigmaProfile?: "sharing" | "lossless";
  readonly sigmaCustom?: readonly string[];
  readonly failOn?: "warning" | "error";
  readonly splunk?: { readonly app?: string; readonly index?: string; readonly appVersion?: string; readonly taxonomy?: string; readonly lag?: string; readonly alert?: string };
  /** Targets that ship rules disabled unless told (Splunk): write rules that do not say `enabled` as enabled. */
  readonly enabled?: boolean;
  readonly mappings?: MappingOverrides;
  /** Per severity: schedule a rule gets when its file sets no `interval` / `from`. */
  readonly schedule?: Partial<Record<Severity, ScheduleDefault>>;
  /** Index patterns a rule with this log source gets when it names none (first match wins). */
  readonly indexPatterns?: readonly IndexPatterns[];
  /** Free values a user's templates can read as `vars.<name>`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Values of Sigma `%name%` placeholders (the `expand` modifier). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
  /** Bytes one rule file (or stdin, an import input, an events file) may hold. */
  readonly maxInputSize?: number;
}

export type ConfigRead = { readonly config: RulecastConfig } | { readonly error: Diagnostic };

const MAX_ALIAS_COUNT = 100;

const SEVERITIES: readonly Severity[] = ["informational", "low", "medium", "high", "critical"];
const MAPPING_NAMES = ["ecs-sigma", "sigma-ecs", "sigma-splunk"] as const;

type Path = readonly (string | number)[];
/** Thrown only inside this module, to leave nested validation at the first problem; parseConfig turns it into a value. */
class ConfigProblem {
  constructor(
    readonly path: Path,
    readonly message: string,
    /** Point at the key itself (an unknown key), not its value. */
    readonly atKey = false,
  ) {}
}

/** Reads a config file's text; the first problem comes back with its line and column. */
export function parseConfig(file: string, text: string): ConfigRead {
  const doc = parseDocument(text, { uniqueKeys: true });
  const starts = lineStarts(text);
  const at = (offset: number) => lineColAt(text, offset, starts);
  const problem = (code: string, message: string, offset: number, hint?: string): ConfigRead => ({
    error: { severity: "error", code, message, file, ...at(offset), ...(hint ? { hint } : {}) },
  });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    if (isYamlStackOverflow(e.message)) return problem("config/nesting-too-deep", NESTING_MESSAGE, e.pos[0]);
    return problem("config/yaml-syntax", e.message.split("\n")[0]!, e.pos[0]);
  }
  const tooDeep = yamlTooDeepAt(doc);
  if (tooDeep !== undefined) return problem("config/nesting-too-deep", NESTING_MESSAGE, tooDeep);
  const unpaired = yamlUnpairedSurrogateAt(doc, text);
  if (unpaired !== undefined) return { error: unpairedSurrogateDiagnostic(file, at(unpaired)) };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The yaml library refuses to expand aliases past maxAliasCount (a "billion laughs" file).
    return problem("config/too-many-aliases", `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions): refusing an alias bomb`, firstAliasAt(doc), "write the values out instead of repeating aliases");
  }
  try {
    return { config: readConfig(raw ?? {}) };
  } catch (e) {
    if (!(e instanceof ConfigProblem)) throw e;
    type Ranged = { range?: [number, number, number]; items?: { key?: Ranged & { value?: unknown } }[] };
    const parent = e.path.length > 0 ? (doc.getIn(e.path.slice(0, -1), true) as Ranged | undefined) : undefined;
    const node = e.atKey ? parent?.items?.find((i) => i.key?.value === e.path[e.path.length - 1])?.key : (doc.getIn(e.path, true) as Ranged | undefined);
    const offset = node?.range?.[0] ?? parent?.range?.[0] ?? 0;
    const { line, col } = at(offset);
    return { error: { severity: "error", code: "config/invalid", message: `${e.path.join(".") || "(top)"}: ${e.message}`, file, line, col } };
  }
}

function readConfig(raw: unknown): RulecastConfig {
  const top = object(raw, []);
  only(top, [], ["rules", "targets", "out", "naming", "templates", "unmapped", "elastic_language", "sigma_case", "sigma_profile", "sigma_custom", "fail_on", "splunk", "mappings", "schedule", "index_patterns", "vars", "placeholders", "max_input_size", "enabled"]);
  const cfg: { -readonly [K in keyof RulecastConfig]: RulecastConfig[K] } = {};
  if (top["rules"] !== undefined) cfg.rules = stringList(top["rules"], ["rules"]);
  if (top["targets"] !== undefined) cfg.targets = stringList(top["targets"], ["targets"]);
  if (top["out"] !== undefined) cfg.out = string(top["out"], ["out"]);
  if (top["max_input_size"] !== undefined) {
    const v = top["max_input_size"];
    const n = typeof v === "number" || typeof v === "string" ? parseByteSize(String(v)) : undefined;
    if (n === undefined) throw new ConfigProblem(["max_input_size"], "must be a size such as 64MiB, 512KiB or a number of bytes, from 1 byte to 256 MiB");
    cfg.maxInputSize = n;
  }
  if (top["naming"] !== undefined) cfg.naming = string(top["naming"], ["naming"]);
  if (top["templates"] !== undefined) cfg.templates = string(top["templates"], ["templates"]);
  if (top["unmapped"] !== undefined) cfg.unmapped = choice(top["unmapped"], ["unmapped"], ["error", "warning", "keep", "skip"] as const);
  if (top["sigma_case"] !== undefined) cfg.sigmaCase = choice(top["sigma_case"], ["sigma_case"], ["exact", "insensitive"] as const);
  if (top["sigma_profile"] !== undefined) cfg.sigmaProfile = choice(top["sigma_profile"], ["sigma_profile"], ["sharing", "lossless"] as const);
  if (top["sigma_custom"] !== undefined) cfg.sigmaCustom = stringList(top["sigma_custom"], ["sigma_custom"]);
  if (top["elastic_language"] !== undefined) cfg.elasticLanguage = choice(top["elastic_language"], ["elastic_language"], ["eql", "kuery", "lucene"] as const);
  if (top["fail_on"] !== undefined) cfg.failOn = choice(top["fail_on"], ["fail_on"], ["warning", "error"] as const);
  if (top["enabled"] !== undefined) {
    if (typeof top["enabled"] !== "boolean") throw new ConfigProblem(["enabled"], "must be true or false");
    cfg.enabled = top["enabled"];
  }
  if (top["splunk"] !== undefined) {
    const s = object(top["splunk"], ["splunk"]);
    only(s, ["splunk"], ["app", "index", "app_version", "taxonomy", "lag", "alert"]);
    cfg.splunk = {
      ...(s["app"] !== undefined ? { app: string(s["app"], ["splunk", "app"]) } : {}),
      ...(s["index"] !== undefined ? { index: checked(string(s["index"], ["splunk", "index"]), ["splunk", "index"], splunkIndexProblem) } : {}),
      ...(s["app_version"] !== undefined ? { appVersion: checked(string(s["app_version"], ["splunk", "app_version"]), ["splunk", "app_version"], appVersionProblem) } : {}),
      ...(s["taxonomy"] !== undefined ? { taxonomy: string(s["taxonomy"], ["splunk", "taxonomy"]) } : {}),
      ...(s["lag"] !== undefined ? { lag: string(s["lag"], ["splunk", "lag"]) } : {}),
      ...(s["alert"] !== undefined ? { alert: string(s["alert"], ["splunk", "alert"]) } : {}),
    };
  }
  if (top["vars"] !== undefined) cfg.vars = object(top["vars"], ["vars"]);
  if (top["placeholders"] !== undefined) {
    const ph = object(top["placeholders"], ["placeholders"]);
    cfg.placeholders = Object.fromEntries(Object.entries(ph).map(([k, v]) => [k, stringList(v, ["placeholders", k])]));
  }
  if (top["mappings"] !== undefined) {
    const m = object(top["mappings"], ["mappings"]);
    only(m, ["mappings"], MAPPING_NAMES);
    const out: Record<string, Record<string, string>> = {};
    for (const name of MAPPING_NAMES) {
      if (m[name] === undefined) continue;
      const rows = object(m[name], ["mappings", name]);
      out[name] = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, string(v, ["mappings", name, k])]));
    }
    cfg.mappings = out;
  }
  if (top["schedule"] !== undefined) {
    const s = object(top["schedule"], ["schedule"]);
    only(s, ["schedule"], SEVERITIES);
    const out: Partial<Record<Severity, ScheduleDefault>> = {};
    for (const sev of SEVERITIES) {
      if (s[sev] === undefined) continue;
      const d = object(s[sev], ["schedule", sev]);
      only(d, ["schedule", sev], ["interval", "from"]);
      const interval = d["interval"] === undefined ? undefined : string(d["interval"], ["schedule", sev, "interval"]);
      const intervalRead = interval === undefined ? undefined : readDuration(interval);
      if (intervalRead && !intervalRead.ok) throw new ConfigProblem(["schedule", sev, "interval"], intervalRead.problem);
      const from = d["from"] === undefined ? undefined : string(d["from"], ["schedule", sev, "from"]);
      if (from !== undefined && !/^now-\d+[smhd]$/.test(from)) throw new ConfigProblem(["schedule", sev, "from"], `\`${from}\` is not date math like now-6m`);
      const lookbackProblem = from === undefined ? undefined : checkLookback(from);
      if (lookbackProblem) throw new ConfigProblem(["schedule", sev, "from"], lookbackProblem);
      out[sev] = { ...(interval ? { interval } : {}), ...(from ? { from } : {}) };
    }
    cfg.schedule = out;
  }
  if (top["index_patterns"] !== undefined) {
    if (!Array.isArray(top["index_patterns"])) throw new ConfigProblem(["index_patterns"], "must be a list of { logsource, index }");
    cfg.indexPatterns = top["index_patterns"].map((row, i) => {
      const p = ["index_patterns", i];
      const o = object(row, p);
      only(o, p, ["logsource", "index"]);
      const ls = object(o["logsource"], [...p, "logsource"]);
      only(ls, [...p, "logsource"], ["category", "product", "service"]);
      const logsource = Object.fromEntries(Object.entries(ls).map(([k, v]) => [k, string(v, [...p, "logsource", k])])) as Logsource;
      return { logsource, index: stringList(o["index"], [...p, "index"]) };
    });
  }
  return cfg;
}

function object(v: unknown, path: Path): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new ConfigProblem(path, "must be a mapping");
  return v as Record<string, unknown>;
}

function only(o: Record<string, unknown>, path: Path, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new ConfigProblem([...path, k], `unknown key \`${k}\` (known: ${keys.join(", ")})`, true);
  }
}

function string(v: unknown, path: Path): string {
  if (typeof v !== "string" || v === "") throw new ConfigProblem(path, "must be a non-empty string");
  return v;
}

/** `v`, unless `problem` finds something wrong with it. */
function checked(v: string, path: Path, problem: (v: string) => string | undefined): string {
  const p = problem(v);
  if (p) throw new ConfigProblem(path, p);
  return v;
}

function stringList(v: unknown, path: Path): string[] {
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter(Boolean);
  if (!Array.isArray(v)) throw new ConfigProblem(path, "must be a list of strings");
  return v.map((x, i) => string(x, [...path, i]));
}

function choice<T extends string>(v: unknown, path: Path, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) throw new ConfigProblem(path, `must be one of ${allowed.join(", ")}`);
  return v as T;
}
