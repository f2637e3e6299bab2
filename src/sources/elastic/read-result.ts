import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Rule } from "../../ir/rule.js";

/** What every Elastic reader returns: the rules that read, and a diagnostic for each problem. */
export interface ElasticReadResult {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
}
