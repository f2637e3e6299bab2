import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { renderSplQuery } from "../../src/query/spl/spl-printer.js";
import { queryWhere, withEvents } from "./arbitraries.js";
import { EMPTY_EVENT_TEXT } from "./known-differences.js";
import { formatStats } from "./law.js";
import { pipelineLaw, searchPartLaw } from "./spl-laws.js";

/** The pipeline text as the Splunk target assembles it (index.ts): search, then `| where`. */
function splText(q: Query): { text: string; exactSearch: boolean } | undefined {
  const r = renderSplQuery(q);
  if (r.issues.some((i) => i.severity === "error")) return undefined;
  return { text: [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n"), exactSearch: r.where === undefined };
}

/** SPL refuses string range bounds and case-sensitive free text. */
const splQueries = withEvents(queryWhere((l) => !(l.kind === "keyword" && l.caseSensitive) && !(l.kind === "range" && l.value.kind !== "number")));

test("SPL: the search part alone matches a superset of the IR (exactly the IR when there is no `| where`)", () => {
  const stats = searchPartLaw(splQueries, splText, [EMPTY_EVENT_TEXT], "the search part");
  console.log(formatStats("SPL search", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("SPL search", stats));
});

test("SPL: evaluate(ir) = evaluateSpl(parseSpl(renderSplQuery(ir))) for the whole pipeline", () => {
  const stats = pipelineLaw(splQueries, splText, [EMPTY_EVENT_TEXT]);
  console.log(formatStats("SPL pipeline", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.05, formatStats("SPL pipeline", stats));
});

test.run();
