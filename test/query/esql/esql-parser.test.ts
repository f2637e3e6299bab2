import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineColAt } from "../../../src/diagnostics/source-text.js";
import type { EsqlCommand, EsqlExpr } from "../../../src/query/esql/esql-ast.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { stripSpans } from "../eql/strip-spans.js";

function where(text: string): EsqlExpr {
  const r = parseEsqlAst(`FROM logs-* | WHERE ${text}`);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  const w = r.value.commands[1];
  if (w?.t !== "where") throw new Error("no WHERE");
  return stripSpans(w.cond);
}

function commands(text: string): EsqlCommand[] {
  const r = parseEsqlAst(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  return stripSpans([...r.value.commands]);
}

/** Kibana's parser's own samples (../shared/oracles/esql/samples): the same verdict, release grammar. */
for (const file of ["broken", "features"]) {
  const samples = readFileSync(`../shared/oracles/esql/samples/${file}.jsonl`, "utf8").split("\n").filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; query: string; accept: boolean; accept_release?: boolean });
  test(`the oracle's ${file} samples: accepted or rejected as by Kibana's release parser`, () => {
    assert.ok(samples.length > 10);
    for (const s of samples) assert.is(parseEsqlAst(s.query).ok, s.accept_release ?? s.accept, `${s.id}: ${s.query}`);
  });
}

test("FROM: index patterns, clusters and selectors, quoted names, METADATA", () => {
  assert.equal(commands("FROM logs-endpoint.events.process-*, .alerts-security.*, remote:logs-*, \"my index\", logs::failures METADATA _id, _index, _version")[0], {
    t: "from",
    sources: [{ name: "logs-endpoint.events.process-*" }, { name: ".alerts-security.*" }, { name: "remote:logs-*" }, { name: "my index" }, { name: "logs::failures" }],
    metadata: [{ name: "_id" }, { name: "_index" }, { name: "_version" }],
  });
});

test("keywords in any case; comments (nested) and line breaks anywhere", () => {
  assert.equal(where("a == 1 /* one /* two */ */ and // end\n b like \"x*\""), where("a == 1 AND b LIKE \"x*\""));
});

test("precedence: OR < AND < NOT < predicates < comparison < + - < * / % < sign < ::", () => {
  assert.equal(where("NOT a AND b"), { t: "and", operands: [{ t: "not", operand: { t: "field", name: "a" } }, { t: "field", name: "b" }] });
  assert.equal(where("a OR b AND c"), { t: "or", operands: [{ t: "field", name: "a" }, { t: "and", operands: [{ t: "field", name: "b" }, { t: "field", name: "c" }] }] });
  assert.equal(where("NOT a IN (1)"), { t: "not", operand: { t: "in", negated: false, operand: { t: "field", name: "a" }, items: [{ t: "lit", value: { type: "integer", value: 1, raw: "1" } }] } });
  assert.equal(where("a NOT LIKE \"x\""), { t: "like", op: "like", negated: true, operand: { t: "field", name: "a" }, patterns: [{ value: "x" }] });
  assert.equal(where("a + 1 * 2 > -3::long"), {
    t: "cmp", op: ">",
    left: { t: "arith", op: "+", left: { t: "field", name: "a" }, right: { t: "arith", op: "*", left: { t: "lit", value: { type: "integer", value: 1, raw: "1" } }, right: { t: "lit", value: { type: "integer", value: 2, raw: "2" } } } },
    right: { t: "neg", operand: { t: "cast", operand: { t: "lit", value: { type: "integer", value: 3, raw: "3" } }, type: "long" } },
  });
  assert.equal(where("a IS NOT NULL"), { t: "isnull", negated: true, operand: { t: "field", name: "a" } });
});

