/**
 * ECS `.caseless` multi-fields (`process.name.caseless`): the base keyword field indexed through a
 * lowercasing normalizer, which Elasticsearch applies to the query's value too. A condition on one
 * is the same condition on the base field compared case-insensitively, which targets without the
 * multi-field (CIM) can say. Only the field tests that carry their own case flag are rewritten; any
 * other use keeps the `.caseless` name, so it stays an unmapped field, named.
 */
import type { Query } from "../ir/query.js";

const SUFFIX = ".caseless";

function base(field: string): string | undefined {
  return field.endsWith(SUFFIX) && field.length > SUFFIX.length ? field.slice(0, -SUFFIX.length) : undefined;
}

export function caselessToBase(q: Query): Query {
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map(caselessToBase) };
    case "not":
      return { ...q, child: caselessToBase(q.child) };
    case "match":
    case "regex": {
      const b = base(q.field);
      return b ? { ...q, field: b, caseSensitive: false } : q;
    }
    case "exists": {
      const b = base(q.field);
      return b ? { ...q, field: b } : q;
    }
    case "sequence":
      return { ...q, steps: q.steps.map((s) => ({ ...s, query: caselessToBase(s.query) })), ...(q.until ? { until: { ...q.until, query: caselessToBase(q.until.query) } } : {}) };
    case "sample":
      return { ...q, steps: q.steps.map((s) => ({ ...s, query: caselessToBase(s.query) })) };
    case "correlation":
      return { ...q, rules: q.rules.map((r) => ({ ...r, query: caselessToBase(r.query) })) };
    case "newTerms":
      return { ...q, query: caselessToBase(q.query) };
    case "pipe":
      return { ...q, input: caselessToBase(q.input) };
    case "all":
    case "none":
    case "range":
    case "cidr":
    case "keyword":
    case "fieldref":
    case "compare":
    case "predicate":
    case "nested":
    case "opaque":
      return q;
  }
}
