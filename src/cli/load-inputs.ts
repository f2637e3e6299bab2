/**
 * What every rule command starts with: the settings (flags > RULECAST_* > config file > built-in)
 * and the rules read from files, directories (recursive, `--pattern`) and `-` (stdin), with the
 * config's schedule and index defaults applied where the rule file sets none.
 */
import { statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseConfig, type RulecastConfig } from "../config/config-file.js";
import { applyRuleDefaults, topLevelKeys } from "../config/apply-defaults.js";
import { findConfigFile } from "../config/find-config.js";
import { configSizeLimit, resolveSettings, type SettingFlags, type Settings } from "../config/settings.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { decodeRead, readTextInput } from "../input/read-text.js";
import { TAXONOMY_MAPPINGS } from "../mapping/mappings.js";
import { collectInputFiles, readInputText } from "../pipeline/input-files.js";
import { readRules, type SourceText } from "../pipeline/read-rules.js";
import { detectTextFormat } from "../sources/registry.js";
import { declaredMappings, declaredOptions, type TargetRegistry } from "../targets/target.js";
import { UsageError, type Io } from "./io.js";

export const STDIN_PATH = "<stdin>";

export interface LoadFlags extends SettingFlags {
  readonly config?: string;
  readonly pattern?: string;
  /** A format of src/sources/registry.ts. */
  readonly from?: string;
}

export interface LoadedConfig {
  readonly settings: Settings;
  readonly configFile?: string;
}

export interface LoadedRules extends LoadedConfig {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
  /** Source text per file as named in diagnostics, to place findings on their line. */
  readonly texts: ReadonlyMap<string, string>;
  /** Per file: its path under the folder it was found in, without extension (`{path}` in names). */
  readonly relativePaths: ReadonlyMap<string, string>;
}

/** Settings alone (for commands that read no rules, and before reading). */
export function loadSettings(flags: LoadFlags, io: Io, registry: TargetRegistry): LoadedConfig {
  const explicit = flags.config ?? io.env["RULECAST_CONFIG"];
  const configFile = explicit ? resolve(io.cwd, explicit) : findConfigFile(io.cwd);
  let config: RulecastConfig | undefined;
  if (configFile) {
    const limit = configSizeLimit(flags, io.env);
    if (typeof limit !== "number") throw new UsageError(limit.error);
    const shown = relative(io.cwd, configFile).startsWith("..") ? configFile : relative(io.cwd, configFile);
    const read = readTextInput({ shown, absolute: configFile }, { bytes: limit, setting: "--max-config-size" });
    if (!read.ok) throw new UsageError(`cannot read config file: ${formatDiagnostic(read.diagnostic)}`);
    const parsed = parseConfig(shown, read.text, { options: declaredOptions(registry), mappings: [...TAXONOMY_MAPPINGS, ...declaredMappings(registry).map((m) => m.name)] });
    if ("error" in parsed) throw new UsageError(formatDiagnostic(parsed.error));
    config = parsed.config;
  }
  const r = resolveSettings(flags, io.env, config, configFile, io.cwd, { options: declaredOptions(registry), targets: registry.targets.map((t) => t.name) });
  if ("error" in r) throw new UsageError(r.error);
  return { settings: r.settings, ...(configFile ? { configFile } : {}) };
}

export function loadRules(flags: LoadFlags, io: Io, registry: TargetRegistry, onFile: () => void = () => {}): LoadedRules {
  const loaded = loadSettings(flags, io, registry);
  const { settings } = loaded;
  if (settings.paths.length === 0) throw new UsageError("name the rule files or folders to read (or `-` for stdin), or list them under `rules:` in rulecast.config.yaml");
  let pattern: RegExp | undefined;
  if (flags.pattern) {
    try {
      pattern = new RegExp(flags.pattern);
    } catch {
      throw new UsageError(`--pattern is not a valid regular expression: ${flags.pattern}`);
    }
  }
  const files: SourceText[] = [];
  const unreadable: Diagnostic[] = [];
  const relativePaths = new Map<string, string>();
  let stdin: SourceText | undefined;
  const inputBound = { bytes: settings.maxInputSize, setting: "--max-input-size" };
  for (const p of settings.paths) {
    if (p === "-") {
      if (!io.readStdin) throw new UsageError("`-` (stdin) is not available here");
      relativePaths.set(STDIN_PATH, "stdin");
      const input = decodeRead(io.readStdin(settings.maxInputSize), STDIN_PATH, inputBound);
      if (input.ok) stdin = { path: STDIN_PATH, text: input.text };
      else unreadable.push(input.diagnostic);
      continue;
    }
    const scan = collectInputFiles([p], io.cwd, pattern, settings.out !== undefined ? [resolve(io.cwd, settings.out)] : []);
    if (scan.missing.length > 0) throw new UsageError(`no such file or directory: ${scan.missing.join(", ")}`);
    const root = isAbsolute(p) ? p : join(io.cwd, p);
    const rootIsDir = statSync(root).isDirectory();
    for (const f of scan.files) {
      if (relativePaths.has(f.path)) continue;
      const rel = rootIsDir ? relative(root, f.absolute) : relative(dirname(root), f.absolute);
      relativePaths.set(f.path, rel.split("\\").join("/").replace(/\.[^./]*$/, ""));
      const input = readInputText(f, settings.maxInputSize);
      if (input.ok) files.push({ path: f.path, text: input.text, ...(f.explicit ? {} : { walked: true }) });
      else unreadable.push(input.diagnostic);
      onFile();
    }
  }
  const readOptions = { placeholders: settings.placeholders, ...(flags.from ? { format: flags.from } : {}) };
  const read = readRules(files, readOptions);
  const rules = [...read.rules];
  const diagnostics = [...unreadable, ...read.diagnostics];
  if (stdin) {
    // stdin has no file name to detect a format from: its text alone decides.
    const format = flags.from ?? detectTextFormat(stdin.text);
    const r = readRules([stdin], { placeholders: settings.placeholders, ...(format ? { format } : {}) });
    rules.push(...r.rules);
    diagnostics.push(...r.diagnostics);
    files.push(stdin);
  }
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const keys = new Map(files.map((f) => [f.path, topLevelKeys(f.text)]));
  const defaults = { schedule: settings.schedule, indexPatterns: settings.indexPatterns };
  const withDefaults = rules.map((r) => applyRuleDefaults(r, defaults, keys.get(r.source.file) ?? new Set()));
  return { ...loaded, rules: withDefaults, diagnostics, texts, relativePaths };
}
