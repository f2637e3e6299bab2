/**
 * Command definitions (yargs). Each command returns an exit code; errors that are the user's
 * (bad flags, missing paths, bad config) become one line and exit 2.
 */
import yargs from "yargs";
import { runConvert } from "./convert-command.js";
import { runTest } from "./test-command.js";
import { EXIT_USAGE, UsageError, type Io } from "./io.js";

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const verbose = argv.includes("--verbose");
  const parser = yargs([...argv])
    .scriptName("rulecast")
    .strict()
    .help()
    .version(false)
    .wrap(100)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err instanceof UsageError || !err ? new UsageError(msg || err?.message || "bad usage") : err;
    })
    .option("verbose", { type: "boolean", default: false, describe: "show info diagnostics and stack traces" })
    .command(
      "convert <paths..>",
      "convert rules to Sigma, Splunk and Elastic",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, demandOption: true, describe: "rule files or directories" })
          .option("to", { type: "string", array: true, default: ["sigma,splunk,elastic"], describe: "targets, comma-separated" })
          .option("out", { type: "string", describe: "output folder (one subfolder per target); stdout when absent" })
          .option("skip-errors", { type: "boolean", default: false, describe: "write the rules that converted even when others failed" })
          .option("check", { type: "boolean", default: false, describe: "exit 1 and show a diff when --out is not what a fresh conversion writes" })
          .option("unmapped", { choices: ["error", "warning"] as const, default: "error" as const, describe: "a field with no mapping fails the rule, or only warns" })
          .option("elastic-language", { choices: ["eql", "kuery"] as const, default: "eql" as const, describe: "query language of Elastic rules converted from Sigma" })
          .option("from", { choices: ["native", "sigma", "elastic-toml", "elastic-json", "elastic-ndjson"] as const, describe: "force one input format" })
          .option("templates", { type: "string", describe: "folder of templates that replace built-in ones" })
          .option("pattern", { type: "string", describe: "only files whose path matches this regular expression" })
          .option("splunk-index", { type: "string", describe: "Splunk index to search (index=...)" })
          .option("splunk-app", { type: "string", describe: "Splunk app name (stanza prefix)" })
          .example("rulecast convert rules --to sigma,splunk,elastic --out out", "convert the bundled rules")
          .example("rulecast convert sigma/rules --to splunk --skip-errors --out out", "convert a Sigma repository, skipping rules that fail"),
      (a) => {
        code = runConvert(
          {
            paths: a.paths as string[],
            to: a.to as string[],
            ...(a.out ? { out: a.out } : {}),
            skipErrors: a["skip-errors"],
            check: a.check,
            verbose: a.verbose,
            unmapped: a.unmapped,
            elasticLanguage: a["elastic-language"],
            ...(a.from ? { from: a.from } : {}),
            ...(a.templates ? { templates: a.templates } : {}),
            ...(a.pattern ? { pattern: a.pattern } : {}),
            ...(a["splunk-index"] ? { splunkIndex: a["splunk-index"] } : {}),
            ...(a["splunk-app"] ? { splunkApp: a["splunk-app"] } : {}),
          },
          io,
        );
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
          },
          io,
        );
      },
    )
    .demandCommand(1, "name a command: convert, test (see --help)");
  try {
    const parsed = await parser.parseAsync();
    if ((parsed as { help?: boolean }).help) {
      io.out(await parser.getHelp());
      return 0;
    }
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`rulecast: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.err(`rulecast: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (verbose && e instanceof Error && e.stack) io.err(e.stack + "\n");
    return EXIT_USAGE;
  }
}
