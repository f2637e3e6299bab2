/**
 * A rule whose log source contradicts its fields (a ScriptBlockText search under
 * `category: process_creation`) matches nothing in any target: it is an error before any target
 * renders it, so no target writes a search that can never match. Evidence: the `source_fields` of
 * mappings/ecs-sigma.yaml, fields that exist in one log source only.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Logsource, Query } from "../ir/query.js";
import { queryFields } from "../ir/query-fields.js";
import type { Rule } from "../ir/rule.js";
import type { Mappings } from "../mapping/mappings.js";
import { liftLogsource } from "../passes/lift-logsource.js";
import { fieldSpan, ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";

export function logsourceFieldConflicts(rule: Rule, mappings: Mappings): Diagnostic[] {
  const table = mappings.ecsToSigma.sourceFields ?? [];
  if (table.length === 0) return [];
  if (rule.taxonomy === "ecs") {
    // The lift weighs the query's own source conditions against its fields.
    const lifted = liftLogsource(rule.query, mappings.ecsToSigma, { tags: rule.tags, index: rule.index });
    return lifted.problems
      .filter((p) => p.code === "mapping/logsource-field-conflict")
      .map((p) => ruleDiagnostic(rule, { severity: "error", code: p.code, message: p.message, hint: HINT }, fieldSpan(rule.query, p.field)));
  }
  const out: Diagnostic[] = [];
  const check = (q: Query, ls: Logsource | undefined): void => {
    if (ls?.category === undefined) return;
    const used = new Set(queryFields(q).map((u) => u.field));
    for (const f of table) {
      const home = f.logsource.category;
      if (!used.has(f.sigma) || home === undefined || home === ls.category) continue;
      out.push(
        ruleDiagnostic(
          rule,
          {
            severity: "error",
            code: "mapping/logsource-field-conflict",
            message: `field \`${f.sigma}\` exists only in log source category \`${home}\`, but the rule's log source is category \`${ls.category}\`: the query can match no event`,
            hint: HINT,
          },
          fieldSpan(q, f.sigma),
        ),
      );
    }
  };
  const q = rule.query;
  if (q.kind === "sequence" || q.kind === "sample") for (const s of q.steps) check(s.query, s.logsource ?? rule.logsource);
  else if (q.kind === "correlation") for (const r of q.rules) check(r.query, r.logsource ?? rule.logsource);
  else check(q, rule.logsource);
  return out;
}

const HINT = "give the rule the log source its fields belong to";
