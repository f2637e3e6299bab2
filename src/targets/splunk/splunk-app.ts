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

/** Splunk app ids: letters, digits, `_`, `-`, `.`, not starting with a digit or dot (Splunk's packaging rule). */
export function isValidAppName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && name.length <= 80;
}

export function splunkAppFiles(name: string, version: string, savedsearches: string, templates: Templates): SplunkAppFile[] {
  const app = { id: name, label: name, version, description: `Detection rules converted by rulecast (${name})` };
  const appConf = templates.render("splunk-app/app.conf.hbs", app);
  checkReadBack(templates.source("splunk-app/app.conf.hbs"), appConf, { package: { id: app.id }, launcher: { version, description: app.description }, ui: { label: app.label } });
  const meta = templates.render("splunk-app/default.meta.hbs", { id: name });
  checkReadBack(templates.source("splunk-app/default.meta.hbs"), meta, {});
  return [
    { path: `${name}/default/app.conf`, content: appConf },
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
