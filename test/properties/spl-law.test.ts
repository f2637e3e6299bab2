import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import { allLeaves, fieldValues } from "../../src/eval/field-values.js";
import type { Query } from "../../src/ir/query.js";
import { evaluateSpl, evaluateSplSearch } from "../../src/query/spl/spl-evaluate.js";
import { parseSpl } from "../../src/query/spl/spl-parser.js";
import { renderSplQuery } from "../../src/targets/splunk/spl-query.js";
import { queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { BOOLEAN_STRING_CASE, countKnown, disagreement, formatStats, type Known, newStats } from "./law.js";

/** The pipeline text as the Splunk target assembles it (index.ts): search, then `| where`. */
function splText(q: Query): { text: string; exactSearch: boolean } | undefined {
  const r = renderSplQuery(q);
  if (r.issues.some((i) => i.severity === "error")) return undefined;
  return { text: [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n"), exactSearch: r.where === undefined };
}

/**
 * The IR's `keyword` searches the event's values; an event with none has no text, so a keyword
 * `*` fails on it, while SPL's `*` (also what rulecast writes for "every event") keeps every event.
 * Real events always have text (`_raw`); only the generator makes empty ones.
 */
const EMPTY_EVENT_TEXT: Known = {
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
const RANGE_ON_TEXT: Known = {
  name: "BUG numeric range in `| where` vs a non-numeric value (string comparison)",
  applies: (ir, e) => numericRangeFields(ir).some((f) => fieldValues(e, f).some((v) => typeof v === "string" && (v.trim() === "" || Number.isNaN(Number(v))))),
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
const KEYWORD_WIDENED: Known = {
  name: "BUG keyword with a literal `*` or a `?` wildcard widened by searchmatch()",
  applies: (ir) => keywords(ir).some((k) => k.value.kind === "string" && k.value.parts.some((p) => p.kind === "one" || (p.kind === "text" && p.value.includes("*")))),
};

/** SPL refuses string range bounds and case-sensitive free text. */
const splQueries = withEvents(queryWhere((l) => !(l.kind === "keyword" && l.caseSensitive) && !(l.kind === "range" && l.value.kind !== "number")));

test("SPL: the search part alone matches a superset of the IR (exactly the IR when there is no `| where`)", () => {
  const stats = newStats();
  fc.assert(
    fc.property(splQueries, ([ir, events]) => {
      stats.cases++;
      const c = compileQuery(ir);
      if (!c.ok) {
        stats.unevaluable++;
        return;
      }
      const spl = splText(ir);
      if (!spl) {
        stats.refused++;
        return;
      }
      const back = parseSpl(spl.text);
      if (!back.ok) throw new Error(`${spl.text}\n${back.error.code} ${back.error.message} at ${back.error.offset}`);
      for (const e of events) {
        const want = c.test(e);
        const got = evaluateSplSearch(back.value, e);
        if (!got.ok) throw new Error(`${spl.text}\n${got.reason}`);
        if (spl.exactSearch ? got.matched !== want : want && !got.matched) {
          if (EMPTY_EVENT_TEXT.applies(ir, e)) {
            countKnown(stats)(EMPTY_EVENT_TEXT);
            continue;
          }
          throw new Error(`${spl.text}\nIR ${JSON.stringify(ir)}\nevent ${JSON.stringify(e)}\nIR says ${want}, the search part says ${got.matched} (${spl.exactSearch ? "exact" : "superset"})`);
        }
      }
    }),
    RUNS,
  );
  console.log(formatStats("SPL search", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("SPL search", stats));
});

test("SPL: evaluate(ir) = evaluateSpl(parseSpl(renderSplQuery(ir))) for the whole pipeline", () => {
  const stats = newStats();
  fc.assert(
    fc.property(splQueries, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const spl = splText(ir);
      if (!spl) {
        stats.refused++;
        return;
      }
      const back = parseSpl(spl.text);
      if (!back.ok) throw new Error(`${spl.text}\n${back.error.code} ${back.error.message} at ${back.error.offset}`);
      const msg = disagreement(ir, (e) => evaluateSpl(back.value, e), events, spl.text, [BOOLEAN_STRING_CASE, EMPTY_EVENT_TEXT, RANGE_ON_TEXT, KEYWORD_WIDENED], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("SPL pipeline", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("SPL pipeline", stats));
});

test.run();
