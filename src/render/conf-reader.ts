/**
 * Splunk .conf files read the way Splunk reads them, after the model Splunk publishes in AppInspect
 * (`splunk_appinspect/configuration_parser.py`): lines end at LF (CRs before it are dropped); a line
 * ending in `\` (blanks after it are tolerated, and flagged) is joined with the next one, the
 * backslash becoming a newline, and this happens before anything else, so a comment line can
 * continue too; then each joined line is blank, a comment (`#` or `;` first), a `[stanza]`, or
 * `key = value` with both sides trimmed. Keys before any stanza belong to `default`.
 *
 * Used to check what rulecast writes (every stanza reads back as exactly the intended one) and by
 * tests as the oracle. Anything Splunk would read differently from how it looks, or flag, is a
 * problem here: repeated keys and stanzas, a continuation with blanks after the backslash or at the
 * end of the file, a line that is none of the above.
 */
import { trimEndWhere } from "./trim-end.js";

export interface ConfStanza {
  readonly name: string;
  /** The comment lines directly above the header (no blank line between), as in `comments`. */
  readonly comments: readonly string[];
  readonly keys: ReadonlyMap<string, string>;
  /** 1-based line of the `[name]` line (of the first key for `default` without a header). */
  readonly line: number;
}

export interface ConfRead {
  /** In file order; keys before the first header make a `default` stanza. */
  readonly stanzas: readonly ConfStanza[];
  /** Every comment line in file order (continuations joined), trimmed. */
  readonly comments: readonly string[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

/** Python's `str.strip()` set, which AppInspect uses: wider than JavaScript's `trim()`. */
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const IS_SPACE = new RegExp(`^[${SPACE}]$`);
const CONTINUED = new RegExp(`\\\\[${SPACE}]*$`);
const KEY_LINE = new RegExp(`^[${SPACE}]*[^${SPACE}]*[${SPACE}]*=`);
const COMMENT_LINE = new RegExp(`^[${SPACE}]*[#;]`);
const STANZA_LINE = new RegExp(`^[${SPACE}]*\\[`);

/** `s` without Python-whitespace at either end (a loop: a trimming regex retries every blank). */
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && IS_SPACE.test(s[a]!)) a++;
  while (b > a && IS_SPACE.test(s[b - 1]!)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function readConf(text: string): ConfRead {
  const stanzas: { name: string; comments: string[]; keys: Map<string, string>; line: number }[] = [];
  const comments: string[] = [];
  const problems: { line: number; message: string }[] = [];
  const names = new Set<string>();
  let current: (typeof stanzas)[number] | undefined;
  let block: string[] = [];
  for (const { item, line } of joinedLines(text, problems)) {
    if (trim(item) === "") {
      block = [];
      continue;
    }
    if (COMMENT_LINE.test(item)) {
      comments.push(trim(item));
      block.push(trim(item));
      continue;
    }
    const above = block;
    block = [];
    if (STANZA_LINE.test(item)) {
      const start = item.indexOf("[");
      const end = item.lastIndexOf("]");
      if (end < start) {
        problems.push({ line, message: "a `[` line without `]`" });
        continue;
      }
      if (trim(item.slice(end + 1)) !== "") problems.push({ line, message: "text after a stanza's `]`" });
      const name = item.slice(start + 1, end);
      if (names.has(name)) problems.push({ line, message: `stanza [${name}] appears twice` });
      names.add(name);
      current = { name, comments: above, keys: new Map(), line };
      stanzas.push(current);
      continue;
    }
    if (KEY_LINE.test(item)) {
      const eq = item.indexOf("=");
      const key = trim(item.slice(0, eq));
      const value = trim(item.slice(eq + 1));
      if (!current) {
        current = { name: "default", comments: [], keys: new Map(), line };
        names.add("default");
        stanzas.push(current);
      }
      if (current.keys.has(key)) problems.push({ line, message: `key ${key} repeated in [${current.name}]` });
      current.keys.set(key, value);
      continue;
    }
    problems.push({ line, message: "a line that is no comment, stanza or key = value" });
  }
  return { stanzas, comments, problems };
}

/** Physical lines joined at continuations; `line` is where each joined line starts. */
function joinedLines(text: string, problems: { line: number; message: string }[]): { item: string; line: number }[] {
  const out: { item: string; line: number }[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let pending = "";
  let start = 0;
  lines.forEach((raw, i) => {
    const l = trimEndWhere(raw, (c) => c === "\r");
    if (pending === "") start = i + 1;
    const m = l.includes("\\") ? CONTINUED.exec(l) : null;
    if (m) {
      if (m[0].length > 1) problems.push({ line: i + 1, message: "blanks after a continuation backslash" });
      pending += `${l.slice(0, m.index)}\n`;
      return;
    }
    out.push({ item: pending + l, line: start });
    pending = "";
  });
  if (pending !== "") problems.push({ line: lines.length, message: "the last line continues into nothing" });
  return out;
}
