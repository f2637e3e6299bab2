/**
 * The tagged events of a CIM data set (`tag=process tag=report ...`), the form a CIM search takes
 * when tstats cannot say the rule, and the step conditions of sequences, samples and correlations
 * over them. `tag` is multi-valued on almost every CIM event, so the law's events carry tag lists
 * (one tag, several, in other case, none) and the forms must select exactly the events whose tags
 * include every tag of the data set. Step conditions are proven with the oracle's
 * `multivalue: "refuse"`: they must not rest on the unconfirmed "any value" reading of eval.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import type { CimDataset } from "../../src/mapping/cim-mapping.js";
import { cimStep, tagged } from "../../src/targets/splunk/splunk-cim.js";
import { evaluateSpl, type SplEvalOptions } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { FIELDS, RUNS, event, queryWhere } from "./arbitraries.js";

const DATASET: CimDataset = { key: "Endpoint.Processes", model: "Endpoint", object: "Processes", fields: [...FIELDS], tags: ["process", "report"], group: ["a"] };

const TAG_LISTS: readonly (readonly string[] | undefined)[] = [
  undefined,
  ["process"],
  ["report"],
  ["process", "report"],
  ["report", "network", "process"],
  ["PROCESS", "Report"],
  ["processes", "report"],
  ["endpoint", "filesystem"],
];

const withTags = fc.tuple(event, fc.constantFrom(...TAG_LISTS)).map(([e, tags]) => (tags ? { ...e, tag: [...tags] } : e));
const cases = fc.tuple(queryWhere((l) => !(l.kind === "keyword" && l.caseSensitive) && !(l.kind === "range" && l.value.kind !== "number")), fc.array(withTags, { minLength: 1, maxLength: 8 }));

/** What the form must mean: every tag of the data set among the event's tags (case-folded), and the query. */
function expected(q: Query): ((e: Record<string, unknown>) => boolean) | undefined {
  const c = compileQuery(q);
  if (!c.ok) return undefined;
  return (e) => {
    const tags = (Array.isArray(e["tag"]) ? (e["tag"] as string[]) : []).map((t) => t.toLowerCase());
    return DATASET.tags.every((t) => tags.includes(t)) && c.test(e);
  };
}

function check(textOf: (q: Query) => string | undefined, opts: SplEvalOptions): { cases: number; refused: number; unevaluable: number } {
  const stats = { cases: 0, refused: 0, unevaluable: 0 };
  fc.assert(
    fc.property(cases, ([q, events]) => {
      stats.cases++;
      const want = expected(q);
      if (!want) return;
      const text = textOf(q);
      if (text === undefined) {
        stats.refused++;
        return;
      }
      const back = parseSpl(text);
      if (!back.ok) throw new Error(`${text}\n${back.error.message}`);
      for (const e of events) {
        const got = evaluateSpl(back.value, e, opts);
        if (!got.ok) {
          // Only the query's own `| where` on a multi-valued field may need the assumption.
          if (opts.multivalue === "refuse" && /multi-valued/.test(got.reason)) {
            stats.unevaluable++;
            continue;
          }
          throw new Error(`${text}\n${got.reason}\nevent ${JSON.stringify(e)}`);
        }
        if (got.matched !== want(e)) throw new Error(`${text}\nIR ${JSON.stringify(q)}\nevent ${JSON.stringify(e)}\nIR with tags says ${want(e)}, SPL says ${got.matched}`);
      }
    }),
    RUNS,
  );
  return stats;
}

function taggedText(q: Query): string | undefined {
  try {
    const r = tagged(q, DATASET);
    return [r.search, ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
  } catch {
    return undefined;
  }
}

function stepText(q: Query): string | undefined {
  try {
    const s = cimStep({ query: q, dataset: DATASET, keys: [] });
    return `${s.search}\n| where ${s.condition}`;
  } catch {
    return undefined;
  }
}

test("tagged CIM search: `tag=process tag=report <search> | where ...` = the data set's tags AND the query", () => {
  const s = check(taggedText, { eventTags: true });
  console.log(`tagged search: ${s.cases} cases, ${s.refused} refused by the printer`);
  assert.ok(s.refused < s.cases * 0.05);
});

test("step condition (sequence, sample, correlation): exact on tag lists, with eval's multivalue reading refused", () => {
  const s = check(stepText, { eventTags: true, multivalue: "refuse" });
  console.log(`step condition: ${s.cases} cases, ${s.refused} refused by the printer, ${s.unevaluable} events unevaluable (the query's own where on a multi-valued field)`);
  assert.ok(s.refused < s.cases * 0.05);
});

test("the tag test itself never needs the any-value assumption; `lower(tag)==` did", () => {
  const step = cimStep({ query: { kind: "all" }, dataset: DATASET, keys: [] });
  assert.is(step.search, "tag=process tag=report");
  assert.is(step.condition, 'isnotnull(mvfind(tag, "(?i)^process$")) AND isnotnull(mvfind(tag, "(?i)^report$"))');
  const opts: SplEvalOptions = { eventTags: true, multivalue: "refuse" };
  const now = parseSpl(`${step.search}\n| where ${step.condition}`);
  const old = parseSpl('*\n| where lower(tag)=="process" AND lower(tag)=="report"');
  if (!now.ok || !old.ok) throw new Error("unreadable");
  for (const tags of TAG_LISTS) {
    const e = tags ? { tag: [...tags] } : {};
    const got = evaluateSpl(now.value, e, opts);
    assert.ok(got.ok, JSON.stringify(e));
    if (tags && tags.length > 1) assert.is(evaluateSpl(old.value, e, opts).ok, false, JSON.stringify(e));
  }
});

test("the oracle: mvfind gives the index of the first matching value, or null", () => {
  const p = (w: string) => {
    const r = parseSpl(`*\n| where ${w}`);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const holds = (w: string, e: Record<string, unknown>) => {
    const r = evaluateSpl(p(w), e, { multivalue: "refuse" });
    if (!r.ok) throw new Error(r.reason);
    return r.matched;
  };
  assert.ok(holds('mvfind(t, "^b$")==1', { t: ["a", "b", "b"] }));
  assert.ok(holds('isnull(mvfind(t, "^c$"))', { t: ["a", "b"] }));
  assert.ok(holds('isnull(mvfind(t, "^c$"))', {}));
  assert.ok(holds('mvfind(t, "(?i)^A$")==0', { t: "a" }));
  // Without eventTags a tag term stays a directive the oracle refuses.
  assert.is(evaluateSpl(parseSpl("tag=process").ok ? (parseSpl("tag=process") as { ok: true; value: never }).value : (undefined as never), { tag: "process" }).ok, false);
});

test.run();
