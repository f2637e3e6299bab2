/**
 * The settings every conversion has, whatever its targets. Targets declare their own beside their
 * code (TargetSpec.options), in the same shape.
 */
import { UNMAPPED_POLICIES } from "../diagnostics/mapping-diagnostics.js";
import { DEFAULT_MAX_CONFIG_SIZE, DEFAULT_MAX_INPUT_SIZE } from "../input/limits.js";
import type { OptionSpec, TypedOptions } from "./option-spec.js";

/** `{target}/{slug}`: what `npm start` has always written (out/sigma/<slug>.yml, …). */
export const DEFAULT_NAMING = "{target}/{slug}";

export const FAIL_ON = ["warning", "error"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const CORE_OPTIONS = [
  // No default here: every registered target, in registry order.
  { key: "targets", flag: "to", config: ["targets"], env: "RULECAST_TO", list: true, help: "targets, comma-separated; default: every target", commands: ["convert", "check"] },
  { key: "out", flag: "out", config: ["out"], env: "RULECAST_OUT", path: true, help: "output folder; stdout when absent", commands: ["convert"] },
  { key: "naming", flag: "naming", config: ["naming"], env: "RULECAST_NAMING", default: DEFAULT_NAMING, help: "per-rule file names: {target} {slug} {id} {path}", commands: ["convert"] },
  { key: "templates", flag: "templates", config: ["templates"], env: "RULECAST_TEMPLATES", path: true, help: "folder of templates that replace built-in ones, file by file", commands: ["convert", "check"] },
  {
    key: "unmapped",
    flag: "unmapped",
    config: ["unmapped"],
    env: "RULECAST_UNMAPPED",
    choices: UNMAPPED_POLICIES,
    default: "error",
    help: "a field with no mapping fails the rule, keeps its name with a warning or an info line, or leaves the rule out of that target",
    commands: ["convert", "check"],
  },
  {
    key: "enable",
    flag: "enable",
    config: ["enabled"],
    env: "RULECAST_ENABLE",
    boolean: true,
    choices: ["true", "false"],
    default: "false",
    help: "write rules that do not say `enabled` as enabled, where a target ships them disabled otherwise",
    commands: ["convert", "check"],
  },
  { key: "failOn", flag: "fail-on", config: ["fail_on"], env: "RULECAST_FAIL_ON", choices: FAIL_ON, default: "error", help: "lowest finding severity that exits 1", commands: ["convert", "check"] },
  {
    key: "maxInputSize",
    flag: "max-input-size",
    config: ["max_input_size"],
    env: "RULECAST_MAX_INPUT_SIZE",
    bytes: true,
    default: `${DEFAULT_MAX_INPUT_SIZE / 2 ** 20}MiB`,
    help: "largest rule file, stdin, import input or events file read, e.g. 64MiB",
    commands: ["convert", "check", "attack", "import", "test"],
  },
  {
    key: "jobs",
    flag: "jobs",
    config: ["jobs"],
    env: "RULECAST_JOBS",
    default: "auto",
    count: true,
    help: "threads that read and convert: a number (1: none besides the main one), or auto (worker threads for large rule sets only)",
    commands: ["convert"],
    check: (v: string) => (v === "auto" || /^[1-9][0-9]{0,2}$/.test(v) ? undefined : "must be auto or a number of threads from 1 to 999"),
  },
  // The config file's own bound: known before the file is read, so not a config key.
  { key: "maxConfigSize", flag: "max-config-size", env: "RULECAST_MAX_CONFIG_SIZE", bytes: true, default: `${DEFAULT_MAX_CONFIG_SIZE / 2 ** 20}MiB`, help: "largest config or template file read", commands: ["convert", "check", "attack", "list"] },
] as const satisfies readonly OptionSpec[];

export type CoreOptions = TypedOptions<typeof CORE_OPTIONS>;
