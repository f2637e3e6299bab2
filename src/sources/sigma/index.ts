/** Sigma rules, correlation rules and filters as input. */
import type { Rule } from "../../ir/rule.js";
import { hasExtension, type SourceSpec } from "../source.js";
import { applySigmaFilters } from "./apply-sigma-filters.js";
import { readSigmaFile } from "./read-sigma-file.js";
import type { SigmaFilter } from "./sigma-filter.js";

export { readSigmaFile, type SigmaReadOptions, type SigmaReadResult } from "./read-sigma-file.js";
export { type SigmaFilter } from "./sigma-filter.js";

/** Any of Sigma's document kinds: a rule, a correlation, a filter (or a bare log source). */
const looksSigma = (text: string) => /^(detection|correlation|filter|logsource)\s*:/m.test(text);

export const sigmaSource: SourceSpec = {
  format: "sigma",
  summary: "Sigma rules and correlation rules (YAML)",
  detect: (path, text) => hasExtension(path, [".yml", ".yaml"]) && looksSigma(text),
  detectText: looksSigma,
  read: (path, text, ctx) => {
    const r = readSigmaFile(path, text, { knownRules: ctx.knownRules, ...(ctx.placeholders ? { placeholders: ctx.placeholders } : {}) });
    return { rules: r.rules, diagnostics: r.diagnostics, ...(r.filters ? { pending: r.filters } : {}) };
  },
  // Filters apply once every file is read: they may name rules in other files.
  finish: (rules: readonly Rule[], pending: readonly unknown[]) => applySigmaFilters(rules, pending as SigmaFilter[]),
};
