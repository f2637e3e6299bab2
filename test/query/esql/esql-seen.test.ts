/**
 * First- and last-seen tests after STATS (`DATE_DIFF("minute", MIN(@timestamp), NOW()) <= 10`)
 * read as counts of events before and after `NOW() - 11 minutes` (esql-lower-seen.ts), and
 * `MAX(f) == MIN(f)` as one distinct value; printed back as ES|QL that Kibana's parser accepts and
 * that reads back the same. Other uses of NOW() after STATS stay refused.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { CorrelationMeasure, NodeOf, Query } from "../../../src/ir/query.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { stripSpans } from "../eql/strip-spans.js";

const FROM = 'FROM logs-* | WHERE event.kind == "alert" | STATS c = COUNT(*), first_seen = MIN(@timestamp), last_seen = MAX(@timestamp), d = COUNT_DISTINCT(host.id) BY rule.name';
const ago = (op: "gt" | "lte", span: string): Query => ({ kind: "range", field: "@timestamp", op, value: { kind: "string", parts: [{ kind: "text", value: `now-${span}` }] } });
const older = (span: string): CorrelationMeasure => ({ type: "event_count", condition: [{ op: "eq", value: 0 }], filter: ago("lte", span) });
const recent = (span: string): CorrelationMeasure => ({ type: "event_count", condition: [{ op: "gte", value: 1 }], filter: ago("gt", span) });

function correlation(text: string): NodeOf<"correlation"> {
  const r = readEsql(text);
  if (!r.ok || r.value.kind !== "ir" || r.value.query.kind !== "correlation") throw new Error(`not read: ${JSON.stringify(r.ok ? r.value.kind === "refused" ? r.value.refusal : r.value.query : r.error)}`);
  return stripSpans(r.value.query) as NodeOf<"correlation">;
}

const READ: readonly (readonly [string, readonly CorrelationMeasure[]])[] = [
  // DATE_DIFF drops a part minute: `<= 10` is "less than 11 minutes ago".
  ['| EVAL r = DATE_DIFF("minute", first_seen, NOW()) | WHERE r <= 10 AND c <= 5', [older("11m"), recent("11m")]],
  ['| WHERE DATE_DIFF("minutes", first_seen, NOW()) < 10 AND c <= 5', [older("10m"), recent("10m")]],
  ['| WHERE 6 >= DATE_DIFF("mi", first_seen, NOW()) AND c <= 5', [older("7m"), recent("7m")]],
  ['| WHERE DATE_DIFF("hour", first_seen, NOW()) <= 0 AND c <= 5', [older("1h"), recent("1h")]],
  // Last seen: one event that recent.
  ['| EVAL r = DATE_DIFF("second", last_seen, NOW()) | WHERE r <= 359 AND c >= 2', [recent("360s")]],
];

for (const [tail, measures] of READ) {
  test(`read and printed back: ${tail}`, () => {
    const q = correlation(`${FROM} ${tail}`);
    assert.equal([...(q.extraMeasures ?? [])].filter((m) => m.filter), measures);
    const printed = printEsql(q, { indices: ["logs-*"] });
    assert.equal(printed.issues.filter((i) => i.severity === "error"), []);
    assert.match(printed.text, "@timestamp > NOW() - ");
    const c = checkEsql(printed.text, { release: true });
    assert.ok(c.ok, `${printed.text}\n${c.first?.message}`);
    // The printer also says the group key is there (`rule.name IS NOT NULL`); the bounds read back the same.
    const back = correlation(printed.text);
    assert.equal([back.condition, back.extraMeasures], [q.condition, q.extraMeasures], printed.text);
  });
}

test("MAX(f) == MIN(f) is one distinct value of f", () => {
  const q = correlation(`${FROM} | WHERE last_seen == first_seen AND c <= 10`);
  assert.equal(q.type, "value_count");
  assert.equal(q.valueField, "@timestamp");
  assert.equal(q.condition, [{ op: "eq", value: 1 }]);
});

test("@timestamp against NOW() less a span in a filter reads as date math, either way round and negated", () => {
  const q = correlation('FROM x | STATS c = COUNT(*), n = COUNT(*) WHERE NOT (NOW() - 2 hours >= @timestamp) BY k | WHERE c >= 2 AND n == 0');
  assert.equal(q.extraMeasures, [{ type: "event_count", condition: [{ op: "eq", value: 0 }], filter: ago("gt", "2h") }]);
});

const REFUSED = [
  // `m` is DATE_DIFF's month; a month has no fixed length.
  '| WHERE DATE_DIFF("m", first_seen, NOW()) <= 10',
  '| WHERE DATE_DIFF("day", first_seen, NOW()) <= 10',
  // At least N minutes ago, and a bound below every whole number of minutes.
  '| WHERE DATE_DIFF("minute", first_seen, NOW()) >= 10',
  '| WHERE DATE_DIFF("minute", first_seen, NOW()) < 0',
  '| WHERE DATE_DIFF("minute", first_seen, NOW()) == 3',
  // Another end, and the minimum of something else.
  '| WHERE DATE_DIFF("minute", NOW(), first_seen) <= 10',
  '| STATS c = COUNT(*), t = MIN(event.created) BY k | WHERE DATE_DIFF("minute", t, NOW()) <= 10',
];

test("other tests against the time of the search stay refused as esql/time-dependent", () => {
  for (const tail of REFUSED) {
    const r = readEsql(tail.startsWith("| STATS") ? `FROM x ${tail}` : `${FROM} ${tail}`);
    assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/time-dependent", `${tail}: ${JSON.stringify(r.ok && r.value.kind === "ir" ? r.value.query : r)}`);
  }
});

test.run();
