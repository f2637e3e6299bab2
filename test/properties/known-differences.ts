/**
 * Named, narrow differences between the IR's verdict and a rendering's, each either a modelling
 * limit of the evaluators or a renderer bug reported to its owner. Tests count every event one
 * of these explains and print the counts; nothing else may disagree.
 */
import { allLeaves, fieldValues } from "../../src/eval/field-values.js";
import type { Query } from "../../src/ir/query.js";
import type { Known } from "./law.js";

/**
 * The IR's `keyword` searches the event's values; an event with none has no text, so a keyword
 * `*` fails on it, while SPL's `*` (also what rulecast writes for "every event") keeps every event.
 * Real events always have text (`_raw`); only the generator makes empty ones.
 */
export const EMPTY_EVENT_TEXT: Known = {
  name: "keyword on an event without any value",
  applies: (ir, e) => allLeaves(e).length === 0 && JSON.stringify(ir).includes('"kind":"keyword"'),
};

/** Fields of numeric `range` nodes in a query. */
function numericRangeFields(q: Query): string[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(numericRangeFields);
    case "not":
      return numericRangeFields(q.child);
    case "range":
      return q.value.kind === "number" ? [q.field] : [];
    default:
      return [];
  }
}

/**
 * Renderer bug (reported, not fixed here: src/targets/splunk is not ours): `| where b<10` compares
 * a non-numeric value of `b` with 10 as strings (spl-query.ts says so itself for string bounds),
 * where the IR's numeric range never matches it. Minimal case: or(range b<10, regex a /cmd/),
 * event {"b":"\""}: IR false, SPL true.
 */
export const RANGE_ON_TEXT: Known = {
  name: "BUG numeric range in `| where` vs a non-numeric value (string comparison)",
  // A JSON boolean is text ("true"/"false") in SPL.
  applies: (ir, e) => numericRangeFields(ir).some((f) => fieldValues(e, f).some((v) => typeof v === "boolean" || (typeof v === "string" && (v.trim() === "" || Number.isNaN(Number(v)))))),
};

/** Keyword leaves of a query. */
function keywords(q: Query): Extract<Query, { kind: "keyword" }>[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(keywords);
    case "not":
      return keywords(q.child);
    case "keyword":
      return [q];
    default:
      return [];
  }
}

/**
 * Renderer bug (reported): a keyword with a literal `*` or a `?` wildcard is widened to `*` in
 * search terms, and `| where searchmatch(...)` repeats the same widened term, so the pipeline is
 * not exact and no issue says so. Minimal case: keyword text "*cmd" (a literal star), event
 * {"a":"cmd"}: IR false, SPL true.
 */
export const KEYWORD_WIDENED: Known = {
  name: "BUG keyword with a literal `*` or a `?` wildcard widened by searchmatch()",
  applies: (ir) => keywords(ir).some((k) => k.value.kind === "string" && k.value.parts.some((p) => p.kind === "one" || (p.kind === "text" && p.value.includes("*")))),
};

/** Fields of `boolean` matches in a query (walks and/or/not). */
export function booleanMatchFields(q: Query): string[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(booleanMatchFields);
    case "not":
      return booleanMatchFields(q.child);
    case "match":
      return q.value.kind === "boolean" ? [q.field] : [];
    default:
      return [];
  }
}

/**
 * The IR evaluator lets a boolean match accept "True"/"FALSE" strings; a language that reads
 * `true` back as text (KQL on a keyword field, SPL eval) matches "true" only.
 */
export const BOOLEAN_STRING_CASE: Known = {
  name: "boolean match vs a string spelling true/false in another case",
  applies: (ir, e) => booleanMatchFields(ir).some((f) => fieldValues(e, f).some((v) => typeof v === "string" && /^(true|false)$/i.test(v) && v !== v.toLowerCase())),
};

/** Fields of `match` nodes with a null value in a query. */
function nullMatchFields(q: Query): string[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(nullMatchFields);
    case "not":
      return nullMatchFields(q.child);
    case "match":
      return q.value.kind === "null" ? [q.field] : [];
    default:
      return [];
  }
}

/**
 * Evaluator inconsistency (reported, src/eval is not ours): `match null` holds when any value is
 * null, `exists` when any value is not, so `["cmd", null]` is both null and existing. Languages
 * say "null" as "not exists" (KQL `not b:*`, SPL `NOT b=*` / `isnull(b)`). Minimal case:
 * match(b, null), event {"b":["cmd",null]}: IR true, KQL and SPL false.
 */
export const NULL_IN_ARRAY: Known = {
  name: "match null vs a multi-valued field holding null and a value",
  applies: (ir, e) => nullMatchFields(ir).some((f) => {
    const vs = fieldValues(e, f);
    return vs.some((v) => v === null) && vs.some((v) => v !== null);
  }),
};

/** Fields of number-valued `match` nodes in a query. */
function numberMatchFields(q: Query): string[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(numberMatchFields);
    case "not":
      return numberMatchFields(q.child);
    case "match":
      return q.value.kind === "number" ? [q.field] : [];
    default:
      return [];
  }
}

/**
 * Renderer bug (reported): a number match in `| where` is `n==10`, which eval compares
 * numerically, so "10.0" and "010" match; the IR matches the number's own text only (evaluate.ts:
 * "4688.0" does not match 4688), as the search term `n=10` does. Minimal case:
 * or(match n 10, regex n /cmd/), event {"n":"10.0"}: IR false, SPL true.
 */
export const NUMBER_EQ_NUMERIC: Known = {
  name: "BUG number match in `| where` compares numerically (\"10.0\"==10)",
  applies: (ir, e) => numberMatchFields(ir).some((f) => fieldValues(e, f).some((v) => typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) && String(Number(v)) !== v)),
};
