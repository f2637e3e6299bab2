import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CompareOp, Expr, Query } from "../../src/ir/query.js";
import { evaluate } from "../../src/eval/index.js";
import { call, field, nLit, sLit } from "./build.js";

const cmp = (op: CompareOp, left: Expr, right: Expr): Query => ({ kind: "compare", op, left, right });
const pred = (expr: Expr): Query => ({ kind: "predicate", expr });

function run(q: Query, event: Record<string, unknown> = {}): boolean | string {
  const r = evaluate(q, event);
  return r.ok ? r.matched : `error: ${r.reason}`;
}

const ev = { path: "C:\\Windows\\System32\\cmd.exe", args: ["a", "bb", "ccc"], n: 7, ip: "10.1.2.3", s: "0x1F" };

const fns = suite("EQL functions");
fns("startsWith / endsWith / stringContains, ~ folds case", () => {
  assert.is(run(pred(call("startsWith", [field("path"), sLit("C:\\Windows")])), ev), true);
  assert.is(run(pred(call("startsWith", [field("path"), sLit("c:\\windows")])), ev), false);
  assert.is(run(pred(call("startsWith", [field("path"), sLit("c:\\windows")], true)), ev), true);
  assert.is(run(pred(call("endsWith", [field("path"), sLit(".EXE")], true)), ev), true);
  assert.is(run(pred(call("endsWith", [field("path"), sLit(".dll")])), ev), false);
  assert.is(run(pred(call("stringContains", [field("path"), sLit("System32")])), ev), true);
  assert.is(run(pred(call("stringContains", [field("path"), sLit("system32")])), ev), false);
  assert.is(run(pred(call("stringContains", [field("args"), sLit("cc")])), ev), true);
  assert.is(run(pred(call("startsWith", [field("missing"), sLit("a")])), ev), false);
});
fns("charLength (ES|QL's LENGTH) counts code points and is null on a multi-valued field; EQL's length counts UTF-16 units of each value", () => {
  const e = { s: "a\u{1F600}b", many: ["aaaa", "b"], one: ["abc"] };
  assert.is(run(cmp("eq", call("charLength", [field("s")]), nLit(3)), e), true);
  assert.is(run(cmp("eq", call("length", [field("s")]), nLit(4)), e), true);
  assert.is(run(cmp("gt", call("length", [field("many")]), nLit(3)), e), true);
  assert.is(run(cmp("gt", call("charLength", [field("many")]), nLit(3)), e), false);
  assert.is(run(cmp("lte", call("charLength", [field("many")]), nLit(3)), e), false);
  assert.is(run(cmp("eq", call("charLength", [field("one")]), nLit(3)), e), true);
  assert.is(run(cmp("gte", call("charLength", [field("missing")]), nLit(0)), e), false);
});
fns("length, indexOf, substring, between", () => {
  assert.is(run(cmp("eq", call("length", [field("path")]), nLit(ev.path.length)), ev), true);
  assert.is(run(cmp("gt", call("length", [field("args")]), nLit(2)), ev), true); // ccc
  assert.is(run(cmp("gt", call("length", [field("args")]), nLit(3)), ev), false);
  assert.is(run(cmp("eq", call("indexOf", [field("path"), sLit("Windows")]), nLit(3)), ev), true);
  assert.is(run(cmp("eq", call("indexOf", [field("path"), sLit("windows")], true), nLit(3)), ev), true);
  assert.is(run(cmp("eq", call("indexOf", [field("path"), sLit("s"), nLit(4)]), nLit(9)), ev), true);
  assert.is(run(cmp("eq", call("indexOf", [field("path"), sLit("zzz")]), { kind: "literal", value: { kind: "null" } }), ev), true);
  assert.is(run(cmp("eq", call("substring", [field("path"), nLit(-7)]), sLit("cmd.exe")), ev), true);
  assert.is(run(cmp("eq", call("substring", [field("path"), nLit(0), nLit(2)]), sLit("C:")), ev), true);
  assert.is(run(cmp("eq", call("substring", [field("path"), nLit(-7), nLit(-4)]), sLit("cmd")), ev), true);
  assert.is(run(cmp("eq", call("between", [field("path"), sLit("System32\\"), sLit(".exe")]), sLit("cmd")), ev), true);
  assert.is(run(cmp("eq", call("between", [field("path"), sLit("system32\\"), sLit(".exe")]), sLit("")), ev), true);
  assert.is(run(cmp("eq", call("between", [field("path"), sLit("system32\\"), sLit(".exe")], true), sLit("cmd")), ev), true);
});
fns("concat, number, string", () => {
  assert.is(run(cmp("eq", call("concat", [sLit("n="), field("n")]), sLit("n=7")), ev), true);
  assert.is(run(cmp("eq", call("concat", [sLit("n="), field("nothing")]), { kind: "literal", value: { kind: "null" } }), ev), true);
  assert.is(run(cmp("eq", call("number", [field("s"), nLit(16)]), nLit(31)), ev), true);
  assert.is(run(cmp("eq", call("number", [sLit("12.5")]), nLit(12.5)), ev), true);
  assert.is(run(cmp("eq", call("string", [field("n")]), sLit("7")), ev), true);
});
fns("arithmetic functions and arith nodes", () => {
  assert.is(run(cmp("eq", call("add", [field("n"), nLit(3)]), nLit(10)), ev), true);
  assert.is(run(cmp("eq", call("subtract", [field("n"), nLit(3)]), nLit(4)), ev), true);
  assert.is(run(cmp("eq", call("multiply", [field("n"), nLit(3)]), nLit(21)), ev), true);
  assert.is(run(cmp("eq", call("divide", [field("n"), nLit(2)]), nLit(3)), ev), true); // integer division
  assert.is(run(cmp("eq", call("divide", [nLit(7.0), nLit(2.5)]), nLit(2.8)), ev), true);
  assert.is(run(cmp("eq", call("modulo", [field("n"), nLit(4)]), nLit(3)), ev), true);
  assert.is(run(cmp("eq", { kind: "arith", op: "+", left: field("n"), right: nLit(1) }, nLit(8)), ev), true);
  assert.is(run(cmp("eq", { kind: "arith", op: "+", left: field("none"), right: nLit(1) }, nLit(1)), ev), false);
  assert.is(run(cmp("eq", call("divide", [field("n"), nLit(0)]), nLit(0)), ev), false);
});
fns("cidrMatch", () => {
  assert.is(run(pred(call("cidrMatch", [field("ip"), sLit("192.168.0.0/16"), sLit("10.0.0.0/8")])), ev), true);
  assert.is(run(pred(call("cidrMatch", [field("ip"), sLit("192.168.0.0/16")])), ev), false);
  assert.match(String(run(pred(call("cidrMatch", [field("ip"), sLit("nope")])), ev)), /^error/);
});
fns("unknown function and bad arity are error values", () => {
  assert.match(String(run(pred(call("frobnicate", [field("ip")])))), /^error/);
  assert.match(String(run(pred(call("length", [field("a"), field("b")])))), /^error/);
  assert.match(String(run(pred(call("toString", [field("a")])))), /^error/);
});
fns.run();

const compare = suite("compare");
compare("ops, null, coercion", () => {
  assert.is(run(cmp("eq", field("n"), nLit(7)), ev), true);
  assert.is(run(cmp("neq", field("n"), nLit(7)), ev), false);
  assert.is(run(cmp("lt", field("n"), nLit(8)), ev), true);
  assert.is(run(cmp("gte", field("n"), nLit(8)), ev), false);
  assert.is(run(cmp("eq", field("n"), sLit("7")), ev), true);
  assert.is(run(cmp("eq", field("gone"), { kind: "literal", value: { kind: "null" } }), ev), true);
  assert.is(run(cmp("lt", field("gone"), nLit(1)), ev), false);
  assert.is(run(cmp("eq", field("path"), sLit("c:\\windows\\system32\\cmd.exe")), ev), false);
  assert.is(run(cmp("eq", field("args"), sLit("bb")), ev), true);
});
compare.run();
