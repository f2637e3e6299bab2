/**
 * The two laws every SPL form rulecast writes must keep (a raw search, a tstats search), run over
 * generated queries with their events and read back with the SPL oracle:
 * - the search part alone (before any `| where`) matches a superset of the IR, exactly the IR when
 *   there is no `| where`, since Splunk's index search is the step that must not lose events;
 * - the whole pipeline matches exactly what the IR matches.
 * Each returns the counts its test bounds.
 */
import fc from "fast-check";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { evaluateSpl, evaluateSplSearch } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { RUNS } from "./arbitraries.js";
import { countKnown, disagreement, newStats, type Known, type LawStats } from "./law.js";

/** SPL text for a query, and whether its search part is exact (no `| where` follows); undefined: refused. */
export type SplRender = (q: Query) => { readonly text: string; readonly exactSearch: boolean } | undefined;

type Cases = fc.Arbitrary<[Query, Record<string, unknown>[]]>;

/** Reads the text back with the oracle; a text it cannot read is a failure of the law. */
function readBack(text: string) {
  const back = parseSpl(text);
  if (!back.ok) throw new Error(`${text}\n${back.error.code} ${back.error.message} at ${back.error.offset}`);
  return back.value;
}

/** `part` names the search part in a failure (`the search part`, `the where clause`). */
export function searchPartLaw(cases: Cases, render: SplRender, known: readonly Known[], part: string): LawStats {
  const stats = newStats();
  fc.assert(
    fc.property(cases, ([ir, events]) => {
      stats.cases++;
      const c = compileQuery(ir);
      if (!c.ok) {
        stats.unevaluable++;
        return;
      }
      const spl = render(ir);
      if (!spl) {
        stats.refused++;
        return;
      }
      const back = readBack(spl.text);
      for (const e of events) {
        const want = c.test(e);
        const got = evaluateSplSearch(back, e);
        if (!got.ok) throw new Error(`${spl.text}\n${got.reason}`);
        if (spl.exactSearch ? got.matched !== want : want && !got.matched) {
          const k = known.find((x) => x.applies(ir, e));
          if (k) {
            countKnown(stats)(k);
            continue;
          }
          throw new Error(`${spl.text}\nIR ${JSON.stringify(ir)}\nevent ${JSON.stringify(e)}\nIR says ${want}, ${part} says ${got.matched} (${spl.exactSearch ? "exact" : "superset"})`);
        }
      }
    }),
    RUNS,
  );
  return stats;
}

export function pipelineLaw(cases: Cases, render: SplRender, known: readonly Known[]): LawStats {
  const stats = newStats();
  fc.assert(
    fc.property(cases, ([ir, events]) => {
      stats.cases++;
      if (!compileQuery(ir).ok) {
        stats.unevaluable++;
        return;
      }
      const spl = render(ir);
      if (!spl) {
        stats.refused++;
        return;
      }
      const back = readBack(spl.text);
      const msg = disagreement(ir, (e) => evaluateSpl(back, e), events, spl.text, known, countKnown(stats));
      if (msg) throw new Error(msg);
    }),
    RUNS,
  );
  return stats;
}
