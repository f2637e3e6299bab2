/**
 * The Elastic target: a rule in ECS field names → a Kibana detection rule (`<slug>.json`, the
 * create-API body) and one line of `rules.ndjson`, which Kibana's rule import reads. The query is
 * printed again from the IR (KQL for query/threshold rules, EQL for eql rules), never copied.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { attackTable, tacticReference, techniqueReference } from "../../attack/attack-table.js";
import { formatDuration } from "../../ir/duration.js";
import { slugify } from "../../ir/ids.js";
import type { Query } from "../../ir/query.js";
import type { Rule, RuleType } from "../../ir/rule.js";
import { printEql } from "../../query/eql/eql-printer.js";
import { printKql } from "../../query/kql/kql-printer.js";
import type { PrintResult } from "../../query/print-result.js";
import { ruleDiagnostic } from "../../pipeline/rule-diagnostic.js";
import type { Target, TargetContext, TargetResult } from "../target.js";

export const elasticTarget: Target = {
  name: "elastic",
  renderRule: renderElasticRule,
  renderBundle: (pieces, ctx) => [{ path: "rules.ndjson", content: ctx.templates.render("elastic/rules.ndjson.hbs", { lines: pieces }) }],
};

/** Kibana has no `informational` severity; it is the lowest band. */
const KIBANA_SEVERITY: Readonly<Record<string, string>> = {
  informational: "low",
  low: "low",
  medium: "medium",
  high: "high",
  critical: "critical",
};

function renderElasticRule(rule: Rule, ctx: TargetContext): TargetResult {
  const diagnostics: Diagnostic[] = [];
  const plan = queryPlan(rule, ctx);
  if ("error" in plan) {
    diagnostics.push(ruleDiagnostic(rule, { severity: "error", code: "elastic/rule-type", message: plan.error }));
    return { files: [], bundle: [], diagnostics };
  }
  const printed = plan.print(rule.query);
  for (const i of printed.issues) diagnostics.push(ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }));
  if (printed.issues.some((i) => i.severity === "error")) return { files: [], bundle: [], diagnostics };
  if (rule.severity === "informational") {
    diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "elastic/severity", message: "Kibana has no informational severity; the rule is `low` (the original level is kept in meta)" }));
  }

  const view = {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    type: plan.type,
    language: plan.language,
    query: printed.text,
    ...(rule.index.length > 0 ? { index: rule.index } : {}),
    ...(rule.threshold
      ? { threshold: { field: rule.threshold.field, value: rule.threshold.value, ...(rule.threshold.cardinality.length ? { cardinality: rule.threshold.cardinality } : {}) } }
      : {}),
    severity: KIBANA_SEVERITY[rule.severity] ?? "low",
    risk_score: rule.riskScore,
    interval: formatDuration(rule.schedule.interval),
    from: rule.schedule.from,
    to: rule.schedule.to,
    max_signals: rule.maxSignals,
    enabled: rule.enabled,
    tags: rule.tags,
    version: rule.version,
    author: rule.authors.length > 0 ? rule.authors : ["Unknown"],
    ...(rule.license ? { license: rule.license } : {}),
    false_positives: rule.falsePositives,
    references: rule.references,
    threat: threatView(rule),
    ...(rule.note ? { note: rule.note } : {}),
    ...(rule.setup ? { setup: rule.setup } : {}),
    meta: metaView(rule),
  };
  const json = ctx.templates.render("elastic/rule.json.hbs", view);
  const line = JSON.stringify(JSON.parse(json));
  return { files: [{ path: `${slugify(rule.name)}.json`, content: json, document: view }], bundle: [line], diagnostics };
}

type Plan = { type: RuleType; language: "kuery" | "eql"; print: (q: Query) => PrintResult } | { error: string };

/** The Kibana rule type and query language for a rule's query. */
function queryPlan(rule: Rule, ctx: TargetContext): Plan {
  const eql: Plan = { type: "eql", language: "eql", print: printEql };
  const kql = (type: RuleType): Plan => ({ type, language: "kuery", print: printKql });
  const q = rule.query;
  if (q.kind === "sequence" || q.kind === "sample" || q.kind === "pipe") return eql;
  if (q.kind === "correlation") return { error: "correlations are not converted to Elastic rules yet" };
  switch (rule.language) {
    case "eql":
      return eql;
    case "kuery":
      return kql(rule.type === "threshold" || rule.type === "new_terms" ? rule.type : "query");
    case "sigma":
      return ctx.options.elasticLanguage === "eql" ? eql : kql("query");
    case "lucene":
    case "esql":
      return { error: `${rule.language} rules are kept as text and not rendered yet` };
  }
}

/** Kibana's `threat`: reference URLs with the trailing slash its schema requires, filled when absent. */
function threatView(rule: Rule): unknown[] {
  const table = attackTable();
  const slash = (u: string) => (u.endsWith("/") ? u : `${u}/`);
  return rule.threat.map((t) => ({
    framework: t.framework,
    tactic: { id: t.tactic.id, name: t.tactic.name, reference: slash(t.tactic.reference ?? tacticReference(table.tacticById(t.tactic.id)?.id ?? t.tactic.id)) },
    technique: t.techniques.map((x) => ({
      id: x.id,
      name: x.name,
      reference: slash(x.reference ?? techniqueReference(x.id)),
      ...(x.subtechniques.length > 0
        ? { subtechnique: x.subtechniques.map((s) => ({ id: s.id, name: s.name, reference: slash(s.reference ?? techniqueReference(s.id)) })) }
        : {}),
    })),
  }));
}

/** Kibana's free `meta` object keeps what it has no field for: releases, version history, extras. */
function metaView(rule: Rule): Record<string, unknown> {
  const meta: Record<string, unknown> = { source: "rulecast" };
  if (rule.added) meta.added = rule.added;
  if (rule.lastModified) meta.last_modified = rule.lastModified;
  if (rule.history.length > 0) {
    meta.history = rule.history.map((h) => ({
      version: h.version,
      ...(h.release ? { release: h.release } : {}),
      changes: h.changes,
      ...(h.previousQuery ? { previous_query: h.previousQuery } : {}),
    }));
  }
  if (rule.severity === "informational") meta.severity = "informational";
  if (rule.status) meta.status = rule.status;
  if (rule.date) meta.date = rule.date;
  if (rule.modified) meta.modified = rule.modified;
  if (rule.logsource) meta.logsource = rule.logsource;
  if (Object.keys(rule.custom).length > 0) meta.custom = rule.custom;
  return meta;
}
