/**
 * `--splunk-taxonomy cim`: prints the rule's CIM plan (`Rule.cim`, made by the pipeline's `toCim`
 * rewrite, which the form declares) as a search over the data set that holds its events. A boolean
 * query becomes an accelerated `tstats` search; what tstats cannot say (a `| where` on a field it
 * cannot group, free text) and sequences search the data set's tagged events (`tag=process
 * tag=report`) by CIM field names, exactly. When the plan says the rule is not CIM, or SPL cannot
 * say a CIM query, the reason comes back named and the caller searches by the add-ons' field names instead.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { CimDataset, CimStep } from "../../ir/cim.js";
import type { CorrelationMeasure, Query } from "../../ir/query.js";
import type { Rule } from "../../ir/rule.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { renderSplCondition, renderSplQuery } from "../../query/spl/spl-printer.js";
import { furtherMeasure, renderSplCorrelation, usesFixedWindows, type CorrelationPlan, type SplMeasure } from "../../query/spl/spl-correlation.js";
import { renderSplSample, renderSplSequence, type SplStep } from "../../query/spl/spl-sequence.js";
import { renderSplFirstSeen } from "../../query/spl/spl-new-terms.js";
import { renderTstats } from "./spl-tstats.js";
import { quoteSpl } from "../../query/spl/spl-tokens.js";

export type CimSearch =
  | {
      readonly ok: true;
      readonly spl: string;
      readonly form: "tstats" | "tagged";
      /** CIM fields every result row carries (for risk objects). */
      readonly resultFields: readonly string[];
      readonly diagnostics: readonly Diagnostic[];
    }
  /** Why the rule is not a CIM search (one line, naming the field or construct). */
  | { readonly ok: false; readonly reason: string };

class NotCim {
  constructor(readonly reason: string) {}
}

export function cimSearch(rule: Rule, opts: { readonly summariesOnly: boolean }): CimSearch {
  const plan = rule.cim;
  // The form declares the toCim rewrite, so a rule without a plan is a wiring bug, not a rule's problem.
  if (!plan) throw new Error(`rule ${rule.id} reached the CIM renderer without a CIM plan`);
  const diagnostics: Diagnostic[] = [];
  const done = (spl: string, form: "tstats" | "tagged", resultFields: readonly string[]): CimSearch => ({ ok: true, spl, form, resultFields, diagnostics });
  try {
    switch (plan.kind) {
      case "not-cim":
        return { ok: false, reason: plan.reason };
      case "sequence": {
        const steps = plan.steps.map(cimStep);
        const until = plan.until ? cimStep(plan.until) : undefined;
        if (!plan.maxspan) {
          diagnostics.push(ruleDiagnostic(rule, { severity: "info", code: "splunk/sequence-window", message: "the sequence has no maxspan: it may complete anywhere inside the search window (dispatch.earliest_time), as in Elastic" }));
        }
        // The rows are the events that complete a sequence: the last step's fields.
        return done(renderSplSequence({ steps, ...(until ? { until } : {}), ...(plan.maxspan ? { maxspan: plan.maxspan } : {}) }), "tagged", plan.steps[plan.steps.length - 1]?.dataset.group ?? []);
      }
      case "sample": {
        const steps = plan.steps.map(cimStep);
        // The rows are one per join key.
        return done(renderSplSample(steps), "tagged", steps[0]?.keys ?? []);
      }
      case "correlation": {
        const rules = plan.rules.map(cimStep);
        const measure = (m: CorrelationMeasure): SplMeasure => {
          const r = furtherMeasure(m);
          const bad = r.issues.find((i) => i.severity === "error");
          if (bad) throw new NotCim(`${bad.reason} (${bad.code})`);
          return r.measure;
        };
        const extraMeasures = (plan.extraMeasures ?? []).map(measure);
        const anyOf = (plan.anyOf ?? []).map((set) => set.map(measure));
        const c: CorrelationPlan = {
          type: plan.type,
          rules,
          condition: plan.condition,
          ...(plan.timespan ? { timespan: plan.timespan } : {}),
          ...(plan.valueField ? { valueField: plan.valueField } : {}),
          ...(extraMeasures.length ? { extraMeasures } : {}),
          ...(anyOf.length ? { anyOf } : {}),
        };
        if (usesFixedWindows(c)) {
          diagnostics.push(ruleDiagnostic(rule, { severity: "warning", code: "splunk/fixed-windows", message: "a count compared with lt/lte/eq/neq is taken over fixed `bin` windows: a burst that crosses a window boundary is counted in two parts" }));
        }
        // The rows are one per group.
        return done(renderSplCorrelation(c), "tagged", rules[0]?.keys ?? []);
      }
      case "union": {
        // Each data set's tagged events its branch matches: the tag terms and search of each branch
        // ORed (a superset), then each branch's exact condition, tags included, ORed.
        const steps = plan.searches.map((q) => cimStep({ ...q, keys: [] }));
        const search = steps.map((st) => `(${st.search})`).join(" OR ");
        const where = steps.map((st) => `(${st.condition})`).join(" OR ");
        const shared = plan.searches[0]!.dataset.group.filter((f) => plan.searches.every((q) => q.dataset.group.includes(f)));
        return done(`${search}\n| where ${where}`, "tagged", shared);
      }
      case "newTerms": {
        // Grouped by exactly the new-terms fields (and the fields an exact `| where` reads, merged
        // away again after it): any other field in the `by` would split a combination into groups
        // that look new on their own.
        const { query, dataset, keys } = plan.search;
        const outside = keys.find((k) => !dataset.fields.includes(k));
        if (outside !== undefined) throw new NotCim(`the new-terms field \`${outside}\` is not a field of ${dataset.key}, so tstats cannot group by it`);
        const t = renderTstats(query, dataset, { ...opts, groupBy: keys });
        const refused = t.issues.find((i) => i.severity === "error");
        if (!refused) {
          diagnostics.push(...t.issues.map((i) => ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span)));
          const seen = renderSplFirstSeen({ fields: keys, window: rule.schedule.interval, rows: "grouped" });
          if ("error" in seen) throw new NotCim(seen.error);
          return done(`${t.text}\n${seen.text}`, "tstats", keys);
        }
        // What tstats cannot group (a field the query does not require) is said over the data
        // set's tagged events, as a search's and a correlation's are: each event is one row, so
        // `stats ... by` the new-terms fields leaves out events without one, as Kibana does.
        if (refused.code !== "splunk/tstats-group" && refused.code !== "splunk/tstats-keyword") throw new NotCim(`${refused.reason} (${refused.code})`);
        const r = tagged(query, dataset);
        const seen = renderSplFirstSeen({ fields: keys, window: rule.schedule.interval, rows: "events" });
        if ("error" in seen) throw new NotCim(seen.error);
        diagnostics.push(taggedNote(rule, refused.reason, dataset));
        return done([r.search, ...(r.where ? [`| where ${r.where}`] : []), seen.text].join("\n"), "tagged", keys);
      }
      case "search": {
        const { query, dataset } = plan.search;
        const t = renderTstats(query, dataset, opts);
        const refused = t.issues.find((i) => i.severity === "error");
        if (!refused) {
          diagnostics.push(...t.issues.map((i) => ruleDiagnostic(rule, { severity: i.severity, code: i.code, message: i.reason }, i.node.span)));
          return done(t.text, "tstats", t.groupBy);
        }
        if (refused.code !== "splunk/tstats-group" && refused.code !== "splunk/tstats-keyword") throw new NotCim(`${refused.reason} (${refused.code})`);
        const r = tagged(query, dataset);
        diagnostics.push(taggedNote(rule, refused.reason, dataset));
        return done([r.search, ...(r.where ? [`| where ${r.where}`] : [])].join("\n"), "tagged", dataset.group);
      }
    }
  } catch (e) {
    if (e instanceof NotCim) return { ok: false, reason: e.reason };
    throw e;
  }
}

