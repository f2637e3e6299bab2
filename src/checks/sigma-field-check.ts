/**
 * A Sigma field nobody uses under the rule's log source is most often a typo (`Imagee`), and a
 * typo converts cleanly into a search that matches nothing. The evidence is what SigmaHQ's rules
 * use per log source (data/sigma-fields.json, scripts/build-sigma-fields.mjs) and the fields the
 * Sigma → ECS mapping knows for it. A log source with no evidence is not checked: silence there
 * means "unknown", not "fine".
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Logsource, Query } from "../ir/query.js";
import { queryFields } from "../ir/query-fields.js";
import type { Rule } from "../ir/rule.js";
import type { SigmaEcsMapping } from "../mapping/sigma-ecs.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { closest } from "../diagnostics/did-you-mean.js";
import { fieldSpan, ruleDiagnostic } from "../diagnostics/rule-diagnostic.js";

export interface SigmaFieldEvidence {
  /** `product/category/service` → field names. */
  readonly corpus: ReadonlyMap<string, ReadonlySet<string>>;
  readonly mapping: SigmaEcsMapping;
}

export function loadSigmaFieldEvidence(mapping: SigmaEcsMapping): SigmaFieldEvidence {
  const raw = JSON.parse(readFileSync(join(PACKAGE_ROOT, "data", "sigma-fields.json"), "utf8")) as { logsources: Record<string, string[]> };
  return { corpus: new Map(Object.entries(raw.logsources).map(([k, v]) => [k, new Set(v)])), mapping };
}

export function checkSigmaFields(rule: Rule, evidence: SigmaFieldEvidence): Diagnostic[] {
  if (rule.language !== "sigma" || rule.taxonomy !== "sigma") return [];
  const q = rule.query;
  const parts: { query: Query; logsource: Logsource | undefined }[] =
    q.kind === "correlation" ? q.rules.map((r) => ({ query: r.query, logsource: r.logsource })) : [{ query: q, logsource: rule.logsource }];
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const { query, logsource } of parts) {
    const known = knownFields(logsource, evidence);
    if (!known) continue;
    for (const { field } of queryFields(query)) {
      if (known.has(field) || reported.has(field)) continue;
      reported.add(field);
      // A short name tolerates one slip, a long one up to three.
      const near = closest(field, known, (w) => Math.max(1, Math.min(3, Math.floor(w.length / 4))));
      out.push(
        ruleDiagnostic(
          rule,
          {
            severity: "warning",
            code: "sigma/unknown-field",
            message: `\`${field}\` is not a field SigmaHQ's rules or the mappings use under ${describe(logsource!)}${near ? `; did you mean \`${near}\`?` : ""}`,
            hint: near ? `a typo converts into a search that matches nothing; if \`${field}\` is right, ignore this` : "a typo converts into a search that matches nothing; check the field against your events",
          },
          fieldSpan(query, field),
        ),
      );
    }
  }
  return out;
}

function knownFields(ls: Logsource | undefined, evidence: SigmaFieldEvidence): ReadonlySet<string> | undefined {
  if (!ls) return undefined;
  const key = [ls.product ?? "", ls.category ?? "", ls.service ?? ""].join("/");
  const fromCorpus = evidence.corpus.get(key);
  const fromMapping = evidence.mapping.fields
    .filter((row) => (Object.entries(row.when) as [keyof Logsource, string][]).every(([k, v]) => ls[k] === v) && Object.keys(row.when).length > 0)
    .map((row) => row.sigma);
  if (!fromCorpus && fromMapping.length === 0) return undefined;
  return new Set([...(fromCorpus ?? []), ...fromMapping]);
}

function describe(ls: Logsource): string {
  return (["product", "category", "service"] as const).filter((k) => ls[k]).map((k) => `${k}: ${ls[k]}`).join(", ");
}
