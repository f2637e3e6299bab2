import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateSpl, evaluateSplSearch } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";

function parse(text: string) {
  const r = parseSpl(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const holds = (text: string, e: Record<string, unknown>, opts = {}) => {
  const r = evaluateSpl(parse(text), e, opts);
  if (!r.ok) throw new Error(r.reason);
  return r.matched;
};

test("search precedence: NOT > OR > implicit AND, so `a=1 b=1 OR c=1` is a AND (b OR c)", () => {
  assert.equal(parse("a=1 b=1 OR c=1").search, {
    kind: "and",
    children: [
      { kind: "compare", field: "a", op: "=", value: "1", at: 0 },
      { kind: "or", children: [{ kind: "compare", field: "b", op: "=", value: "1", at: 4 }, { kind: "compare", field: "c", op: "=", value: "1", at: 11 }] },
    ],
  });
  // The two readings differ on this event: (a AND b) OR c would match.
  assert.is(holds("a=1 b=1 OR c=1", { c: "1" }), false);
  assert.is(holds("NOT a=1 OR b=1", { a: "1" }), false);
});

test("search terms fold case, `*` is a wildcard even in quotes, lower-case `or` is a term", () => {
  assert.is(holds('f="CMD*"', { f: "cmd.exe" }), true);
  assert.is(holds('f="a*b"', { f: "aXXb" }), true);
  assert.is(holds("f=x or", { f: "x" }), false);
  assert.is(holds('f=x "or"', { f: "x", g: "or" }), true);
  assert.is(holds('f IN ("a", b*)', { f: ["z", "BB"] }), true);
});

test("NOT includes events without the field; `field=*` needs a value", () => {
  assert.is(holds("NOT f=x", {}), true);
  assert.is(holds("f=*", { f: null }), false);
  assert.is(holds("f>=5", { f: "7" }), true);
  assert.is(holds("f>=5", { f: "abc" }), false);
});

test("where: case-sensitive ==, like, match, lower, quoted fields, string escapes", () => {
  assert.is(holds('* | where \'p.n\'=="A\\"b"', { "p.n": 'A"b' }), true);
  assert.is(holds('* | where f=="a"', { f: "A" }), false);
  assert.is(holds('* | where lower(f)=="a"', { f: "A" }), true);
  assert.is(holds('* | where like(f, "a_c%")', { f: "abcdef" }), true);
  assert.is(holds('* | where like(f, "a_c%")', { f: "ABCdef" }), false);
  assert.is(holds('* | where match(f, "(?i)^x$")', { f: ["y", "X"] }), true);
  assert.is(holds('* | where cidrmatch("10.0.0.0/8", ip) AND isnotnull(ip)', { ip: "10.1.2.3" }), true);
  assert.is(holds('* | where searchmatch("\\"CMD\\"")', { x: "a cmd b" }), true);
  assert.is(holds("* | where isnull(f) OR f==1", { f: "1.0" }), true);
});

test("eval precedence: NOT > AND > OR", () => {
  assert.is(holds("* | where true() OR false() AND false()", {}), true);
  assert.is(holds("* | where NOT true() OR true()", {}), true);
});

test("null logic: Splunk's (the default) takes a comparison with an absent field as unknown, `boolean` as false", () => {
  assert.is(holds('* | where NOT f=="a"', {}), false);
  assert.is(holds('* | where isnull(f) OR NOT f=="a"', {}), true);
  assert.is(holds('* | where NOT tonumber(f)<10', { f: "cmd" }), false);
  assert.is(holds('* | where NOT f=="a"', {}, { nullLogic: "boolean" }), true);
});

test("the search part alone ignores `| where`", () => {
  const r = evaluateSplSearch(parse('f=a* | where f=="ab"'), { f: "ac" });
  assert.equal(r, { ok: true, matched: true });
});

test("errors are values: unknown command, unterminated string, unsupported function", () => {
  const a = parseSpl("f=1 | stats count");
  assert.is(a.ok ? "" : a.error.code, "spl/unknown-command");
  const b = parseSpl('f="abc');
  assert.is(b.ok ? "" : b.error.code, "spl/unterminated-string");
  assert.equal(evaluateSpl(parse("* | where len(f)==1"), { f: "a" }), { ok: false, reason: "the eval function len() is not part of the subset rulecast writes" });
});

test.run();
