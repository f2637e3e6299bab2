/**
 * What every rule command starts with: the settings (flags > RULECAST_* > config file > built-in)
 * and the rules read from files, directories (recursive, `--pattern`) and `-` (stdin), with the
 * config's schedule and index defaults applied where the rule file sets none.
 */
import { statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseConfig, type RulecastConfig } from "../config/config-file.js";
import { findConfigFile } from "../config/find-config.js";
import { configSizeLimit, resolveSettings, type SettingFlags, type Settings } from "../config/settings.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../ir/rule.js";
import { decodeRead, readTextInput } from "../input/read-text.js";
import { TAXONOMY_MAPPINGS } from "../mapping/mappings.js";
import type { ContextSetup } from "../pipeline/conversion-setup.js";
import type { RuleResult } from "../pipeline/convert.js";
import { collectInputFiles, readInputText, type InputFile } from "../pipeline/input-files.js";
import { convertInPool, type PoolSetup } from "../pipeline/parallel-convert.js";
import { readInputFile, readSource, withRuleDefaults, type FileReadSetup } from "../pipeline/read-input-file.js";
import { readRules, type SourceText } from "../pipeline/read-rules.js";
import { detectFormat, detectTextFormat } from "../sources/registry.js";
import { declaredMappings, declaredOptions, type TargetRegistry } from "../targets/target.js";
import { UsageError, type Io } from "./io.js";
import { detached } from "../ir/detached.js";

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
  const rules: Rule[] = [];
  const texts = new Map<string, string>();
  const r = streamRules(flags, io, registry, (batch) => rules.push(...batch), { onFile, onText: (path, text) => texts.set(path, text), whole: true });
  return { settings: r.settings, ...(r.configFile ? { configFile: r.configFile } : {}), rules, diagnostics: r.diagnostics, texts, relativePaths: r.relativePaths };
}

export interface StreamedRules extends LoadedConfig {
  /** Every problem reading the inputs, in the order a whole read lists them. */
  readonly diagnostics: Diagnostic[];
  /** The rule files read, as diagnostics name them. */
  readonly files: readonly string[];
  readonly relativePaths: ReadonlyMap<string, string>;
}

export interface StreamOptions {
  /** After each input file is read. */
  readonly onFile?: () => void;
  /** Each file's text, as read (callers that place findings on lines keep them). */
  readonly onText?: (path: string, text: string) => void;
  /** Read every file before the first rule is handed on. */
  readonly whole?: boolean;
  /** Told the input files' count and relative paths once they are found, before the first is read. */
  readonly onScan?: (files: number, relativePaths: ReadonlyMap<string, string>) => void;
  /** The settings, when the caller has read them already. */
  readonly loaded?: LoadedConfig;
}

/**
 * The rules of the inputs handed to `onRules` a file at a time, in the order `loadRules` lists
 * them, so a caller that converts and drops them holds one file's rules at a time. A Sigma
 * filter or correlation may name rules of any other file: when an input may hold one, every
 * file is read first, as a whole read does.
 */
export function streamRules(flags: LoadFlags, io: Io, registry: TargetRegistry, onRules: (rules: readonly Rule[]) => void, opts: StreamOptions = {}): StreamedRules {
  const run = startStream(flags, io, registry, opts);
  run.readFiles(onRules);
  run.readStdin(onRules);
  return run.finish();
}

/** How `streamConverted` may spread the files over worker threads (parallel-convert.ts). */
export interface StreamPool {
  /** Worker threads for this many input files; 1: none, the files are converted on this thread. */
  readonly threads: (files: number) => number;
  readonly context: ContextSetup;
  readonly targets: readonly string[];
}

/**
 * `streamRules` for a run that converts: each input file's rules converted by `convert` and the
 * results handed to `onResults`, in input order, from this thread or, when `pool` asks for more
 * than one thread, from worker threads that read and convert (results and diagnostics as this
 * thread would have made them). A set that must be read whole, and stdin, stay on this thread.
 */
export async function streamConverted(
  flags: LoadFlags,
  io: Io,
  registry: TargetRegistry,
  convert: (rule: Rule) => RuleResult,
  onResults: (results: readonly RuleResult[]) => void,
  opts: StreamOptions & { readonly pool?: StreamPool } = {},
): Promise<StreamedRules> {
  const run = startStream(flags, io, registry, opts);
  const onRules = (rules: readonly Rule[]) => onResults(rules.map(convert));
  const threads = opts.pool && !run.whole ? opts.pool.threads(run.found.length) : 1;
  if (opts.pool && threads > 1) {
    const setup: PoolSetup = { context: opts.pool.context, read: run.readSetup, targets: opts.pool.targets };
    await convertInPool(run.found, setup, threads, (at, f) => {
      if ("failure" in f) run.failed(at, f.failure);
      else run.took(f.path, f.diagnostics, () => onResults(f.results));
      opts.onFile?.();
    });
  } else run.readFiles(onRules);
  run.readStdin(onRules);
  return run.finish();
}

