/**
 * Command definitions (yargs). Each command returns an exit code; errors that are the user's
 * (bad flags, missing paths, bad config) become one line and exit 2. The flags of settings come
 * from their declarations (core and each target's), with no yargs default: "not given" must stay
 * distinguishable so that flags > RULECAST_* > rulecast.config.yaml > built-in holds.
 */
import yargs, { type Argv } from "yargs";
import type { OptionCommand, OptionSpec, OptionValue } from "../options/option-spec.js";
import { SOURCES } from "../sources/registry.js";
import { BUILTIN_TARGETS } from "../targets/registry.js";
import { declaredMappings, declaredOptions, type TargetRegistry } from "../targets/target.js";
import { runAttackLayer } from "./attack-command.js";
import { runCheck } from "./check-command.js";
import { runConvert } from "./convert-command.js";
import { importCommand, IMPORT_DESCRIPTION, runImport } from "./import-command.js";
import { runInit } from "./init-command.js";
import { describeFsError, OutputError } from "../pipeline/output-errors.js";
import { TemplateError } from "../render/templates.js";
import { oneLine } from "../diagnostics/display-text.js";
import { InputFileError } from "../input/read-text.js";
import { EXIT_USAGE, UsageError, type Io } from "./io.js";
import { listWhat, runList } from "./list-command.js";
import type { LoadFlags } from "./load-inputs.js";
import { parseReportFlag } from "./report-file.js";
import { runTest } from "./test-command.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

const COMMANDS = ["convert", "check", "import", "test", "list", "init", "attack"] as const;

/** The installed package's version (package.json), for --version. */
function packageVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown }).version;
    return typeof v === "string" ? v : "unknown";
  } catch {
    return "unknown";
  }
}

/** yargs drops a bare `-` argument, so it travels through parsing under this name. */
const STDIN_ARG = "\u0000-";

/** Options every command that reads rules shares. */
function ruleInputs<T>(y: Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, describe: "rule files or folders (recursive); `-` reads stdin; default: `rules:` from the config" })
    .option("pattern", { type: "string", describe: "only files whose path matches this regular expression" })
    .option("from", { choices: SOURCES.map((s) => s.format), describe: "force one input format (see `rulecast list formats`)" })
    .option("config", { type: "string", describe: "config file (default: rulecast.config.yaml here or above; env RULECAST_CONFIG)" });
}

