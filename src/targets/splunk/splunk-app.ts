/**
 * `--splunk-app NAME`: a complete Splunk app folder (default/app.conf, default/savedsearches.conf,
 * metadata/default.meta) and the same files as `NAME.tgz`, ready for `splunk install app` or
 * Splunk Cloud's app upload. Layout lives in templates/splunk-app/.
 */
import { readConf } from "../../render/conf-reader.js";
import { TemplateError, type Templates } from "../../render/templates.js";

export interface SplunkAppFile {
  /** Relative to the app's parent folder: `NAME/default/app.conf`. */
  readonly path: string;
  readonly content: string;
}

/**
 * Names an app cannot take: Windows device names (the app folder could not be created on a
 * Windows search head) and the apps Splunk itself ships, which an install would overwrite.
 */
const RESERVED_APP_NAMES = new Set(
  [
    "con", "prn", "aux", "nul",
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`]),
    "splunk", "search", "launcher", "framework", "learned", "legacy", "sample_app", "appsbrowser",
    "splunkforwarder", "splunklightforwarder", "introspection_generator_addon", "splunk_httpinput",
    "splunk_instrumentation", "splunk_monitoring_console", "splunk_archiver", "splunk_secure_gateway",
    "alert_logevent", "alert_webhook", "splunk_internal_metrics", "splunk_metrics_workspace",
  ],
);

/** Why `name` cannot be a Splunk app id, or undefined when it can. */
export function appNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return "letters, digits, _ - ., not starting with a digit or dot";
  if (name.length > 80) return "at most 80 characters";
  if (/[.]$/.test(name)) return "not ending with a dot";
  const base = name.toLowerCase().split(".")[0]!;
  if (RESERVED_APP_NAMES.has(name.toLowerCase()) || /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/.test(base)) return "a name Windows or Splunk reserves";
  return undefined;
}

/** AppInspect wants a [ui] label of 5 to 80 characters; a short id gets a suffix. */
export function appLabel(name: string): string {
  return name.length >= 5 ? name : `${name} detections`;
}

export function splunkAppFiles(name: string, version: string, savedsearches: string, macros: string, templates: Templates): SplunkAppFile[] {
  const app = { id: name, label: appLabel(name), version, description: `Detection rules converted by rulecast (${name})` };
  const appConf = templates.render("splunk-app/app.conf.hbs", app);
  checkReadBack(templates.source("splunk-app/app.conf.hbs"), appConf, { package: { id: app.id }, id: { name: app.id, version }, launcher: { version, description: app.description }, ui: { label: app.label } });
  const meta = templates.render("splunk-app/default.meta.hbs", { id: name });
  checkReadBack(templates.source("splunk-app/default.meta.hbs"), meta, {});
  return [
    { path: `${name}/default/app.conf`, content: appConf },
    { path: `${name}/default/macros.conf`, content: macros },
    { path: `${name}/default/savedsearches.conf`, content: savedsearches },
    { path: `${name}/metadata/default.meta`, content: meta },
  ];
}

/** The file reads back without problems and with the intended values (a user's template included). */
function checkReadBack(template: string, text: string, intended: Readonly<Record<string, Readonly<Record<string, string>>>>): void {
  const read = readConf(text);
  const problem = read.problems[0];
  if (problem) throw new TemplateError(template, undefined, `line ${problem.line} of the output does not read back as a .conf file: ${problem.message}`);
  for (const [stanza, keys] of Object.entries(intended)) {
    for (const [key, value] of Object.entries(keys)) {
      const got = read.stanzas.find((s) => s.name === stanza)?.keys.get(key);
      if (got !== value) throw new TemplateError(template, undefined, `[${stanza}] ${key} reads back as ${JSON.stringify(got)}, not ${JSON.stringify(value)}`);
    }
  }
}
