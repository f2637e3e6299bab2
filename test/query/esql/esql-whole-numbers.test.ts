/**
 * `TO_INTEGER(f)` / `TO_LONG(f)` compared with a number: Elasticsearch rounds half up after a range
 * check (NULL outside the type's range), so each comparison is bounds on `f` itself. Checked against
 * rulecast's ES|QL evaluator, which converts as Elasticsearch does, over values around every bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../../src/ir/query.js";
import { esqlMatches } from "../../../src/eval/esql-run.js";
import { compileQuery } from "../../../src/eval/evaluate.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { and, num } from "../../eval/build.js";
import { stripSpans } from "../eql/strip-spans.js";

const range = (op: "lt" | "lte" | "gt" | "gte", n: number): Query => ({ kind: "range", field: "n", op, value: num(n) });

function read(cond: string): Query {
  const r = readEsql(`FROM x | WHERE ${cond}`);
  if (!r.ok || r.value.kind !== "ir") throw new Error(`${cond}: ${JSON.stringify(r)}`);
  return stripSpans(r.value.query);
}

test("TO_INTEGER(f) <= 3 is f < 3.5 within the integer range; == is the half-open interval around it", () => {
  assert.equal(read("TO_INTEGER(n) <= 3"), and(range("gte", -2147483648), range("lt", 3.5)));
  assert.equal(read("TO_INTEGER(n) > 3"), and(range("gte", 3.5), range("lte", 2147483647)));
  assert.equal(read("n::integer == 3"), and(range("gte", 2.5), range("lt", 3.5)));
  assert.equal(read("TO_INTEGER(n) == 2.5"), { kind: "none" });
  assert.equal(read("TO_INTEGER(n) > 3000000000"), { kind: "none" });
  assert.equal(read("TO_LONG(n) < 3000000000"), and(range("gte", -(2 ** 63)), range("lt", 2999999999.5)));
  // TO_INTEGER(true) is 1: on an ECS boolean field the bounds would not say it.
  const r = readEsql("FROM x | WHERE TO_INTEGER(dns.header_flags_ok) <= 3");
  assert.ok(r.ok && r.value.kind === "ir", "a field ECS does not type is read");
  const b = readEsql("FROM x | WHERE TO_INTEGER(process.interactive) <= 3");
  assert.ok(b.ok && b.value.kind === "refused" && b.value.refusal.code === "esql/unsupported-function");
});

const EVENTS: readonly Record<string, unknown>[] = [
  {}, { n: null }, { n: "abc" }, { n: true },
  ...[-2147483649, -2147483648.5, -2147483648, -2.5, -0.5, 0, 2.4999, 2.5, 3, 3.4999, 3.5, 4, 2147483647, 2147483647.4, 2147483648, 1e20]
    .flatMap((n) => [{ n }, { n: String(n) }]),
];

const CONDITIONS = [
  "TO_INTEGER(n) <= 3", "TO_INTEGER(n) < 3", "TO_INTEGER(n) >= 3", "TO_INTEGER(n) > 3", "TO_INTEGER(n) == 3", "TO_INTEGER(n) != 3",
  "TO_INTEGER(n) < -2.5", "TO_INTEGER(n) >= -2.5", "NOT TO_INTEGER(n) > 3", "TO_INTEGER(n) IS NOT NULL", "TO_INTEGER(n) IS NULL",
  "TO_LONG(n) <= 3", "n::long > 2147483647", "TO_INT(n) == 0",
];

test("each reading matches what ES|QL matches, and so does the IR printed back as ES|QL", () => {
  for (const cond of CONDITIONS) {
    const text = `FROM x | WHERE ${cond}`;
    const ast = parseEsqlAst(text);
    assert.ok(ast.ok, text);
    if (!ast.ok) continue;
    const ir = read(cond);
    const want = compileQuery(ir);
    assert.ok(want.ok, cond);
    if (!want.ok) continue;
    const printed = parseEsqlAst(printEsql(ir, { indices: ["x"] }).text);
    assert.ok(printed.ok, cond);
    for (const event of EVENTS.filter((e) => typeof e.n !== "boolean")) {
      const got = esqlMatches(ast.value, event);
      assert.ok(got.ok, `${cond} ${JSON.stringify(event)}`);
      if (got.ok) assert.is(want.test(event), got.matched, `${cond} ${JSON.stringify(event)}`);
      if (printed.ok) {
        const back = esqlMatches(printed.value, event);
        assert.ok(back.ok && back.matched === got.matched, `printed ${cond} ${JSON.stringify(event)}`);
      }
    }
  }
});

test("the ES|QL evaluator converts as Elasticsearch does: rounded half up, NULL outside the range", () => {
  const row = (expr: string, n: unknown) => {
    const ast = parseEsqlAst(`FROM x | WHERE ${expr}`);
    if (!ast.ok) throw new Error(expr);
    const r = esqlMatches(ast.value, { n });
    return r.ok && r.matched;
  };
  assert.ok(row("TO_INTEGER(n) == 4", 3.5));
  assert.ok(row("TO_INTEGER(n) == -2", -2.5));
  assert.ok(row("TO_INTEGER(n) == 3", "3.4"));
  assert.ok(row("TO_INTEGER(n) IS NULL", 2147483648));
  assert.ok(row("TO_LONG(n) == 2147483648", 2147483648));
});

test.run();
