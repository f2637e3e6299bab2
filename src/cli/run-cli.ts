/**
 * Command definitions (yargs). Each command returns an exit code; errors that are the user's
 * (bad flags, missing paths, bad config) become one line and exit 2. Options that the config
 * file can also set have no yargs default: "not given" must stay distinguishable so that flags >
 * RULECAST_* > rulecast.config.yaml > built-in holds.
 */
import yargs, { type Argv } from "yargs";
import { runAttackLayer } from "./attack-command.js";
import { runCheck } from "./check-command.js";
import { runConvert } from "./convert-command.js";
import { runImport } from "./import-command.js";
import { runInit } from "./init-command.js";
import { describeFsError, OutputError } from "../pipeline/output-errors.js";
import { TemplateError } from "../render/templates.js";
import { oneLine } from "../diagnostics/display-text.js";
import { InputFileError } from "../input/read-text.js";
import { EXIT_USAGE, UsageError, type Io } from "./io.js";
import { LIST_WHAT, runList } from "./list-command.js";
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

const INPUT_FORMATS = ["native", "sigma", "elastic-toml", "elastic-json", "elastic-ndjson"] as const;

/** yargs drops a bare `-` argument, so it travels through parsing under this name. */
const STDIN_ARG = "\u0000-";

/** Options every command that reads rules shares. */
function ruleInputs<T>(y: Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, describe: "rule files or folders (recursive); `-` reads stdin; default: `rules:` from the config" })
    .option("pattern", { type: "string", describe: "only files whose path matches this regular expression" })
    .option("from", { choices: INPUT_FORMATS, describe: "force one input format (see `rulecast list formats`)" })
    .option("config", { type: "string", describe: "config file (default: rulecast.config.yaml here or above; env RULECAST_CONFIG)" })
    .option("max-input-size", { type: "string", describe: "largest rule file or stdin read, e.g. 64MiB (default 64MiB; env RULECAST_MAX_INPUT_SIZE; config max_input_size)" })
    .option("max-config-size", { type: "string", describe: "largest config or template file read (default 1MiB; env RULECAST_MAX_CONFIG_SIZE)" });
}

/** Options that shape conversion (convert and check use the same, so check sees what convert will do). */
function conversionOptions<T>(y: Argv<T>) {
  return y
    .option("to", { type: "string", array: true, describe: "targets, comma-separated (default sigma,splunk,elastic; env RULECAST_TO)" })
    .option("unmapped", { type: "string", describe: "error|warning|keep|skip: a field with no mapping fails the rule, keeps its name with a warning or an info line, or leaves the rule out of that target (env RULECAST_UNMAPPED)" })
    .option("elastic-language", { type: "string", describe: "eql|kuery|lucene: query language of Elastic rules made from Sigma (env RULECAST_ELASTIC_LANGUAGE)" })
    .option("templates", { type: "string", describe: "folder of templates that replace built-in ones, file by file (env RULECAST_TEMPLATES)" })
    .option("splunk-index", { type: "string", describe: "Splunk index to search, index=... (env RULECAST_SPLUNK_INDEX)" })
    .option("enable", { type: "boolean", describe: "write rules that do not say `enabled` as enabled; Splunk otherwise ships them disabled, as ESCU does (env RULECAST_ENABLE; config enabled)" })
    .option("splunk-alert", { type: "string", describe: "risk|notable|both: Splunk ES risk events (risk-based alerting), notable events, or both (default both; env RULECAST_SPLUNK_ALERT; config splunk.alert)" })
    .option("splunk-taxonomy", { type: "string", describe: "sigma|cim: Splunk searches raw events by add-on field names (default), or CIM data models with tstats where a data set holds the rule's events (env RULECAST_SPLUNK_TAXONOMY; config splunk.taxonomy)" })
    .option("splunk-app", { type: "string", describe: "Splunk app: stanza prefix, and with --out an app folder and .tgz (env RULECAST_SPLUNK_APP)" })
    .option("sigma-case", { type: "string", describe: "exact|insensitive: Sigma `|cased` kept where a value has letters, or dropped with a warning that the match widened (default insensitive: pySigma's Splunk and Lucene backends refuse `|cased`; env RULECAST_SIGMA_CASE)" })
    .option("sigma-profile", { type: "string", describe: "sharing|lossless: Sigma files SigmaHQ review and pySigma accept (no custom attributes; default), or with every Elastic field in an `elastic:` block for round trips (env RULECAST_SIGMA_PROFILE)" })
    .option("sigma-custom", { type: "string", array: true, describe: "custom attributes the sharing profile may still write, comma-separated (e.g. elastic; env RULECAST_SIGMA_CUSTOM)" })
    .option("fail-on", { type: "string", describe: "warning|error: lowest finding severity that exits 1 (default error; env RULECAST_FAIL_ON)" })
    .option("report", { type: "string", nargs: 2, describe: "FORMAT FILE: write findings as json, sarif or junit" });
}

