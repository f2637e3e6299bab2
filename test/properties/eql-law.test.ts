import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { printEql } from "../../src/query/eql/eql-printer.js";
import { EQL_CHANGES } from "./documented-changes.js";
import { queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { BOOLEAN_STRING_CASE } from "./known-differences.js";
import { countKnown, disagreement, documentedChanges, formatStats, newStats, withChanges } from "./law.js";

/** EQL has no free-text search over all fields. */
const eqlQueries = withEvents(queryWhere((l) => l.kind !== "keyword"));

test("evaluate(ir) = evaluate(parseEql(printEql(ir))) on random events", () => {
  const stats = newStats();
  const refusals = new Map<string, number>();
  fc.assert(
    fc.property(eqlQueries, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const printed = printEql(ir);
      const errors = printed.issues.filter((i) => i.severity === "error");
      if (errors.length > 0) {
        stats.refused++;
        for (const e of errors) refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
        return;
      }
      if (printed.issues.length > 0) stats.changed++;
      const expected = withChanges(ir, documentedChanges(printed.issues, EQL_CHANGES));
      if (!compileQuery(expected).ok) {
        // The documented change itself cannot be evaluated (a PCRE construct Lucene lacks).
        stats.unevaluable++;
        return;
      }
      const back = parseEql(printed.text);
      if (!back.ok) throw new Error(`${printed.text}: ${back.error.code} ${back.error.message}`);
      const msg = disagreement(expected, (e) => evaluate(back.value, e), events, printed.text, [BOOLEAN_STRING_CASE], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("EQL", stats), [...refusals].map(([c, n]) => `${c}: ${n}`).join(", "));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.2, formatStats("EQL", stats));
});

test.run();
