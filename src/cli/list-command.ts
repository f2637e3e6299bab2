/**
 * `rulecast list targets|formats|mappings|fields|data-sources`: the valid values other commands name in their
 * errors. `list fields --mapping NAME` prints one mapping's field rows, the config's overrides
 * included, so a user sees what a conversion will use.
 */
import { oneLine, safeLineStart } from "../diagnostics/display-text.js";
import { findCimRoute } from "../mapping/cim-mapping.js";
import { loadMappings } from "../mapping/mappings.js";
import { TARGET_NAMES } from "../pipeline/convert.js";
import { REPORT_FORMATS } from "../reports/render-report.js";
import type { TargetName } from "../targets/target.js";
import { EXIT_OK, UsageError, type Io } from "./io.js";
import { loadSettings, type LoadFlags } from "./load-inputs.js";

export const LIST_WHAT = ["targets", "formats", "mappings", "fields", "data-sources"] as const;

const TARGET_TEXT: Readonly<Record<TargetName, string>> = {
  sigma: "Sigma rules and correlation rules (<slug>.yml)",
  splunk: "SPL (<slug>.spl) and one savedsearches.conf; --splunk-app packages an app",
  elastic: "Kibana detection rules (<slug>.json) and a rules.ndjson import bundle",
};

export const INPUT_FORMATS: readonly (readonly [string, string])[] = [
  ["native", "rulecast rule files (YAML, schema/rule.schema.json)"],
  ["sigma", "Sigma rules and correlation rules (YAML)"],
  ["elastic-toml", "elastic/detection-rules TOML"],
  ["elastic-json", "one Kibana rule as JSON"],
  ["elastic-ndjson", "a Kibana rule export (one rule per line)"],
];

export const MAPPING_TEXT: Readonly<Record<string, string>> = {
  "ecs-sigma": "ECS field names → Sigma taxonomy (rule files to Sigma and Splunk); mappings/ecs-sigma.yaml",
  "sigma-ecs": "Sigma taxonomy → ECS (Sigma rules to Elastic); mappings/sigma-ecs.yaml",
  "sigma-splunk": "Sigma taxonomy → Splunk add-on field names and sources; mappings/sigma-splunk.yaml",
};

export function runList(args: LoadFlags & { readonly what: string; readonly mapping?: string }, io: Io): number {
  const table = (rows: readonly (readonly [string, string])[]) => {
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [a, b] of rows) io.out(`${a.padEnd(w)}  ${b}\n`);
  };
  switch (args.what) {
    case "targets":
      table(TARGET_NAMES.map((t) => [t, TARGET_TEXT[t]] as const));
      return EXIT_OK;
    case "formats":
      io.out("input formats (--from):\n");
      table(INPUT_FORMATS.map(([a, b]) => [`  ${a}`, b] as const));
      io.out("report formats (--report FORMAT FILE):\n");
      table(REPORT_FORMATS.map((f) => [`  ${f}`, { json: "findings as JSON", sarif: "SARIF 2.1.0 (GitHub code scanning)", junit: "JUnit XML (CI test results)" }[f]] as const));
      return EXIT_OK;
    case "mappings":
      table(Object.entries(MAPPING_TEXT));
      return EXIT_OK;
    case "fields":
      return listFields(args, io);
    case "data-sources":
      return listDataSources(io);
    default:
      throw new UsageError(`unknown list \`${args.what}\` (valid: ${LIST_WHAT.join(", ")})`);
  }
}

/**
 * Per Sigma log source: the Splunk conditions that select its raw events (mappings/sigma-splunk.yaml)
 * and, for `--splunk-taxonomy cim`, the CIM data set that holds them (mappings/sigma-cim.yaml).
 */
function listDataSources(io: Io): number {
  const m = loadMappings();
  const say = (ls: object) => Object.entries(ls).map(([k, v]) => `${k}=${v}`).join(",");
  const rows: (readonly [string, string, string])[] = m.sigmaToSplunk.logsources.map((l) => {
    const search = Object.entries(l.conditions).map(([f, v]) => (Array.isArray(v) ? `${f} IN (${v.map((x) => JSON.stringify(x)).join(", ")})` : `${f}=${JSON.stringify(v)}`)).join(" ");
    const cim = findCimRoute(m.cim.sigma, l.logsource);
    return [say(l.logsource), search, cim ? `${cim.route.dataset.key}${Object.keys(cim.row.conditions).length ? ` (${say(cim.row.conditions)})` : ""}` : "-"] as const;
  });
  for (const route of m.cim.sigma) {
    for (const row of route.logsources) {
      if (!m.sigmaToSplunk.logsources.some((l) => say(l.logsource) === say(row.logsource))) rows.push([say(row.logsource), "-", route.dataset.key]);
    }
  }
  const w0 = Math.max(...rows.map((r) => r[0].length), "log source".length);
  const w1 = Math.max(...rows.map((r) => r[1].length), "raw events (--splunk-taxonomy sigma)".length);
  io.out(`${"log source".padEnd(w0)}  ${"raw events (--splunk-taxonomy sigma)".padEnd(w1)}  CIM data set (--splunk-taxonomy cim)\n`);
  for (const [a, b, c] of rows) io.out(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
  return EXIT_OK;
}

function listFields(args: LoadFlags & { readonly mapping?: string }, io: Io): number {
  if (!args.mapping || !(args.mapping in MAPPING_TEXT)) {
    throw new UsageError(`${args.mapping ? `unknown mapping \`${args.mapping}\`` : "name a mapping: --mapping NAME"}; run \`rulecast list mappings\` (valid: ${Object.keys(MAPPING_TEXT).join(", ")})`);
  }
  const m = loadMappings(loadSettings(args, io).settings.mappings);
  const rows: string[] = [];
  switch (args.mapping) {
    case "ecs-sigma":
      m.ecsToSigma.fields.forEach((r) => rows.push(`${r.from}\t${r.to}${r.value !== "same" ? `\t(value: ${r.value})` : ""}`));
      break;
    case "sigma-ecs":
      for (const f of m.sigmaToEcs.fields) {
        const when = Object.entries(f.when).map(([k, v]) => `${k}=${v}`).join(",");
        rows.push(`${f.sigma}\t${f.ecs}${f.transform ? `\t(value: ${f.transform})` : ""}${when ? `\t[${when}]` : ""}`);
      }
      for (const fb of m.sigmaToEcs.fallbacks) {
        const when = Object.entries(fb.when).map(([k, v]) => `${k}=${v}`).join(",");
        rows.push(`*\t${fb.prefix}*${when ? `\t[${when}]` : ""}`);
      }
      break;
    case "sigma-splunk":
      m.sigmaToSplunk.fields.fields.forEach((r) => rows.push(`${r.from}\t${r.to}`));
      rows.push("*\t* (other names pass through: the Splunk add-ons extract Sigma's names)");
      break;
  }
  // Rows of config overrides are the config author's text: one line each, no CI command.
  for (const r of rows) io.out(safeLineStart(r.split("\t").map(oneLine).join("\t")) + "\n");
  return EXIT_OK;
}
