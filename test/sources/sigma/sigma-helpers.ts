import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { Part, Query } from "../../../src/ir/query.js";
import { readSigmaFile, type SigmaReadOptions } from "../../../src/sources/sigma/index.js";

/** A minimal rule around a detection body (lines indented by 4 spaces under `detection:`). */
export function ruleText(detection: string, extra = ""): string {
  const body = detection
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `title: Test rule\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\n${extra}logsource:\n    product: windows\ndetection:\n${body}\n`;
}

/** Deep copy without `span` keys, so expected trees stay readable. */
/** Without source positions and search names (`search`): what a query matches, nothing of its layout. */
export function noSpans<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" || k === "search" ? undefined : v))) as T;
}

export function queryOf(detection: string, opts: SigmaReadOptions = {}): Query {
  const r = readSigmaFile("t.yml", ruleText(detection), opts);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !r.rules[0]) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join("; ") || "no rule");
  return noSpans(r.rules[0].query);
}

export function errorsOf(detection: string, opts: SigmaReadOptions = {}): Diagnostic[] {
  const r = readSigmaFile("t.yml", ruleText(detection), opts);
  return r.diagnostics.filter((d) => d.severity === "error");
}

export const text = (value: string): Part => ({ kind: "text", value });
export const any: Part = { kind: "any" };
export const one: Part = { kind: "one" };

export function m(field: string, parts: Part[], caseSensitive = false): Query {
  return { kind: "match", field, value: { kind: "string", parts }, caseSensitive };
}
