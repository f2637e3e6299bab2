/**
 * Names from settings that go into a search or a conf file, checked where settings are read: the
 * search text has no quoting for them (`index=<name>` is pasted as it is), and app.conf none.
 */

/**
 * Splunk index names (indexes.conf): lowercase letters, digits, `_` and `-`, not starting with `_`
 * or `-`. `*` is allowed as the search command's wildcard (`index=win*`, `index=*`); nothing else
 * can end the term, so nothing else can add a search command or term.
 */
export function splunkIndexProblem(name: string): string | undefined {
  if (/^[a-z0-9*][a-z0-9_*-]*$/.test(name)) return undefined;
  if (/^[A-Za-z0-9*][A-Za-z0-9_*-]*$/.test(name)) return `\`${name}\` is not a Splunk index name: index names are lowercase`;
  return `${JSON.stringify(name)} is not a Splunk index name (lowercase letters, digits, _ and -, not starting with _ or -; * as a wildcard)`;
}

/**
 * app.conf's `version` as its spec describes it: a number, then dots and numbers, then at most a
 * one-word lowercase pre-release suffix (`1.2.0`, `2.0beta`, `1.3beta2`).
 */
export function appVersionProblem(version: string): string | undefined {
  if (/^\d+(\.\d+)*([a-z][a-z0-9]*)?$/.test(version)) return undefined;
  return `${JSON.stringify(version)} is not a Splunk app version (numbers and dots, then at most a lowercase word: 1.2.0, 2.0beta)`;
}

/**
 * A rule's name on one line, as Splunk shows it: the saved search's title, label and risk message
 * cannot hold a line break, whatever the rule's title holds.
 */
export function oneLineName(name: string): string {
  // Each blank run is matched once: /\s*[\r\n]\s*/ retried at every blank of a run (quadratic).
  return name.replace(/\s+/g, (run) => (/[\r\n\u2028\u2029]/.test(run) ? " " : run)).trim();
}
