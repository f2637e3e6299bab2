/**
 * User text (rule ids, titles, file names, messages that quote a rule) printed on a terminal or
 * into a CI log. One problem is one line, so nothing a rule says may end the line, rewrite it
 * (CR, ESC sequences), reorder it (bidi controls), or turn it into a CI runner's workflow command
 * (`::error file=…::` at the start of a line, `##[error]` or `##vso[…]` anywhere in it).
 */

/**
 * C0 and C1 controls (tab, CR, LF and ESC included), DEL, line and paragraph separators, bidi
 * marks, embeddings, overrides and isolates, the BOM, and half of a surrogate pair.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** The text on one line, every unsafe character written as an escape (`\n`, `\u001b`). */
export function oneLine(s: string): string {
  const escaped = s.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  // GitHub's older syntax and Azure Pipelines take `##[command]` / `##vso[command]` anywhere in a line.
  return escaped.includes("##") ? escaped.replace(/##(?=\[|vso\[)/g, "#\\u0023") : escaped;
}

/** A line that cannot start a workflow command: runners trim leading blanks, then look for `::`. */
export function safeLineStart(line: string): string {
  const m = /^\s*::/.exec(line);
  return m ? `${line.slice(0, m[0].length - 2)}\\u003a${line.slice(m[0].length - 1)}` : line;
}

/** A file name at the start of a line: `./` before one that begins like a workflow command. */
export function shownPath(path: string): string {
  const one = oneLine(path);
  return /^\s*::/.test(one) ? `./${one}` : one;
}

/** Multi-line text for a log (a --check diff): each line made safe on its own, the line breaks kept. */
export function safeLines(text: string): string {
  return text
    .split("\n")
    .map((l) => safeLineStart(oneLine(l)))
    .join("\n");
}