/** A declared setting's help: its values, what it does, its default and variable. */
function describe(o: OptionSpec): string {
  const notes = [o.default !== undefined ? `default ${o.default}` : undefined, o.env ? `env ${o.env}` : undefined].filter((x) => x !== undefined);
  return `${o.choices ? `${o.choices.join("|")}: ` : ""}${o.help}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

/** The flags of every declared setting a command takes (convert and check take the same, so check sees what convert will do). */
function settingFlags<T>(y: Argv<T>, command: OptionCommand, registry: TargetRegistry): Argv<T> {
  let out = y;
  for (const o of declaredOptions(registry)) {
    if (o.flag && o.commands.includes(command)) out = out.option(o.flag, { type: o.boolean ? "boolean" : "string", ...(o.list ? { array: true } : {}), describe: describe(o) });
  }
  return out;
}

type Parsed = Record<string, unknown>;

function loadFlags(a: Parsed, registry: TargetRegistry, command?: OptionCommand): LoadFlags {
  const str = (k: string) => (typeof a[k] === "string" ? (a[k] as string) : undefined);
  const paths = (a["paths"] as string[] | undefined)?.map((p) => (p === STDIN_ARG ? "-" : p));
  const values: Record<string, OptionValue> = {};
  for (const o of declaredOptions(registry)) {
    if (!o.flag || !command || !o.commands.includes(command)) continue;
    const v = a[o.flag];
    if (typeof v === "boolean") values[o.key] = String(v);
    else if (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"))) values[o.key] = v as OptionValue;
  }
  const config = str("config");
  const pattern = str("pattern");
  const from = str("from");
  return { paths: paths ?? [], values, ...(config ? { config } : {}), ...(pattern ? { pattern } : {}), ...(from ? { from } : {}) };
}

/** `Sigma, Splunk and Elastic`. */
function titles(registry: TargetRegistry): string {
  const t = registry.targets.map((x) => x.title);
  return t.length <= 1 ? (t[0] ?? "") : `${t.slice(0, -1).join(", ")} and ${t[t.length - 1]}`;
}

export async function runCli(argv: readonly string[], io: Io, registry: TargetRegistry = BUILTIN_TARGETS): Promise<number> {
  let code = 0;
  const verbose = argv.includes("--verbose");
  const args = argv.map((x) => (x === "-" ? STDIN_ARG : x));
  const names = registry.targets.map((t) => t.name);
  const parser = yargs(args)
    .scriptName("rulecast")
    .strict()
    .help()
    .version("version", "show rulecast's version", packageVersion())
    .recommendCommands()
    // yargs lays out every command's help before running it (cacheHelpMessage), wrapped: ~0.9 s of
    // CPU per run in a profile of `convert`. Only --help prints it; unwrapped layout costs little.
    .wrap(args.includes("--help") ? 110 : null)
    .exitProcess(false)
    .fail((msg, err) => {
      // The first word is the command: a typo gets a suggestion, not yargs' "Unknown argument".
      const typed = args[0] !== undefined && !args[0].startsWith("-") ? args[0].replace(/[\u0000-\u001f\u007f-\u009f]/g, "?") : undefined;
      if (!err && typed !== undefined && /^Did you mean /.test(msg ?? "")) throw new UsageError(`unknown command \`${typed}\`; did you mean ${msg.slice("Did you mean ".length)} (see --help)`);
      if (!err && typed !== undefined && msg === `Unknown argument: ${args[0]}`) throw new UsageError(`unknown command \`${typed}\` (commands: ${COMMANDS.join(", ")}; see --help)`);
      throw err instanceof UsageError || !err ? new UsageError(msg || err?.message || "bad usage") : err;
    })
    .option("verbose", { type: "boolean", default: false, describe: "show info diagnostics and stack traces" })
    .command(
      "convert [paths..]",
      `convert rules to ${titles(registry)}`,
      (y) => {
        let c = settingFlags(ruleInputs(y), "convert", registry)
          .option("report", { type: "string", nargs: 2, describe: "FORMAT FILE: write findings as json, sarif or junit" })
          .option("skip-errors", { type: "boolean", default: false, describe: "write the rules that converted even when others failed" })
          .option("check", { type: "boolean", default: false, describe: "write nothing; exit 1 with a diff when --out is not what a fresh conversion writes" })
          .example(`rulecast convert rules --to ${names.join(",")} --out out`, "convert the bundled rules (what `npm start` runs)")
          .example("rulecast convert rules --out out --check", "CI: exit 1 with a diff when the committed out/ is stale")
          .example("rulecast convert rules --out out --naming '{target}/{path}'", "mirror the rules tree under each target folder");
        for (const t of registry.targets) for (const [cmd, what] of t.examples ?? []) c = c.example(cmd, what);
        return c;
      },
      async (a) => {
        code = await runConvert({ ...loadFlags(a, registry, "convert"), skipErrors: a["skip-errors"], check: a.check, verbose: a.verbose, ...withReport(a) }, io, registry);
      },
    )
    .command(
      "check [paths..]",
      "check rules without writing: schema, query syntax, mapping coverage, ATT&CK, schedule, duplicates",
      (y) =>
        settingFlags(ruleInputs(y), "check", registry)
          .option("report", { type: "string", nargs: 2, describe: "FORMAT FILE: write findings as json, sarif or junit" })
          .example("rulecast check rules", "every check; exit 1 on errors")
          .example("rulecast check rules --fail-on warning --report sarif rulecast.sarif", "CI: annotate rule files in GitHub code scanning")
          .example(`rulecast check rules --to ${names[0] ?? ""} --report junit rulecast.xml`, "mapping coverage for one target, as JUnit test results"),
      (a) => {
        code = runCheck({ ...loadFlags(a, registry, "check"), verbose: a.verbose, ...withReport(a) }, io, registry);
      },
    )
    .command("import <paths..>", IMPORT_DESCRIPTION, (y) => settingFlags(importCommand(y), "import", registry), (a) => {
      code = runImport({ paths: a.paths as string[], out: a.out, skipErrors: a["skip-errors"], verbose: a.verbose, includeDeprecated: a["include-deprecated"], ...maxInput(a) }, io, registry);
    })
    .command(
      "test <paths..>",
      "run the sample events rules carry, or one event file, and report per rule",
      (y) =>
        settingFlags(y, "test", registry)
          .positional("paths", { type: "string", array: true, demandOption: true, describe: "rule files or directories" })
          .option("events", { type: "string", describe: "events file: a JSON array, JSON lines or concatenated JSON objects" })
          .option("expect", { choices: ["match", "no-match"] as const, describe: "with --events: at least one event matches / none does" })
          .option("report", { type: "string", describe: "write the verdicts as JSON to this file" })
          .option("per-event", { type: "boolean", default: false, describe: "print the verdict of every event" })
          .option("rule-timeout", { type: "number", describe: "seconds one rule's evaluation may take before it is stopped and fails (default 10)" })
          .example("rulecast test rules", "run the samples of every bundled rule")
          .example("rulecast test rule.yml --events events.json --expect match --per-event", "check one rule against recorded events"),
      (a) => {
        code = runTest(
          {
            paths: a.paths as string[],
            ...(a.events ? { events: a.events } : {}),
            ...(a.expect ? { expect: a.expect } : {}),
            ...(a.report ? { report: a.report } : {}),
            perEvent: a["per-event"],
            verbose: a.verbose,
            ...maxInput(a),
            ...(a["rule-timeout"] !== undefined ? { ruleTimeout: a["rule-timeout"] } : {}),
          },
          io,
        );
      },
    )
    .command(
      "list <what>",
      "list valid targets, formats, mappings, options, one mapping's fields, or a target's own lists",
      (y) => {
        let c = settingFlags(y, "list", registry)
          .positional("what", { type: "string", demandOption: true, describe: listWhat(registry).join("|") })
          .option("mapping", { type: "string", describe: "with `fields`: the mapping to list (see `rulecast list mappings`)" })
          .option("config", { type: "string", describe: "config file whose mapping overrides `list fields` includes" })
          .example("rulecast list targets", "the names --to accepts")
          .example("rulecast list formats", "input formats (--from) and report formats (--report)")
          .example("rulecast list options", "every setting: flag, config key, RULECAST_* variable, values")
          .example(`rulecast list fields --mapping ${declaredMappings(registry)[0]?.name ?? "ecs-sigma"}`, "field renames a target's output uses, config overrides included");
        for (const t of registry.targets) for (const l of t.lists ?? []) c = c.example(`rulecast list ${l.name}`, l.summary);
        return c;
      },
      (a) => {
        code = runList({ ...loadFlags(a, registry, "list"), what: a.what as string, ...(a.mapping ? { mapping: a.mapping } : {}) }, io, registry);
      },
    )
    .command(
      "init [dir]",
      "scaffold a rules repository: rulecast.config.yaml, an example rule, a CI workflow",
      (y) =>
        y
          .positional("dir", { type: "string", default: ".", describe: "folder to scaffold" })
          .option("force", { type: "boolean", default: false, describe: "overwrite files that exist" })
          .option("source", { type: "string", describe: "where CI installs rulecast from (npm install spec: git URL, tarball URL); writes package.json and a CI workflow" })
          .example("rulecast init && rulecast convert", "start a repository here and convert its example rule into out/")
          .example("rulecast init --source git+https://git.example.org/sec/rulecast.git", "also a package.json and a GitHub workflow that installs rulecast from there"),
      (a) => {
        code = runInit({ dir: a.dir, force: a.force, ...(a.source ? { source: a.source } : {}) }, io);
      },
    )
    .command("attack <command>", "ATT&CK coverage (bundled ATT&CK table, no download)", (y) =>
      y
        .command(
          "layer [paths..]",
          "write an ATT&CK Navigator layer of the rules' technique coverage",
          (z) =>
            settingFlags(ruleInputs(z), "attack", registry)
              .option("out", { type: "string", describe: "layer file; stdout when absent" })
              .option("name", { type: "string", default: "rulecast coverage", describe: "layer name shown in Navigator" })
              .example("rulecast attack layer rules --out coverage.json", "open coverage.json in ATT&CK Navigator"),
          (a) => {
            code = runAttackLayer({ ...loadFlags(a, registry, "attack"), ...(a.out ? { layerOut: a.out } : {}), name: a.name, verbose: a.verbose }, io, registry);
          },
        )
        .demandCommand(1, "name an attack command: layer"),
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(", ")} (see --help)`);
  try {
    // With a callback yargs hands over --help text instead of printing it: all output goes through io.
    let helpText = "";
    await parser.parseAsync(args, {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (helpText) io.out(helpText.endsWith("\n") ? helpText : helpText + "\n");
    return code;
  } catch (e) {
    if (e instanceof UsageError || e instanceof OutputError || e instanceof TemplateError || e instanceof InputFileError) {
      // An unwritable output folder or a full disk is the environment's problem, not a rule's; a
      // template that does not compile and an unreadable input are the configuration's: exit 2.
      io.err(`rulecast: ${oneLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    const fsProblem = describeFsError(e);
    if (fsProblem) {
      io.err(`rulecast: ${oneLine(fsProblem)}\n`);
      if (verbose && e instanceof Error && e.stack) io.err(e.stack + "\n");
      return EXIT_USAGE;
    }
    io.err(`rulecast: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    if (verbose && e instanceof Error && e.stack) io.err(e.stack + "\n");
    return EXIT_USAGE;
  }
}

function maxInput(a: Parsed): { maxInputSize?: string } {
  return typeof a["max-input-size"] === "string" ? { maxInputSize: a["max-input-size"] } : {};
}

function withReport(a: Parsed): { report?: ReturnType<typeof parseReportFlag> & object } {
  const r = parseReportFlag(a["report"] as string[] | undefined);
  return r ? { report: r } : {};
}
