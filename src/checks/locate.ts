/**
 * Places a finding on the line that says the thing (a technique id, `interval:`), not just at the
 * rule: the first occurrence of a text at or after the rule's first line in its file.
 */
import type { Rule } from "../ir/rule.js";

export interface Place {
  readonly line: number;
  readonly col: number;
}

export type SourceTexts = ReadonlyMap<string, string>;

export function locate(texts: SourceTexts, rule: Rule, needle: RegExp): Place {
  const text = texts.get(rule.source.file);
  const fallback = { line: rule.source.line, col: 1 };
  if (text === undefined) return fallback;
  const lines = text.split("\n");
  for (let i = Math.max(0, rule.source.line - 1); i < lines.length; i++) {
    const m = needle.exec(lines[i]!);
    if (m) return { line: i + 1, col: m.index + 1 };
  }
  return fallback;
}
