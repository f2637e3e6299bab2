import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCondition, selectionsMatching, type ConditionNode } from "../../../src/query/sigma-condition/index.js";

/** Compact form of a condition tree: `(and a (not b))`, `(any-of sel*)`, `(all-of them)`. */
function show(n: ConditionNode): string {
  switch (n.kind) {
    case "and":
    case "or":
      return `(${n.kind} ${n.children.map(show).join(" ")})`;
    case "not":
      return `(not ${show(n.child)})`;
    case "ref":
      return n.name;
    case "of":
      return `(${n.quantifier}-of ${n.target ?? "them"})`;
  }
}

function parsed(text: string): string {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  return show(r.value);
}

function failure(text: string): { code: string; offset: number; hint?: string } {
  const r = parseCondition(text);
  if (r.ok) throw new Error(`${text} parsed as ${show(r.value)}`);
  return { code: r.error.code, offset: r.error.offset, ...(r.error.hint ? { hint: r.error.hint } : {}) };
}

test("single identifier with - and _", () => {
  assert.is(parsed("selection_1-a"), "selection_1-a");
});

test("and binds tighter than or", () => {
  assert.is(parsed("a or b and c"), "(or a (and b c))");
  assert.is(parsed("a and b or c"), "(or (and a b) c)");
});

test("not binds tighter than and", () => {
  assert.is(parsed("not a and b"), "(and (not a) b)");
  assert.is(parsed("a and not b or c"), "(or (and a (not b)) c)");
  assert.is(parsed("not not a"), "(not (not a))");
});

test("parentheses override precedence", () => {
  assert.is(parsed("(a or b) and c"), "(and (or a b) c)");
  assert.is(parsed("not (a or b)"), "(not (or a b))");
  assert.is(parsed("((a))"), "a");
});

test("runs of one operator become one n-ary node", () => {
  assert.is(parsed("a and b and c"), "(and a b c)");
  assert.is(parsed("a or b or c or d"), "(or a b c d)");
});

test("x of forms", () => {
  assert.is(parsed("1 of selection_*"), "(any-of selection_*)");
  assert.is(parsed("any of sel*"), "(any-of sel*)");
  assert.is(parsed("all of them"), "(all-of them)");
  assert.is(parsed("1 of them"), "(any-of them)");
  assert.is(parsed("sel and not 1 of filter_*"), "(and sel (not (any-of filter_*)))");
  assert.is(parsed("all of sel* or x"), "(or (all-of sel*) x)");
});

test("spans point into the condition text", () => {
  const r = parseCondition("sel and not 1 of filter_*");
  assert.ok(r.ok);
  if (!r.ok || r.value.kind !== "and") return;
  assert.equal(r.value.span, { start: 0, end: 25 });
  assert.equal(r.value.children[1]?.span, { start: 8, end: 25 });
});

test("keywords are case-sensitive, as in pySigma's grammar", () => {
  const e = failure("a AND b");
  assert.is(e.code, "sigma/condition-unexpected-token");
  assert.is(e.offset, 2);
  assert.match(e.hint ?? "", /lowercase/);
  assert.is(failure("NOT a").offset, 0);
});

test("syntax errors carry the offset", () => {
  assert.equal(failure("a and"), { code: "sigma/condition-unexpected-end", offset: 5 });
  assert.equal(failure("(a or b"), { code: "sigma/condition-unexpected-end", offset: 7 });
  assert.is(failure("a b").offset, 2);
  assert.is(failure("a or )").offset, 5);
  assert.is(failure("1 of").code, "sigma/condition-unexpected-end");
  assert.is(failure("sel*").code, "sigma/condition-unexpected-token");
  assert.is(failure("a & b").code, "sigma/condition-invalid-character");
  assert.is(failure("a & b").offset, 2);
  assert.is(failure("").code, "sigma/condition-unexpected-end");
});

test("the removed pipe syntax is its own error", () => {
  const e = failure("selection | count() > 5");
  assert.is(e.code, "sigma/condition-pipe");
  assert.is(e.offset, 10);
});

test("selectionsMatching: them skips _-prefixed names, patterns match whole names", () => {
  const names = ["selection", "selection_img", "filter_a", "_internal", "sel"];
  assert.equal(selectionsMatching(null, names), ["selection", "selection_img", "filter_a", "sel"]);
  assert.equal(selectionsMatching("selection*", names), ["selection", "selection_img"]);
  assert.equal(selectionsMatching("sel", names), ["sel"]);
  assert.equal(selectionsMatching("*_a", names), ["filter_a"]);
  assert.equal(selectionsMatching("_*", names), ["_internal"]);
});

test.run();
