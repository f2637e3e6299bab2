import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import { renderSigmaDetection } from "../../src/query/sigma/sigma-detection-printer.js";
import { queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { BOOLEAN_STRING_CASE } from "./known-differences.js";
import { countKnown, disagreement, formatStats, newStats } from "./law.js";
import { readBackSigma, sigmaYaml } from "./sigma-document.js";

/** Sigma keywords are case-insensitive and its comparisons take numbers only. */
const sigmaQueries = withEvents(queryWhere((l) => !(l.kind === "keyword" && l.caseSensitive) && !(l.kind === "range" && l.value.kind !== "number")));

test("evaluate(ir) = evaluate(readSigmaFile(yaml(renderSigmaDetection(ir)))) on random events", () => {
  const stats = newStats();
  const refusals = new Map<string, number>();
  fc.assert(
    fc.property(sigmaQueries, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const d = renderSigmaDetection(ir);
      const errors = d.issues.filter((i) => i.severity === "error");
      if (errors.length > 0) {
        stats.refused++;
        for (const e of errors) refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
        return;
      }
      // renderSigmaDetection reports errors only: a usable rendering must mean exactly the IR.
      const text = sigmaYaml(d.detection);
      const back = readBackSigma(text);
      if (!back.ok) throw new Error(`${text}\nread back: ${back.reason}`);
      const msg = disagreement(ir, (e) => evaluate(back.query, e), events, text, [BOOLEAN_STRING_CASE], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("Sigma", stats), [...refusals].map(([c, n]) => `${c}: ${n}`).join(", "));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("Sigma", stats));
});

test.run();
