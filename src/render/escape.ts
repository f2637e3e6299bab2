/**
 * Escaping helpers for document templates: every value a template writes goes through one of these.
 */
import { emitBlock, emitScalar } from "./yaml-emit.js";

/** A JSON value on one line (strings quoted, objects compact). */
export function jsonValue(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** A JSON value pretty-printed with two spaces, its continuation lines indented by `indent`. */
export function jsonBlock(v: unknown, indent: number): string {
  const pad = " ".repeat(indent);
  return JSON.stringify(v ?? null, null, 2).replace(/\n/g, `\n${pad}`);
}

/** A YAML scalar for `key: {{yaml v}}`: plain when safe, single-quoted otherwise (SigmaHQ style). */
export function yamlScalar(v: unknown): string {
  if (v !== null && typeof v === "object") throw new Error("yamlScalar takes a scalar; use yamlBlock");
  return emitScalar(v);
}

/**
 * A value placed after `key:` at nesting depth `indent` (spaces): collections start on the next
 * line in block style (a diff shows one line per item), multi-line strings become literal blocks.
 */
export function yamlBlock(v: unknown, indent: number, quoteStrings = false): string {
  return emitBlock(v, indent, { quoteStrings });
}

/** A value a document format cannot hold exactly: the renderer refuses the rule instead of writing it. */
export class UnwritableValue extends Error {}

/**
 * Splunk .conf values (conf-reader.ts has the reading they must survive). A value runs to the end
 * of its line; a line ending in `\` continues, the newline staying in the value, so each newline is
 * written as `\` + newline (contentctl writes ` \`, but the space would then be part of the value).
 * There is no escape for anything else, so a value is written only when it reads back exactly:
 * - no line of it ends in a backslash: it would swallow the next line (a key, or a stanza header);
 * - no blank before a line break: readers differ on blanks next to a continuation;
 * - no control character but TAB and LF, and no U+2028/U+2029: readers differ on CR and the rest;
 * - blanks at either end are trimmed here, as every reader trims them.
 * `confValueProblem` says why a value cannot be written; `confValue` refuses such a value.
 */
export function confValueProblem(v: unknown): string | undefined {
  const lines = confText(v).split("\n");
  const control = CONF_CONTROL.exec(lines.join("\n"));
  if (control) return `it holds the control character ${codePoint(control[0])}`;
  if (lines.some((l) => l.endsWith("\\"))) return "a line of it ends in a backslash, which Splunk reads as a continuation";
  if (lines.slice(0, -1).some((l) => /\s$/.test(l))) return "a line of it ends in blanks before a line break, which Splunk may not keep";
  return undefined;
}

/** A .conf value (see confValueProblem); throws UnwritableValue for one that would not read back. */
export function confValue(v: unknown): string {
  const problem = confValueProblem(v);
  if (problem) throw new UnwritableValue(`a .conf value cannot be written: ${problem}`);
  return confText(v).split("\n").join("\\\n");
}

/**
 * A .conf comment line's text: always one line that does not continue. Control characters and a
 * final backslash are shown as `\uXXXX`, so nothing in a rule's metadata can start a line of its own.
 */
export function confComment(v: unknown): string {
  const one = confText(v).replace(COMMENT_CONTROL, codePoint).trimEnd();
  return one.endsWith("\\") ? `${one.slice(0, -1)}\\u005c` : one;
}

/**
 * Why `[name]` would not read back as a stanza of exactly that name, or would be a special one:
 * `[default]` gives its keys to every stanza of the file (one rule would schedule them all).
 */
export function confStanzaProblem(name: string): string | undefined {
  const control = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/.exec(name);
  if (control) return `it holds the control character ${codePoint(control[0])}`;
  if (name.trim() === "") return "it is empty";
  if (name !== name.trim()) return "it begins or ends with blanks";
  if (name.toLowerCase() === "default") return "[default] would give its settings to every stanza of the file";
  return undefined;
}

/** A stanza name for `[{{confStanza name}}]`; throws UnwritableValue (see confStanzaProblem). */
export function confStanza(name: unknown): string {
  const problem = typeof name === "string" ? confStanzaProblem(name) : "it is not text";
  if (problem) throw new UnwritableValue(`a .conf stanza name cannot be written: ${problem}`);
  return name as string;
}

/**
 * The value as one string, blanks at the ends trimmed (every conf reader trims them). `trim` and
 * not `/\s+$/`: the regex retries at every blank of a long inner run, quadratic on hostile text.
 */
function confText(v: unknown): string {
  return (typeof v === "string" ? v : JSON.stringify(v ?? null)).trim();
}

const CONF_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/;
const COMMENT_CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

function codePoint(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