function taggedNote(rule: Rule, why: string, dataset: CimDataset): Diagnostic {
  return ruleDiagnostic(rule, {
    severity: "info",
    code: "splunk/cim-tagged-search",
    message: `not a tstats search: ${why}; the rule searches the tagged events of ${dataset.key} by CIM field names instead`,
  });
}

/**
 * The data set's tags as search terms (`tag=process tag=report`), as CIM's own data-model
 * constraints select its events. Search terms test every value of a multi-valued field, and `tag`
 * is multi-valued on nearly every CIM event, so the tags go into the search part. The search
 * printer leaves a `tag` condition to `| where` (as a directive it could come from a rule's data),
 * so the terms are written here from the data set's own tag list, which is fixed data.
 */
function tagTerms(ds: CimDataset): string {
  return ds.tags.map((t) => `tag=${tagName(t)}`).join(" ");
}

/**
 * The same test inside an eval condition (a sequence or sample step, a correlated rule):
 * `isnotnull(mvfind(tag, "(?i)^process$"))`. Not `lower(tag)=="process"`: Splunk's reference
 * documents no per-value meaning for `==` or `lower()` on a multi-valued field (Search Manual,
 * "Evaluate and manipulate fields with multiple values", points to the mv functions instead),
 * while mvfind is documented to return the index of the first value that matches the regex, or
 * null when none does (Search Reference, "Multivalue eval functions"); ESCU tests membership the
 * same way (`isnull(mvfind(ip_addresses_old, ...))` in o365_bypass_mfa_via_trusted_ip). `(?i)`
 * keeps the case-folding of the search term `tag=process`.
 */
function tagConditions(ds: CimDataset): string[] {
  return ds.tags.map((t) => `isnotnull(mvfind(tag, ${quoteSpl(`(?i)^${tagName(t)}$`)}))`);
}

function tagName(t: string): string {
  // CIM tags are plain words; anything else would need quoting rules this code does not write.
  if (!/^[A-Za-z0-9_]+$/.test(t)) throw new Error(`CIM tag ${JSON.stringify(t)} is not a plain word`);
  return t;
}

/** The data set's tagged events that the query matches, as raw events: tag terms, then the query. */
export function tagged(q: Query, ds: CimDataset): { search: string; where?: string } {
  const r = renderSplQuery(q);
  const bad = r.issues.find((i) => i.severity === "error");
  if (bad) throw new NotCim(`${bad.reason} (${bad.code})`);
  return { search: [tagTerms(ds), ...(r.search ? [r.search] : [])].join(" "), ...(r.where !== undefined ? { where: r.where } : {}) };
}

/** A sequence or sample step over the tagged events of its data set. */
export function cimStep(s: CimStep): SplStep {
  const r = tagged(s.query, s.dataset);
  const tags = tagConditions(s.dataset);
  if (s.query.kind === "all") return { search: r.search, condition: tags.join(" AND "), keys: s.keys };
  const condition = renderSplCondition(s.query);
  const bad = condition.issues.find((i) => i.severity === "error");
  if (bad) throw new NotCim(`${bad.reason} (${bad.code})`);
  return { search: r.search, condition: [...tags, `(${condition.text})`].join(" AND "), keys: s.keys };
}
