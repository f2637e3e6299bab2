import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { evaluateSpl, evaluateSplSearch } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { renderSplQuery } from "../../src/query/spl/spl-printer.js";
import { queryWhere, RUNS, withEvents } from "./arbitraries.js";
import { EMPTY_EVENT_TEXT } from "./known-differences.js";
import { countKnown, disagreement, formatStats, newStats } from "./law.js";

/** The pipeline text as the Splunk target assembles it (index.ts): search, then `| where`. */
function splText(q: Query): { text: string; exactSearch: boolean } | undefined {
  const r = renderSplQuery(q);
  if (r.issues.some((i) => i.severity === "error")) return undefined;
  return { text: [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n"), exactSearch: r.where === undefined };
}

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
          const k = [EMPTY_EVENT_TEXT].find((x) => x.applies(ir, e));
          if (k) {
            countKnown(stats)(k);
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
      const msg = disagreement(ir, (e) => evaluateSpl(back.value, e), events, spl.text, [EMPTY_EVENT_TEXT], countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  console.log(formatStats("SPL pipeline", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("SPL pipeline", stats));
});

test.run();
