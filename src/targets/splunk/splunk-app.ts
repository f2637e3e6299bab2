/**
 * `--splunk-app NAME`: a complete Splunk app folder (default/app.conf, default/savedsearches.conf,
 * metadata/default.meta) and the same files as `NAME.tgz`, ready for `splunk install app` or
 * Splunk Cloud's app upload. Layout lives in templates/splunk-app/.
 */
import type { Templates } from "../../render/templates.js";

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
  return [
    {
      path: `${name}/default/app.conf`,
      content: templates.render("splunk-app/app.conf.hbs", { id: name, label: name, version, description: `Detection rules converted by rulecast (${name})` }),
    },
    { path: `${name}/default/savedsearches.conf`, content: savedsearches },
    { path: `${name}/metadata/default.meta`, content: templates.render("splunk-app/default.meta.hbs", { id: name }) },
  ];
}
