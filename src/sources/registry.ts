/**
 * The rule formats rulecast reads: the one file that lists them. Reading, format detection,
 * `--from` and `rulecast list formats` all come from this list (in this order).
 */
import { elasticSources } from "./elastic/index.js";
import { nativeSource } from "./native/index.js";
import { sigmaSource } from "./sigma/index.js";
import type { SourceSpec } from "./source.js";

export const SOURCES: readonly SourceSpec[] = [nativeSource, sigmaSource, ...elasticSources];

/** The format a file is in, from its name and (for YAML) its top-level keys; one folder may mix them. */
export function detectFormat(path: string, text: string): string | undefined {
  return SOURCES.find((s) => s.detect(path, text))?.format;
}

/** The format of text with no file name (stdin). */
export function detectTextFormat(text: string): string | undefined {
  return SOURCES.find((s) => s.detectText?.(text))?.format;
}

export function sourceNamed(format: string): SourceSpec | undefined {
  return SOURCES.find((s) => s.format === format);
}
