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
import { SIZE_FORMAT, type OptionSpec, type OptionValue } from "../options/option-spec.js";
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
  /** Declared settings (core and targets'), by key, as the file writes them. */
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly mappings?: MappingOverrides;
  /** Per severity: schedule a rule gets when its file sets no `interval` / `from`. */
  readonly schedule?: Partial<Record<Severity, ScheduleDefault>>;
  /** Index patterns a rule with this log source gets when it names none (first match wins). */
  readonly indexPatterns?: readonly IndexPatterns[];
  /** Free values a user's templates can read as `vars.<name>`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Values of Sigma `%name%` placeholders (the `expand` modifier). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** What a config file may hold besides its own keys: the declared settings and mapping names. */
export interface ConfigDeclarations {
  readonly options: readonly OptionSpec[];
  readonly mappings: readonly string[];
}

export type ConfigRead = { readonly config: RulecastConfig } | { readonly error: Diagnostic };

const MAX_ALIAS_COUNT = 100;

const SEVERITIES: readonly Severity[] = ["informational", "low", "medium", "high", "critical"];
/** Keys this file reads itself, besides the declared settings (listed between the two). */
const OWN_KEYS_BEFORE = ["rules"];
const OWN_KEYS_AFTER = ["mappings", "schedule", "index_patterns", "vars", "placeholders"];

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
export function parseConfig(file: string, text: string, declared: ConfigDeclarations): ConfigRead {
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
    return { config: readConfig(raw ?? {}, declared) };
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

function readConfig(raw: unknown, declared: ConfigDeclarations): RulecastConfig {
  const top = object(raw, []);
  const settings = declared.options.filter((o): o is OptionSpec & { config: readonly string[] } => o.config !== undefined);
  const values: Record<string, OptionValue> = {};
  // The declared settings' keys, level by level (`splunk:` holds `app`, `index`, …).
  const readLevel = (node: Record<string, unknown>, path: readonly string[], before: readonly string[], after: readonly string[]) => {
    const here = settings.filter((o) => o.config.length > path.length && path.every((p, i) => o.config[i] === p));
    const keys = [...new Set(here.map((o) => o.config[path.length]!))];
    only(node, path, [...before, ...keys, ...after]);
    for (const k of keys) {
      if (node[k] === undefined) continue;
      const at = [...path, k];
      const leaf = here.find((o) => o.config.length === at.length && o.config[path.length] === k);
      if (leaf) values[leaf.key] = setting(leaf, node[k], at);
      else readLevel(object(node[k], at), at, [], []);
    }
  };
  readLevel(top, [], OWN_KEYS_BEFORE, OWN_KEYS_AFTER);
  const cfg: { -readonly [K in keyof RulecastConfig]: RulecastConfig[K] } = { values };
  if (top["rules"] !== undefined) cfg.rules = stringList(top["rules"], ["rules"]);
  if (top["vars"] !== undefined) cfg.vars = object(top["vars"], ["vars"]);
  if (top["placeholders"] !== undefined) {
    const ph = object(top["placeholders"], ["placeholders"]);
    cfg.placeholders = Object.fromEntries(Object.entries(ph).map(([k, v]) => [k, stringList(v, ["placeholders", k])]));
  }
  if (top["mappings"] !== undefined) {
    const m = object(top["mappings"], ["mappings"]);
    only(m, ["mappings"], declared.mappings);
    const out: Record<string, Record<string, string>> = {};
    for (const name of declared.mappings) {
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

/** A declared setting's value: one of its choices, a list, a size, or text; checked as its declaration says. */
function setting(o: OptionSpec, v: unknown, path: Path): OptionValue {
  if (o.bytes) {
    if ((typeof v !== "number" && typeof v !== "string") || parseByteSize(String(v)) === undefined) throw new ConfigProblem(path, `must be ${SIZE_FORMAT}`);
    return String(v);
  }
  if (o.boolean) {
    if (typeof v !== "boolean") throw new ConfigProblem(path, "must be true or false");
    return String(v);
  }
  if (o.count && typeof v === "number") v = String(v);
  const value = o.list ? stringList(v, path) : o.choices ? choice(v, path, o.choices) : string(v, path);
  for (const one of typeof value === "string" ? [value] : value) {
    const bad = o.check?.(one);
    if (bad !== undefined) throw new ConfigProblem(path, bad);
  }
  return value;
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

function stringList(v: unknown, path: Path): string[] {
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter(Boolean);
  if (!Array.isArray(v)) throw new ConfigProblem(path, "must be a list of strings");
  return v.map((x, i) => string(x, [...path, i]));
}

function choice<T extends string>(v: unknown, path: Path, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) throw new ConfigProblem(path, `must be one of ${allowed.join(", ")}`);
  return v as T;
}
