import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { printKql } from "../../src/query/kql/kql-printer.js";
import { KQL_CHANGES } from "./documented-changes.js";
import { hasOneWildcard, queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { countKnown, disagreement, documentedChanges, formatStats, newStats, withChanges } from "./law.js";

/** KQL has no regular expressions and no single-character wildcard. */
const kqlQueries = withEvents(queryWhere((l) => l.kind !== "regex" && !hasOneWildcard(l)));

test("evaluate(ir) = evaluate(parseKql(printKql(ir))) on random events", () => {
  const stats = newStats();
  fc.assert(
    fc.property(kqlQueries, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const printed = printKql(ir);
      if (printed.issues.some((i) => i.severity === "error")) {
        stats.refused++;
        return;
      }
      if (printed.issues.length > 0) stats.changed++;
      const expected = withChanges(ir, documentedChanges(printed.issues, KQL_CHANGES));
      const back = parseKql(printed.text);
      if (!back.ok) throw new Error(`${printed.text}: ${back.error.code} ${back.error.message}`);
      const msg = disagreement(expected, (e) => evaluate(back.value, e), events, printed.text, [], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("KQL", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.1, formatStats("KQL", stats));
});

test.run();
