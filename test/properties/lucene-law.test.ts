import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import { parseLucene } from "../oracles/lucene/lucene-parser.js";
import { printLucene } from "../../src/query/lucene/lucene-printer.js";
import { LUCENE_CHANGES } from "./documented-changes.js";
import { queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { countKnown, disagreement, documentedChanges, formatStats, newStats, withChanges } from "./law.js";

/** Lucene refuses keyword search; everything else must print. */
const luceneQueries = withEvents(queryWhere((l) => l.kind !== "keyword"));

test("evaluate(ir) = evaluate(parseLucene(printLucene(ir))) on random events", () => {
  const stats = newStats();
  fc.assert(
    fc.property(luceneQueries, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const printed = printLucene(ir);
      if (printed.issues.some((i) => i.severity === "error")) {
        stats.refused++;
        return;
      }
      if (printed.issues.length > 0) stats.changed++;
      const expected = withChanges(ir, documentedChanges(printed.issues, LUCENE_CHANGES));
      const back = parseLucene(printed.text);
      if (!back.ok) throw new Error(`${printed.text}: ${back.error.code} ${back.error.message}`);
      const msg = disagreement(expected, (e) => evaluate(back.value, e), events, printed.text, [], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("Lucene", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.1, formatStats("Lucene", stats));
});

test.run();