test("strings: the escape table, raw strings, and their edges", () => {
  const lit = (s: string) => {
    const e = where(`a == ${s}`);
    return e.t === "cmp" && e.right.t === "lit" && e.right.value.type === "string" ? e.right.value.value : undefined;
  };
  assert.is(lit('"a\\tb\\nc\\r\\"d\\\\"'), 'a\tb\nc\r"d\\');
  assert.is(lit('"""C:\\Windows\\"cmd".exe"""'), 'C:\\Windows\\"cmd".exe');
  // Up to two quotes after the closing ones belong to the text.
  assert.is(lit('"""ends with a quote""""'), 'ends with a quote"');
  assert.is(lit('"""two"""""'), 'two""');
  assert.is(lit('"é🔥"'), "é🔥");
});

test("names: backquotes (doubled inside), dotted segments, `@timestamp`, keywords only quoted", () => {
  assert.equal(where("`a.b` == `odd``name`.x"), { t: "cmp", op: "==", left: { t: "field", name: "a.b" }, right: { t: "field", name: "odd`name.x" } });
  assert.equal(where("source.as.number == @timestamp"), { t: "cmp", op: "==", left: { t: "field", name: "source.as.number" }, right: { t: "field", name: "@timestamp" } });
  assert.equal(where("network.`no-wait` == false"), { t: "cmp", op: "==", left: { t: "field", name: "network.no-wait" }, right: { t: "lit", value: { type: "boolean", value: false } } });
});

test("functions, COUNT(*), options maps, time spans and list constants", () => {
  assert.equal(where("MATCH(f, \"x\", {\"fuzziness\": 1}) AND DATE_TRUNC(5 minutes, @timestamp) == x AND MV_CONTAINS(f, [\"a\", \"b\"])"), {
    t: "and",
    operands: [
      { t: "call", name: "match", args: [{ t: "field", name: "f" }, { t: "lit", value: { type: "string", value: "x" } }], star: false, options: '{ "fuzziness" : 1 }' },
      { t: "cmp", op: "==", left: { t: "call", name: "date_trunc", args: [{ t: "timespan", value: 5, unit: "minutes" }, { t: "field", name: "@timestamp" }], star: false }, right: { t: "field", name: "x" } },
      { t: "call", name: "mv_contains", args: [{ t: "field", name: "f" }, { t: "lit", value: { type: "list", items: [{ type: "string", value: "a" }, { type: "string", value: "b" }] } }], star: false },
    ],
  });
  assert.equal(commands("FROM x | STATS c = COUNT(*) WHERE a > 1, COUNT_DISTINCT(b) BY k, t = DATE_TRUNC(1h, @timestamp)")[1], {
    t: "stats", inline: false,
    aggs: [
      { field: { name: "c", expr: { t: "call", name: "count", args: [], star: true } }, where: { t: "cmp", op: ">", left: { t: "field", name: "a" }, right: { t: "lit", value: { type: "integer", value: 1, raw: "1" } } } },
      { field: { expr: { t: "call", name: "count_distinct", args: [{ t: "field", name: "b" }], star: false } } },
    ],
    by: [{ expr: { t: "field", name: "k" } }, { name: "t", expr: { t: "call", name: "date_trunc", args: [{ t: "timespan", value: 1, unit: "h" }, { t: "field", name: "@timestamp" }], star: false } }],
  });
});

test("processing commands", () => {
  const c = commands([
    "FROM x", "INLINE STATS m = MAX(a) BY b", "KEEP Esql.*, a, *", "DROP `b.c`", "RENAME a AS b, c = d", "SORT a DESC NULLS FIRST, b",
    "LIMIT 10", "MV_EXPAND event.action", "DISSECT msg \"%{a} %{b}\" APPEND_SEPARATOR = \",\"", "GROK msg \"%{IP:ip}\", \"%{WORD:w}\"",
    "ENRICH policy ON a WITH b", "LOOKUP JOIN hosts ON host.name", "COMPLETION r = p WITH { \"inference_id\": \"x\" }",
  ].join(" | "));
  assert.equal(c.map((x) => (x.t === "other" ? `other:${x.name}` : x.t)), ["from", "stats", "keep", "drop", "rename", "sort", "limit", "mv_expand", "dissect", "grok", "other:enrich", "other:lookup join", "other:completion"]);
  assert.equal(c[2], { t: "keep", patterns: [{ name: "Esql.*" }, { name: "a" }, { name: "*" }] });
  assert.equal(c[4], { t: "rename", pairs: [{ from: { name: "a" }, to: { name: "b" } }, { from: { name: "d" }, to: { name: "c" } }] });
  assert.equal(c[5], { t: "sort", keys: [{ expr: { t: "field", name: "a" }, desc: true, nulls: "first" }, { expr: { t: "field", name: "b" }, desc: false }] });
});

