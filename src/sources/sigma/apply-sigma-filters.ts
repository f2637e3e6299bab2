/**
 * Applies Sigma filter documents to the rules they name, once every input file is read: each
 * covered rule's query becomes `(query) and (filter)`, as pySigma does. A filter applies to a rule
 * it names by id or `name` (or to every rule, with `rules: any`) whose log source its own covers
 * (each key the filter gives equals the rule's). A correlation is never filtered by name, but is
 * narrowed through the filtered rules it counts. Every application, and every name that finds no
 * rule, is reported.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Logsource, Query } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { fits } from "../../mapping/sigma-ecs.js";
import type { SigmaFilter } from "./sigma-filter.js";

export function applySigmaFilters(rules: readonly Rule[], filters: readonly SigmaFilter[]): { rules: Rule[]; diagnostics: Diagnostic[] } {
  const out = [...rules];
  const diagnostics: Diagnostic[] = [];
  for (const f of filters) {
    const at = { file: f.file, line: f.line, col: 1 };
    const label = f.id ?? f.title;
    const chosen = new Set<number>();
    if (f.rules === "any") {
      out.forEach((r, i) => {
        if (r.language === "sigma" && r.query.kind !== "correlation" && covers(f.logsource, r.logsource)) chosen.add(i);
      });
    } else {
      for (const ref of f.rules) {
        const hits = out.flatMap((r, i) => (r.id === ref || r.custom["name"] === ref ? [i] : []));
        if (hits.length === 0) {
          diagnostics.push({ severity: "warning", code: "sigma/filter-unknown-rule", message: `filter "${f.title}" names rule ${ref}, which is not among the inputs; nothing is filtered for it`, ...at, hint: "convert the rule together with its filter" });
        }
        for (const i of hits) {
          const r = out[i]!;
          if (r.query.kind === "correlation") {
            diagnostics.push({ severity: "warning", code: "sigma/filter-not-applied", message: `filter "${f.title}" names correlation ${ref}; filters apply to detection rules only`, ...at, ruleId: r.id });
          } else if (!covers(f.logsource, r.logsource)) {
            diagnostics.push({
              severity: "warning",
              code: "sigma/filter-not-applied",
              message: `filter "${f.title}" is for log source {${describe(f.logsource)}}, which does not cover rule ${ref}'s {${describe(r.logsource)}}; not applied`,
              ...at,
              ruleId: r.id,
            });
          } else chosen.add(i);
        }
      }
    }
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const r = out[i]!;
      const applied = Array.isArray(r.custom["filters_applied"]) ? (r.custom["filters_applied"] as unknown[]) : [];
      out[i] = {
        ...r,
        query: { kind: "and", children: [r.query, withoutSpans(f.query)] },
        custom: { ...r.custom, filters_applied: [...applied, label] },
      };
      diagnostics.push({ severity: "info", code: "sigma/filter-applied", message: `filter "${f.title}" narrows rule "${r.name}"`, ...at, ruleId: r.id });
    }
  }
  return { rules: out, diagnostics: [...diagnostics, ...narrowCorrelations(rules, out)] };
}

/**
 * A correlation counts the events of its rules, so a filter on one of them narrows it too, as in
 * pySigma, where a correlation converts its rules after their filters. A correlation holds each
 * rule's query as it was read (the same object), which is how its filtered rule is found.
 */
function narrowCorrelations(before: readonly Rule[], out: Rule[]): Diagnostic[] {
  const filteredQuery = new Map<Query, Rule>();
  before.forEach((r, i) => {
    if (out[i]!.query !== r.query) filteredQuery.set(r.query, out[i]!);
  });
  const diagnostics: Diagnostic[] = [];
  out.forEach((r, i) => {
    if (r.query.kind !== "correlation" || filteredQuery.size === 0) return;
    const narrowed = r.query.rules.map((sub) => filteredQuery.get(sub.query));
    if (narrowed.every((x) => x === undefined)) return;
    const labels = [...new Set(narrowed.flatMap((x) => (Array.isArray(x?.custom["filters_applied"]) ? (x!.custom["filters_applied"] as unknown[]) : [])))];
    out[i] = {
      ...r,
      query: { ...r.query, rules: r.query.rules.map((sub, k) => (narrowed[k] ? { ...sub, query: narrowed[k]!.query } : sub)) },
      custom: { ...r.custom, filters_applied: labels },
    };
    const names = r.query.rules.filter((_, k) => narrowed[k]).map((sub) => sub.name);
    diagnostics.push({ severity: "info", code: "sigma/filter-applied", message: `correlation "${r.name}" is narrowed through its filtered rule${names.length > 1 ? "s" : ""} ${names.join(", ")}`, file: r.source.file, line: r.source.line, col: 1, ruleId: r.id });
  });
  return diagnostics;
}

/** Every key the filter's log source gives equals the rule's (its `definition` is prose, not a key). */
function covers(filter: Logsource, rule: Logsource | undefined): boolean {
  const { definition: _prose, ...keys } = filter;
  return fits(keys, rule);
}

function describe(ls: Logsource | undefined): string {
  return ls ? Object.entries(ls).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
}

/** The filter's spans point into its own file, not the rule's detection: dropped. */
function withoutSpans(q: Query): Query {
  return strip(q) as Query;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k !== "span") out[k] = strip(x);
  return out;
}
