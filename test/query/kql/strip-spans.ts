/**
 * Spans differ between a parsed query and its printed-then-parsed copy; structure must not.
 * `and`/`or` are also flattened (the printer writes `(a or b) or c` as `a or b or c`).
 */
import type { Query, SequenceStep } from "../../../src/ir/query.js";

export function stripSpans(q: Query): Query {
  return JSON.parse(JSON.stringify(q, (k, v: unknown) => (k === "span" ? undefined : v))) as Query;
}

/** Spans removed, same-kind `and`/`or` children merged into their parent. */
export function normalise(q: Query): Query {
  return flatten(stripSpans(q));
}

function flatten(q: Query): Query {
  switch (q.kind) {
    case "and":
    case "or": {
      const children = q.children.map(flatten).flatMap((c) => (c.kind === q.kind ? c.children : [c]));
      return { kind: q.kind, children };
    }
    case "not":
      return { ...q, child: flatten(q.child) };
    case "nested":
      return { ...q, query: flatten(q.query) };
    case "sequence":
      return { ...q, steps: q.steps.map(flattenStep) };
    default:
      return q;
  }
}

function flattenStep(s: SequenceStep): SequenceStep {
  return { ...s, query: flatten(s.query) };
}