/** Each case: the query, the error code, and where it points (line:column). */
const ERRORS: readonly (readonly [string, string, string])[] = [
  ["", "esql/empty-query", "1:1"],
  ['FROM logs-* | WHERE a == "x', "esql/unterminated-string", "1:26"],
  ['FROM logs-*\n| WHERE a == "x\ny"', "esql/unterminated-string", "2:14"],
  ['FROM logs-* | WHERE a == """x\n"""', "esql/unterminated-string", "1:26"],
  ['FROM logs-* | WHERE a == "C:\\Windows"', "esql/bad-escape", "1:29"],
  ["FROM logs-* | WHERE a == 'x'", "esql/single-quote", "1:26"],
  ["FROM logs-* | WHERE a = 1", "esql/single-equals", "1:23"],
  ['FROM logs-* | WHERE a =~ "x"', "esql/case-insensitive-equals", "1:23"],
  ["FROM logs-* | WHERE a < b < c", "esql/chained-comparison", "1:27"],
  ["FROM logs-* | WHERE a == ?p", "esql/parameter", "1:26"],
  ["FROM logs-* | WHERE a == 1 /* open", "esql/unterminated-comment", "1:28"],
  ["FROM logs-* | KEEP `a", "esql/unterminated-identifier", "1:20"],
  ["FROM logs-* | FILTER a == 1", "esql/unknown-command", "1:15"],
  ["WHERE a == 1", "esql/unexpected-token", "1:1"],
  ["FROM logs-* | WHERE", "esql/unexpected-end", "1:20"],
  ["FROM logs-* |", "esql/unexpected-end", "1:14"],
  ["FROM logs-* | WHERE a IN 1, 2", "esql/unexpected-token", "1:26"],
  ["FROM logs-* | WHERE a LIKE b", "esql/unexpected-token", "1:28"],
  ["FROM logs-* | WHERE a == [1, \"x\"]", "esql/mixed-list", "1:26"],
  ["FROM logs-* | WHERE LENGTH(a) : \"x\"", "esql/match-operand", "1:21"],
  ["FROM logs-* | STATS", "esql/unexpected-end", "1:20"],
  ["FROM logs-* | LIMIT x", "esql/unexpected-token", "1:21"],
  ["FROM logs-* | WHERE a == 1 #", "esql/unexpected-character", "1:28"],
];

for (const [text, code, at] of ERRORS) {
  test(`${code} at ${at}: ${JSON.stringify(text)}`, () => {
    const r = parseEsqlAst(text);
    if (r.ok) return assert.unreachable(`parsed: ${JSON.stringify(r.value)}`);
    assert.is(r.error.code, code, r.error.message);
    const lc = lineColAt(text, r.error.offset);
    assert.is(`${lc.line}:${lc.col}`, at, r.error.message);
    assert.ok(r.error.message.length > 0);
  });
}

test("nesting is bounded; long AND/OR chains are not nesting", () => {
  const deep = parseEsqlAst(`FROM x | WHERE ${"(".repeat(150)}a${")".repeat(150)}`);
  assert.is(!deep.ok && deep.error.code, "esql/nesting-too-deep");
  const nots = parseEsqlAst(`FROM x | WHERE ${"NOT ".repeat(150)}a`);
  assert.is(!nots.ok && nots.error.code, "esql/nesting-too-deep");
  const chain = parseEsqlAst(`FROM x | WHERE ${Array.from({ length: 20_000 }, (_, i) => `a == "${i}"`).join(" OR ")}`);
  assert.ok(chain.ok && chain.value.commands[1]?.t === "where" && chain.value.commands[1].cond.t === "or" && chain.value.commands[1].cond.operands.length === 20_000);
});

test.run();
