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

/**
 * A savedsearches.conf value: it runs to the end of the line, so each newline becomes a
 * continuation (`\` + newline; Splunk keeps the newline in the value). contentctl writes ` \`, but
 * the space would then be part of the value; without it the value is exactly the text.
 * A line that itself ends in a backslash would continue silently: callers refuse such values
 * (`confSafe`) rather than guess.
 */
export function confValue(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .join("\\\n");
}

/** A value confValue can write: no line of it ends with a backslash. */
export function confSafe(v: string): boolean {
  return !v.replace(/\r\n?/g, "\n").split("\n").some((l) => /\\\s*$/.test(l));
}