/** The inputs found and what reading them has given so far, in the order a whole read lists it. */
function startStream(flags: LoadFlags, io: Io, registry: TargetRegistry, opts: StreamOptions) {
  const loaded = opts.loaded ?? loadSettings(flags, io, registry);
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
  const found: InputFile[] = [];
  const relativePaths = new Map<string, string>();
  let stdin: SourceText | undefined;
  const inputBound = { bytes: settings.maxInputSize, setting: "--max-input-size" };
  // Read failures are listed first, in the order of the paths that named them (stdin's among them).
  const failures: { at: number; d: Diagnostic }[] = [];
  for (const p of settings.paths) {
    if (p === "-") {
      if (!io.readStdin) throw new UsageError("`-` (stdin) is not available here");
      relativePaths.set(STDIN_PATH, "stdin");
      const input = decodeRead(io.readStdin(settings.maxInputSize), STDIN_PATH, inputBound);
      if (input.ok) stdin = { path: STDIN_PATH, text: input.text };
      // Before the files found after `-`.
      else failures.push({ at: found.length - 0.5, d: input.diagnostic });
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
      found.push(f);
    }
  }
  opts.onScan?.(found.length, relativePaths);
  const readSetup: FileReadSetup = {
    maxInputSize: settings.maxInputSize,
    read: { placeholders: settings.placeholders, ...(flags.from ? { format: flags.from } : {}) },
    defaults: { schedule: settings.schedule, indexPatterns: settings.indexPatterns },
  };
  const readDiagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const whole = opts.whole || found.some((file) => mayNameOtherFiles(file, flags.from, settings.maxInputSize));
  const failed = (at: number, d: Diagnostic) => failures.push({ at, d });
  /** A file read: its diagnostics kept, its rules handed on. */
  const took = (path: string, diagnostics: readonly Diagnostic[], handOn: () => void) => {
    files.push(path);
    readDiagnostics.push(...diagnostics);
    handOn();
  };
  return {
    found,
    whole,
    readSetup,
    failed,
    took,
    /** Every input file read and its rules handed on, on this thread. */
    readFiles(onRules: (rules: readonly Rule[]) => void): void {
      if (whole) {
        const texts: SourceText[] = [];
        for (const [at, file] of found.entries()) {
          const t = readSource(file, settings.maxInputSize);
          if ("failure" in t) failed(at, t.failure);
          else {
            texts.push(t);
            files.push(t.path);
            opts.onText?.(t.path, t.text);
          }
          opts.onFile?.();
        }
        const read = readRules(texts, readSetup.read);
        readDiagnostics.push(...read.diagnostics);
        onRules(withRuleDefaults(read.rules, new Map(texts.map((t) => [t.path, t.text])), readSetup.defaults));
        return;
      }
      for (const [at, file] of found.entries()) {
        const r = readInputFile(file, readSetup);
        if ("failure" in r) failed(at, r.failure);
        else {
          opts.onText?.(r.source.path, r.source.text);
          took(r.source.path, detached(r.diagnostics), () => onRules(r.rules));
        }
        opts.onFile?.();
      }
    },
    readStdin(onRules: (rules: readonly Rule[]) => void): void {
      if (!stdin) return;
      // stdin has no file name to detect a format from: its text alone decides.
      const format = flags.from ?? detectTextFormat(stdin.text);
      const r = readRules([stdin], { placeholders: settings.placeholders, ...(format ? { format } : {}) });
      files.push(stdin.path);
      opts.onText?.(stdin.path, stdin.text);
      readDiagnostics.push(...r.diagnostics);
      onRules(withRuleDefaults(r.rules, new Map([[stdin.path, stdin.text]]), readSetup.defaults));
    },
    finish(): StreamedRules {
      const inPathOrder = [...failures].sort((a, b) => a.at - b.at).map((f) => f.d);
      return { ...loaded, diagnostics: [...inPathOrder, ...readDiagnostics], files, relativePaths };
    },
  };
}

/**
 * A Sigma filter or correlation (a top-level `filter:` or `correlation:`; any flow or explicit-key
 * document, to be safe) names rules of other files. Blanks before `{[?` are spaces and tabs: with
 * `\s*` every line start rescanned a run of blank lines (quadratic); the line after the run matches.
 */
const NAMES_OTHER_RULES = /^(?:["']?(?:filter|correlation)["']?\s*:|[ \t]*[{[?]|---[ \t]*[{[?!&])/m;

function mayNameOtherFiles(f: InputFile, from: string | undefined, maxBytes: number): boolean {
  const input = readInputText(f, maxBytes);
  if (!input.ok) return false;
  const format = from ?? detectFormat(f.path, input.text);
  return format === "sigma" && namesOtherRules(input.text);
}

/** Whether a Sigma file's text may name rules of other files (see NAMES_OTHER_RULES). */
export function namesOtherRules(sigmaText: string): boolean {
  return NAMES_OTHER_RULES.test(sigmaText);
}
