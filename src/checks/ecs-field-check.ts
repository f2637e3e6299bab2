/**
 * A field one keystroke away from an ECS field, and not an ECS field itself, is most often a typo
 * (`proces.name`), and a typo converts cleanly into a search that matches nothing. Only near
 * misses are reported: rules name many fields ECS does not define (integration and vendor fields),
 * and those are not typos. Over the 1,180 KQL and EQL rules of ../shared/corpus/elastic, no field
 * is one edit from an ECS field (two edits would flag APM's `processor.name` as `process.name`).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { closest } from "../diagnostics/did-you-mean.js";
import { fieldSpan, ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";
import { queryFields } from "../ir/query-fields.js";
import type { Rule } from "../ir/rule.js";
import { ecsFieldNames, ecsFieldType } from "../query/ecs-field-types.js";

/** Warnings for the fields of a rule in ECS names that are one edit (or a case change) from an ECS field. */
export function checkEcsFields(rule: Rule): Diagnostic[] {
  if (rule.taxonomy !== "ecs") return [];
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const { field } of queryFields(rule.query)) {
    if (reported.has(field) || ecsFieldType(field) !== undefined) continue;
    reported.add(field);
    const near = closest(field, ecsFieldNames(), () => 1);
    if (near === undefined) continue;
    out.push(
      ruleDiagnostic(
        rule,
        {
          severity: "warning",
          code: "ecs/unknown-field",
          message: `\`${field}\` is not an ECS field; did you mean \`${near}\`?`,
          hint: `a typo converts into a search that matches nothing; if \`${field}\` is right (a field of your own mapping), ignore this`,
        },
        fieldSpan(rule.query, field),
      ),
    );
  }
  return out;
}
