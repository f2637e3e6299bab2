import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import type { CimDataset } from "../../src/mapping/cim-mapping.js";
import { renderTstats } from "../../src/targets/splunk/spl-tstats.js";
import { FIELDS, queryWhere, withEvents } from "./arbitraries.js";
import { formatStats } from "./law.js";
import { pipelineLaw, searchPartLaw } from "./spl-laws.js";

/** A data set holding every generated field, grouping by one of them for context (as `dest`). */
const DATASET: CimDataset = { key: "Test.Things", model: "Test", object: "Things", fields: [...FIELDS], tags: ["test"], group: ["a"] };

/**
 * About a third of the generated queries need `| where` on a field they do not require (`NOT a=~/x/`):
 * those are refused by design (splunk/tstats-group), so the bound on refusals is 40 %.
 * tstats has no event text (keywords are refused by name) and SPL refuses string range bounds. */
const tstatsQueries = withEvents(queryWhere((l) => l.kind !== "keyword" && !(l.kind === "range" && l.value.kind !== "number")));

function render(q: Query): { text: string; exactSearch: boolean } | undefined {
  const r = renderTstats(q, DATASET, { summariesOnly: false });
  if (r.issues.some((i) => i.severity === "error")) return undefined;
  return { text: r.text, exactSearch: !r.text.includes("\n| where ") };
}

test("tstats: the where clause alone matches a superset of the IR (exactly the IR when there is no `| where`)", () => {
  const stats = searchPartLaw(tstatsQueries, render, [], "the where clause");
  console.log(formatStats("tstats where", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.4, formatStats("tstats where", stats));
});

test("tstats: evaluate(ir) = evaluateSpl(parseSpl(renderTstats(ir))) over the grouped rows", () => {
  const stats = pipelineLaw(tstatsQueries, render, []);
  console.log(formatStats("tstats pipeline", stats));
  assert.ok(stats.refused + stats.unevaluable < stats.cases * 0.4, formatStats("tstats pipeline", stats));
});

test("tstats: a field the query does not require cannot be grouped for `| where`, and is refused by name", () => {
  const q: Query = { kind: "not", child: { kind: "regex", field: "b", pattern: "x", dialect: "pcre", caseSensitive: true } };
  const r = renderTstats(q, DATASET, { summariesOnly: false });
  assert.equal(r.issues.map((i) => [i.code, i.reason.split(":")[0]]), [["splunk/tstats-group", "`b` cannot be grouped"]]);
});

test("tstats: ESCU's form, with the exact `| where` after drop_dm_object_name", () => {
  const q: Query = {
    kind: "and",
    children: [
      { kind: "match", field: "a", value: { kind: "string", parts: [{ kind: "text", value: "cmd.exe" }] }, caseSensitive: false },
      { kind: "regex", field: "b", pattern: "^x+$", dialect: "pcre", caseSensitive: true },
    ],
  };
  assert.equal(
    renderTstats(q, DATASET, { summariesOnly: true }).text,
    [
      '| tstats summariesonly=true allow_old_summaries=true fillnull_value=null count min(_time) as firstTime max(_time) as lastTime from datamodel=Test.Things where Things.a="cmd.exe" by Things.a Things.b',
      "| `drop_dm_object_name(Things)`",
      '| where match(b, "^x+$")',
    ].join("\n"),
  );
});

test.run();
