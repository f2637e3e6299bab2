/**
 * `rulecast list targets|formats|mappings|fields|options` and each target's own lists: the valid values other commands name in
 * their errors, all read from the declarations (the target registry, the source registry, the
 * declared settings). `list fields --mapping NAME` prints one mapping's field rows, the config's
 * overrides included, so a user sees what a conversion will use.
 */
import { oneLine, safeLineStart } from "../diagnostics/display-text.js";
import { loadMappings, TAXONOMY_MAPPINGS, type MappingSpec } from "../mapping/mappings.js";
import { optionLabel, type OptionSpec } from "../options/option-spec.js";
import { REPORT_FORMATS } from "../reports/render-report.js";
import { SOURCES } from "../sources/registry.js";
import { declaredMappings, declaredOptions, type TargetRegistry, type TargetSpec } from "../targets/target.js";
import { EXIT_OK, UsageError, type Io } from "./io.js";
import { loadSettings, type LoadFlags } from "./load-inputs.js";

export const LIST_WHAT = ["targets", "formats", "mappings", "fields", "options"] as const;

/** What `list` takes: the built-in lists, then each target's own (`data-sources`). */
export function listWhat(registry: TargetRegistry): readonly string[] {
  return [...LIST_WHAT, ...registry.targets.flatMap((t) => (t.lists ?? []).map((l) => l.name))];
}

const REPORT_TEXT: Readonly<Record<(typeof REPORT_FORMATS)[number], string>> = {
  json: "findings as JSON",
  sarif: "SARIF 2.1.0 (GitHub code scanning)",
  junit: "JUnit XML (CI test results)",
};

export function runList(args: LoadFlags & { readonly what: string; readonly mapping?: string }, io: Io, registry: TargetRegistry): number {
  const table = (rows: readonly (readonly [string, string])[]) => {
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [a, b] of rows) io.out(`${a.padEnd(w)}  ${b}\n`);
  };
  switch (args.what) {
    case "targets":
      table(registry.targets.map((t) => [t.name, t.summary] as const));
      return EXIT_OK;
    case "formats":
      io.out("input formats (--from):\n");
      table(SOURCES.map((s) => [`  ${s.format}`, s.summary] as const));
      io.out("report formats (--report FORMAT FILE):\n");
      table(REPORT_FORMATS.map((f) => [`  ${f}`, REPORT_TEXT[f]] as const));
      return EXIT_OK;
    case "mappings":
      table(mappingTexts(registry));
      return EXIT_OK;
    case "fields":
      return listFields(args, io, registry);
    case "options":
      table(declaredOptions(registry).map((o) => [optionLabel(o), optionText(o)] as const));
      return EXIT_OK;
    default: {
      const own = registry.targets.flatMap((t) => t.lists ?? []).find((l) => l.name === args.what);
      if (!own) throw new UsageError(`unknown list \`${args.what}\` (valid: ${listWhat(registry).join(", ")})`);
      const declared = declaredMappings(registry);
      const { settings } = loadSettings(args, io, registry);
      own.print(loadMappings(settings.mappings, declared), (text) => io.out(text), settings.options);
      return EXIT_OK;
    }
  }
}

/** Where a setting can be set, what it takes, and what it does. */
function optionText(o: OptionSpec): string {
  const where = [o.config ? `config ${o.config.join(".")}` : undefined, o.env].filter((x) => x !== undefined).join(", ");
  const values = o.choices ? `${o.choices.join("|")}; ` : "";
  return `${values}${o.help}${o.default !== undefined ? ` (default ${o.default})` : ""}${where ? ` [${where}]` : ""}`;
}

/** `Sigma and Splunk`. */
function titles(targets: readonly TargetSpec[]): string {
  const t = targets.map((x) => x.title);
  return t.length <= 1 ? (t[0] ?? "none") : `${t.slice(0, -1).join(", ")} and ${t[t.length - 1]}`;
}

/** Each mapping's name and what it is for: the taxonomy mappings, then each target's own. */
function mappingTexts(registry: TargetRegistry): (readonly [string, string])[] {
  const to = (taxonomy: string) => registry.targets.filter((t) => t.taxonomy === taxonomy);
  const taxonomy: Record<(typeof TAXONOMY_MAPPINGS)[number], string> = {
    "ecs-sigma": `ECS field names → Sigma taxonomy (rule files to ${titles(to("sigma"))}); mappings/ecs-sigma.yaml`,
    "sigma-ecs": `Sigma taxonomy → ECS (Sigma rules to ${titles(to("ecs"))}); mappings/sigma-ecs.yaml`,
  };
  return [...TAXONOMY_MAPPINGS.map((m) => [m, taxonomy[m]] as const), ...declaredMappings(registry).map((m) => [m.name, `${m.summary}; mappings/${m.file}`] as const)];
}

function listFields(args: LoadFlags & { readonly mapping?: string }, io: Io, registry: TargetRegistry): number {
  const names = mappingTexts(registry).map(([n]) => n);
  if (!args.mapping || !names.includes(args.mapping)) {
    throw new UsageError(`${args.mapping ? `unknown mapping \`${args.mapping}\`` : "name a mapping: --mapping NAME"}; run \`rulecast list mappings\` (valid: ${names.join(", ")})`);
  }
  const declared: readonly MappingSpec[] = declaredMappings(registry);
  const m = loadMappings(loadSettings(args, io, registry).settings.mappings, declared);
  const rows: string[] = [];
  switch (args.mapping) {
    case "ecs-sigma":
      m.ecsToSigma.fields.forEach((r) => rows.push(`${r.from}\t${r.to}${r.value !== "same" ? `\t(value: ${r.value})` : ""}`));
      break;
    case "sigma-ecs":
      for (const f of m.sigmaToEcs.fields) {
        const when = Object.entries(f.when).map(([k, v]) => `${k}=${v}`).join(",");
        // An unnamed insertion string has two names (one per Winlogbeat reader): both are listed.
        rows.push(`${f.sigma}\t${f.ecs}${f.also ? ` | ${f.also}` : ""}${f.transform ? `\t(value: ${f.transform})` : ""}${when ? `\t[${when}]` : ""}`);
      }
      for (const fb of m.sigmaToEcs.fallbacks) {
        const when = Object.entries(fb.when).map(([k, v]) => `${k}=${v}`).join(",");
        rows.push(`*\t${fb.prefix}*${when ? `\t[${when}]` : ""}`);
      }
      break;
    default: {
      const spec = declared.find((d) => d.name === args.mapping)!;
      const table = m.target(spec.name);
      table.fields.fields.forEach((r) => rows.push(`${r.from}\t${r.to}`));
      if (table.identity && spec.passThrough) rows.push(`*\t* (${spec.passThrough})`);
    }
  }
  // Rows of config overrides are the config author's text: one line each, no CI command.
  for (const r of rows) io.out(safeLineStart(r.split("\t").map(oneLine).join("\t")) + "\n");
  return EXIT_OK;
}
