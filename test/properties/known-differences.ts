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
 * Sigma writes a boolean as a bare YAML `true`, which reads back case-insensitive (Sigma has no
 * `|cased` for booleans), so a case-sensitive boolean match accepts "True" after a Sigma round trip.
 */
export const BOOLEAN_STRING_CASE: Known = {
  name: "boolean match vs a string spelling true/false in another case",
  applies: (ir, e) => booleanMatchFields(ir).some((f) => fieldValues(e, f).some((v) => typeof v === "string" && /^(true|false)$/i.test(v) && v !== v.toLowerCase())),
};
