/**
 * Hostile ES|QL: nesting, long chains and multiplying alternatives stay bounded in depth and time,
 * and end in a named error rather than a stack overflow or a hang.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esqlMatches } from "../../../src/eval/esql-run.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";

test("deep nesting is a syntax error, not a stack overflow", () => {
  for (const text of [`FROM x | WHERE ${"(".repeat(5000)}a${")".repeat(5000)}`, `FROM x | WHERE ${"NOT ".repeat(5000)}a`, `FROM x | WHERE ${"TO_LOWER(".repeat(5000)}a${")".repeat(5000)} == "x"`, `FROM x | WHERE a == ${"-".repeat(5000)}1`]) {
    const r = readEsql(text);
    assert.is(!r.ok && r.error.code, "esql/nesting-too-deep");
  }
});

test("a chain of 50,000 ORs reads, prints and runs", () => {
  const text = `FROM x | WHERE ${Array.from({ length: 50_000 }, (_, i) => `a LIKE "${i}*"`).join(" OR ")}`;
  const r = readEsql(text);
  assert.ok(r.ok && r.value.kind === "ir" && r.value.query.kind === "or" && r.value.query.children.length === 50_000);
  if (!r.ok || r.value.kind !== "ir") return;
  const printed = printEsql(r.value.query);
  const ast = parseEsqlAst(printed.text);
  assert.ok(ast.ok);
  if (ast.ok) assert.equal(esqlMatches(ast.value, { a: "49999x" }), { ok: true, matched: true });
});

test("CASE within CASE: the alternatives are counted and refused past a bound", () => {
  let e = '"v"';
  for (let i = 0; i < 9; i++) e = `CASE(a${i} == "x", ${e}, b${i} == "y", ${e}, ${e})`;
  const started = Date.now();
  const r = readEsql(`FROM x | WHERE ${e} == "v"`);
  assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/too-complex");
  // A generous bound: it catches the exponential case, not a slow machine.
  assert.ok(Date.now() - started < 20_000);
});

test("kinds of a CASE repeat the branches before each: refused past a bound on the text they repeat", () => {
  const long = "x".repeat(2000);
  const cases = Array.from({ length: 120 }, (_, i) => `a == "${long}${i}", "v${i}"`).join(", ");
  const started = Date.now();
  const r = readEsql(`FROM x | STATS n = COUNT_DISTINCT(CASE(${cases})) BY k | WHERE n >= 2`);
  assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/too-complex" && /characters of conditions/.test(r.value.refusal.message));
  assert.ok(Date.now() - started < 5_000);
  // The same number of short branches reads (the corpus's RMM rule has 147).
  const short = Array.from({ length: 150 }, (_, i) => `a == "v${i}.exe", "V${i % 60}"`).join(", ");
  const ok = readEsql(`FROM x | EVAL t = CASE(${short}, "") | WHERE t != "" | STATS n = COUNT_DISTINCT(t) BY k | WHERE n >= 2`);
  assert.ok(ok.ok && ok.value.kind === "ir" && ok.value.query.kind === "correlation" && ok.value.query.rules.length === 60);
});

test("conditions used as values within each other are lowered once per polarity", () => {
  let e = "a == 1";
  for (let i = 0; i < 60; i++) e = `(${e}) == (b${i} == ${i})`;
  const started = Date.now();
  const r = readEsql(`FROM x | WHERE ${e}`);
  assert.ok(r.ok);
  // A generous bound: it catches the exponential case, not a slow machine.
  assert.ok(Date.now() - started < 20_000);
});

test("an AND of 50,000 presence tests reads (each test is checked once, not against every other)", () => {
  const started = Date.now();
  const r = readEsql(`FROM x | WHERE ${Array.from({ length: 50_000 }, (_, i) => `a${i} IS NOT NULL`).join(" AND ")} AND a1 == "x"`);
  assert.ok(r.ok && r.value.kind === "ir" && r.value.query.kind === "and" && r.value.query.children.length === 50_000);
  assert.ok(Date.now() - started < 20_000);
});

test("a REPLACE count with thousands of possessive quantifiers: checked once each, refused past a bound", () => {
  const counting = (re: string) => `FROM x | EVAL t = REPLACE(a, """${re}""", "#") | WHERE LENGTH(t) - LENGTH(REPLACE(t, "#", "")) >= 1`;
  const started = Date.now();
  const same = readEsql(counting("\\w++,".repeat(5000)));
  assert.ok(same.ok && same.value.kind === "ir");
  const many = Array.from({ length: 5000 }, (_, i) => `[${String.fromCharCode(0x4e00 + i)}]++,`).join("");
  const r = readEsql(counting(many));
  assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/unsupported-regex" && /more than 32/.test(r.value.refusal.message));
  // A generous bound: each check tries the whole BMP; 5,000 of them would take minutes.
  assert.ok(Date.now() - started < 20_000);
});

test.run();