type Parsed = Record<string, unknown>;

function loadFlags(a: Parsed): LoadFlags {
  const str = (k: string) => (typeof a[k] === "string" ? (a[k] as string) : undefined);
  const paths = (a["paths"] as string[] | undefined)?.map((p) => (p === STDIN_ARG ? "-" : p));
  const flags: Record<string, unknown> = {
    paths: paths ?? [],
    to: a["to"] as string[] | undefined,
    out: str("out"),
    naming: str("naming"),
    templates: str("templates"),
    unmapped: str("unmapped"),
    elasticLanguage: str("elastic-language"),
    sigmaCase: str("sigma-case"),
    sigmaProfile: str("sigma-profile"),
    sigmaCustom: a["sigma-custom"] as string[] | undefined,
    failOn: str("fail-on"),
    splunkApp: str("splunk-app"),
    splunkIndex: str("splunk-index"),
    splunkTaxonomy: str("splunk-taxonomy"),
    splunkAlert: str("splunk-alert"),
    enable: typeof a["enable"] === "boolean" ? a["enable"] : undefined,
    config: str("config"),
    maxInputSize: str("max-input-size"),
    maxConfigSize: str("max-config-size"),
    pattern: str("pattern"),
    from: str("from"),
  };
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as LoadFlags;
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const verbose = argv.includes("--verbose");
  const args = argv.map((x) => (x === "-" ? STDIN_ARG : x));
  const parser = yargs(args)
    .scriptName("rulecast")
    .strict()
    .help()
    .version("version", "show rulecast's version", packageVersion())
    .recommendCommands()
    .wrap(110)
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
      "convert rules to Sigma, Splunk and Elastic",
      (y) =>
        conversionOptions(ruleInputs(y))
          .option("out", { type: "string", describe: "output folder; stdout when absent (env RULECAST_OUT)" })
          .option("naming", { type: "string", describe: "per-rule file names: {target} {slug} {id} {path} (default {target}/{slug}; env RULECAST_NAMING)" })
          .option("skip-errors", { type: "boolean", default: false, describe: "write the rules that converted even when others failed" })
          .option("check", { type: "boolean", default: false, describe: "write nothing; exit 1 with a diff when --out is not what a fresh conversion writes" })
          .option("sigma-taxonomy", { choices: ["sigma", "ecs", "auto"] as const, describe: "field names of Sigma output for ECS rules" })
          .example("rulecast convert rules --to sigma,splunk,elastic --out out", "convert the bundled rules (what `npm start` runs)")
          .example("rulecast convert sigma/rules --to splunk --skip-errors --out out", "convert a Sigma repository, skipping rules that fail")
          .example("rulecast convert rules --out out --check", "CI: exit 1 with a diff when the committed out/ is stale")
          .example("rulecast convert rules --out out --naming '{target}/{path}'", "mirror the rules tree under each target folder")
          .example("rulecast convert rules --to splunk --splunk-app soc_detections --out out", "also write out/splunk-app/soc_detections/ and soc_detections.tgz")
          .example("cat rule.yaml | rulecast convert - --to elastic", "convert one rule from stdin to stdout"),
      (a) => {
        code = runConvert(
          {
            ...loadFlags(a),
            skipErrors: a["skip-errors"],
            check: a.check,
            verbose: a.verbose,
            ...(a["sigma-taxonomy"] ? { sigmaTaxonomy: a["sigma-taxonomy"] } : {}),
            ...withReport(a),
          },
          io,
        );
      },
    )
    .command(
      "check [paths..]",
      "check rules without writing: schema, query syntax, mapping coverage, ATT&CK, schedule, duplicates",
      (y) =>
        conversionOptions(ruleInputs(y))
          .example("rulecast check rules", "every check; exit 1 on errors")
          .example("rulecast check rules --fail-on warning --report sarif rulecast.sarif", "CI: annotate rule files in GitHub code scanning")
          .example("rulecast check rules --to splunk --report junit rulecast.xml", "mapping coverage for Splunk only, as JUnit test results"),
      (a) => {
        code = runCheck({ ...loadFlags(a), verbose: a.verbose, ...withReport(a) }, io);
      },
    )
    .command(
      "import <paths..>",
      "import Elastic rules (detection-rules TOML, Kibana ndjson, rule JSON) and Sigma rules as rulecast rule files",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, demandOption: true, describe: "Elastic or Sigma rule files, or folders" })
          .option("out", { type: "string", demandOption: true, describe: "folder for the rule files (input subfolders are kept)" })
          .option("skip-errors", { type: "boolean", default: false, describe: "write the rules that imported even when others failed" })
          .option("include-deprecated", { type: "boolean", default: false, describe: "also import rules under _deprecated/ folders (skipped by default)" })
          .option("max-input-size", { type: "string", describe: "largest input file read, e.g. 64MiB (default 64MiB; env RULECAST_MAX_INPUT_SIZE)" })
          .example("rulecast import detection-rules/rules --out rules", "one rule file per Elastic rule")
          .example("rulecast import export.ndjson --out rules --skip-errors", "a Kibana export, skipping rules the format cannot hold")
          .example("rulecast import sigma/rules/windows --out rules --skip-errors", "Sigma rules as ECS rule files with EQL queries"),
      (a) => {
        code = runImport({ paths: a.paths as string[], out: a.out, skipErrors: a["skip-errors"], verbose: a.verbose, includeDeprecated: a["include-deprecated"], ...maxInput(a) }, io);
      },
    )
    .command(
      "test <paths..>",
      "run the sample events rules carry, or one event file, and report per rule",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, demandOption: true, describe: "rule files or directories" })
          .option("events", { type: "string", describe: "events file: a JSON array, JSON lines or concatenated JSON objects" })
          .option("expect", { choices: ["match", "no-match"] as const, describe: "with --events: at least one event matches / none does" })
          .option("report", { type: "string", describe: "write the verdicts as JSON to this file" })
          .option("per-event", { type: "boolean", default: false, describe: "print the verdict of every event" })
          .option("max-input-size", { type: "string", describe: "largest rule or events file read, e.g. 64MiB (default 64MiB; env RULECAST_MAX_INPUT_SIZE)" })
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
          },
          io,
        );
      },
    )
    .command(
      "list <what>",
      "list valid targets, formats, mappings, one mapping's fields, or Splunk data sources",
      (y) =>
        y
          .positional("what", { type: "string", demandOption: true, describe: LIST_WHAT.join("|") })
          .option("mapping", { type: "string", describe: "with `fields`: the mapping to list (see `rulecast list mappings`)" })
          .option("config", { type: "string", describe: "config file whose mapping overrides `list fields` includes" })
          .option("max-config-size", { type: "string", describe: "largest config file read (default 1MiB; env RULECAST_MAX_CONFIG_SIZE)" })
          .example("rulecast list targets", "the names --to accepts")
          .example("rulecast list data-sources", "what selects each log source's events in Splunk: raw conditions, and the CIM data set")
          .example("rulecast list formats", "input formats (--from) and report formats (--report)")
          .example("rulecast list fields --mapping sigma-splunk", "field renames Splunk output uses, config overrides included"),
      (a) => {
        code = runList({ ...loadFlags(a), what: a.what as string, ...(a.mapping ? { mapping: a.mapping } : {}) }, io);
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
            ruleInputs(z)
              .option("out", { type: "string", describe: "layer file; stdout when absent" })
              .option("name", { type: "string", default: "rulecast coverage", describe: "layer name shown in Navigator" })
              .example("rulecast attack layer rules --out coverage.json", "open coverage.json in ATT&CK Navigator"),
          (a) => {
            code = runAttackLayer({ ...loadFlags({ ...a, out: undefined }), ...(a.out ? { layerOut: a.out } : {}), name: a.name, verbose: a.verbose }, io);
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
