/**
 * Escaping helpers for document templates: every value a template writes goes through one of these.
 */
import { stringify } from "yaml";

/** A JSON value on one line (strings quoted, objects compact). */
export function jsonValue(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** A JSON value pretty-printed with two spaces, its continuation lines indented by `indent`. */
export function jsonBlock(v: unknown, indent: number): string {
  const pad = " ".repeat(indent);
  return JSON.stringify(v ?? null, null, 2).replace(/\n/g, `\n${pad}`);
}

const YAML_OPTS = {
  indent: 4,
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: true,
  defaultKeyType: "PLAIN",
  aliasDuplicateObjects: false,
} as const;

/** A YAML scalar for `key: {{yaml v}}`: quoted only when needed, single quotes preferred (SigmaHQ style). */
export function yamlScalar(v: unknown): string {
  if (v !== null && typeof v === "object") throw new Error("yamlScalar takes a scalar; use yamlBlock");
  const s = stringify(v, { ...YAML_OPTS, collectionStyle: "flow" }).replace(/\n$/, "");
  return s;
}

/**
 * A YAML collection placed after `key:` at nesting depth `indent` (spaces): starts with a newline,
 * every line indented. Block style throughout, so a diff shows one line per item.
 */
export function yamlBlock(v: unknown, indent: number, quoteStrings = false): string {
  if (v === null || typeof v !== "object") return ` ${yamlScalar(v)}`;
  if (Array.isArray(v) && v.length === 0) return " []";
  if (!Array.isArray(v) && Object.keys(v).length === 0) return " {}";
  const pad = " ".repeat(indent);
  const text = stringify(v, {
    ...YAML_OPTS,
    collectionStyle: "block",
    ...(quoteStrings ? { defaultStringType: "QUOTE_SINGLE" as const } : {}),
  }).replace(/\n$/, "");
  return "\n" + text.split("\n").map((l) => pad + l).join("\n");
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
