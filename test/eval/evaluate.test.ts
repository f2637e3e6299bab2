import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { evaluate } from "../../src/eval/index.js";
import { and, eq, lit, match, not, num, or, pat, str } from "./build.js";

function matched(q: Query, event: Record<string, unknown>): boolean {
  const r = evaluate(q, event);
  if (!r.ok) throw new Error(`unexpected error: ${r.reason}`);
  return r.matched;
}

const fields = suite("field resolution");
fields("dotted name resolves as a flat key and through nested objects", () => {
  const q = eq("process.name", "cmd.exe");
  assert.ok(matched(q, { "process.name": "cmd.exe" }));
  assert.ok(matched(q, { process: { name: "cmd.exe" } }));
  assert.ok(matched(q, { "process.parent": { x: 1 }, process: { name: "cmd.exe" } }));
  assert.ok(matched(eq("process.parent.name", "a"), { "process.parent": { name: "a" } }));
  assert.not.ok(matched(q, { process: { name: "powershell.exe" } }));
  assert.not.ok(matched(q, { processname: "cmd.exe" }));
});
fields("multi-valued field: any element matches", () => {
  assert.ok(matched(eq("tags", "b"), { tags: ["a", "b"] }));
  assert.not.ok(matched(eq("tags", "c"), { tags: ["a", "b"] }));
  assert.ok(matched(eq("user.name", "bob"), { user: [{ name: "alice" }, { name: "bob" }] }));
  assert.ok(matched(not(eq("tags", "a")), { tags: ["b"] }));
  assert.not.ok(matched(not(eq("tags", "a")), { tags: ["a", "b"] }));
});
fields.run();

const strings = suite("string matching");
strings("case flag", () => {
  assert.ok(matched(eq("f", "CMD.exe", false), { f: "cmd.EXE" }));
  assert.not.ok(matched(eq("f", "CMD.exe", true), { f: "cmd.EXE" }));
  const sys32 = { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: "\\SYSTEM32\\" }, { kind: "any" }] } as const;
  assert.ok(matched(match("f", sys32, false), { f: "C:\\Windows\\System32\\x" }));
  assert.not.ok(matched(match("f", sys32, true), { f: "C:\\Windows\\System32\\x" }));
});
strings("wildcard one matches exactly one character, any matches zero or more", () => {
  assert.ok(matched(match("f", str("a?c")), { f: "abc" }));
  assert.not.ok(matched(match("f", str("a?c")), { f: "ac" }));
  assert.not.ok(matched(match("f", str("a?c")), { f: "abbc" }));
  assert.ok(matched(match("f", str("a*c")), { f: "ac" }));
  assert.ok(matched(match("f", str("a*c")), { f: "abbc" }));
  assert.ok(matched(match("f", str("a?c")), { f: "a😀c" }));
});
strings("literal * text is a star, not a wildcard", () => {
  assert.ok(matched(eq("f", "a*b"), { f: "a*b" }));
  assert.not.ok(matched(eq("f", "a*b"), { f: "axxb" }));
  assert.ok(matched(match("f", { kind: "string", parts: pat("a\\**") }), { f: "a*zz" }));
  assert.not.ok(matched(match("f", { kind: "string", parts: pat("a\\**") }), { f: "azz" }));
});
strings("whole value must match; regex specials in text are literal", () => {
  assert.not.ok(matched(eq("f", "cmd"), { f: "cmd.exe" }));
  assert.not.ok(matched(eq("f", "a.c", false), { f: "abc" }));
  assert.ok(matched(match("f", str("(x)[y]*"), false), { f: "(X)[Y]z" }));
});
strings.run();

const coercion = suite("numbers, booleans, null");
coercion("number value matches a numeric field or its string form", () => {
  assert.ok(matched(match("EventID", num(4688)), { EventID: 4688 }));
  assert.ok(matched(match("EventID", num(4688)), { EventID: "4688" }));
  assert.not.ok(matched(match("EventID", num(4688)), { EventID: 4689 }));
  assert.not.ok(matched(match("EventID", num(4688)), { EventID: "4688.0" }));
  assert.ok(matched(match("EventID", num(4688, "04688")), { EventID: "04688" }));
});
coercion("string value matches a number through its string form", () => {
  assert.ok(matched(eq("port", "443"), { port: 443 }));
  assert.ok(matched(match("port", str("44*")), { port: 443 }));
  assert.not.ok(matched(eq("port", "443"), { port: 4430 }));
});
coercion("boolean value", () => {
  const q = match("ok", { kind: "boolean", value: true });
  assert.ok(matched(q, { ok: true }));
  assert.ok(matched(q, { ok: "true" }));
  assert.not.ok(matched(q, { ok: "True" }), "case-sensitive: KQL and SPL read `true` as that text");
  assert.ok(matched(match("ok", { kind: "boolean", value: true }, false), { ok: "True" }));
  assert.not.ok(matched(q, { ok: false }));
});
coercion("null value: a multi-valued field with one real value is not null", () => {
  const q = match("f", { kind: "null" });
  assert.ok(matched(q, { f: [null] }));
  assert.not.ok(matched(q, { f: ["cmd", null] }));
});
coercion("null value matches an absent or null field", () => {
  const q = match("f", { kind: "null" });
  assert.ok(matched(q, {}));
  assert.ok(matched(q, { f: null }));
  assert.ok(matched(q, { f: [] }));
  assert.not.ok(matched(q, { f: "" }));
  assert.not.ok(matched(q, { f: 0 }));
});
coercion.run();

const kinds = suite("node kinds");
kinds("and / or / not / all / none", () => {
  const e = { a: "1", b: "2" };
  assert.ok(matched(and(eq("a", "1"), eq("b", "2")), e));
  assert.not.ok(matched(and(eq("a", "1"), eq("b", "3")), e));
  assert.ok(matched(or(eq("a", "0"), eq("b", "2")), e));
  assert.not.ok(matched(or(eq("a", "0"), eq("b", "0")), e));
  assert.ok(matched(not(eq("a", "0")), e));
  assert.ok(matched({ kind: "all" }, e));
  assert.not.ok(matched({ kind: "none" }, e));
});
kinds("exists", () => {
  const q: Query = { kind: "exists", field: "a.b" };
  assert.ok(matched(q, { a: { b: 0 } }));
  assert.ok(matched(q, { "a.b": "" }));
  assert.not.ok(matched(q, { a: { b: null } }));
  assert.not.ok(matched(q, { a: {} }));
  assert.not.ok(matched(q, { a: { b: [] } }));
});
kinds("range on numbers, numeric strings, ISO dates, keyword strings", () => {
  const gt = (v: number): Query => ({ kind: "range", field: "n", op: "gt", value: num(v) });
  assert.ok(matched(gt(3), { n: 4 }));
  assert.not.ok(matched(gt(3), { n: 3 }));
  assert.ok(matched({ kind: "range", field: "n", op: "gte", value: num(3) }, { n: 3 }));
  assert.ok(matched(gt(3), { n: "10" }));
  assert.not.ok(matched(gt(3), { n: "abc" }));
  assert.ok(matched(gt(3), { n: [1, 5] }));
  const d: Query = { kind: "range", field: "t", op: "lt", value: lit("2024-01-02T00:00:00Z") };
  assert.ok(matched(d, { t: "2024-01-01T23:59:59.999Z" }));
  assert.not.ok(matched(d, { t: "2024-01-02T00:00:00Z" }));
  assert.not.ok(matched(d, { t: "2024-01-02T00:00:00.001Z" }));
  assert.ok(matched({ kind: "range", field: "s", op: "lte", value: lit("m") }, { s: "abc" }));
  assert.not.ok(matched({ kind: "range", field: "s", op: "lte", value: lit("m") }, { s: "x" }));
});
kinds("range with date math is an error value", () => {
  const r = evaluate({ kind: "range", field: "t", op: "gt", value: lit("now-9m") }, { t: "x" });
  assert.is(r.ok, false);
});
kinds("cidr: IPv4 and IPv6", () => {
  const v4: Query = { kind: "cidr", field: "ip", cidr: "10.0.0.0/8" };
  assert.ok(matched(v4, { ip: "10.1.2.3" }));
  assert.not.ok(matched(v4, { ip: "11.0.0.1" }));
  assert.not.ok(matched(v4, { ip: "not an ip" }));
  assert.ok(matched(v4, { ip: ["192.168.0.1", "10.0.0.1"] }));
  assert.ok(matched(v4, { ip: "::ffff:10.9.9.9" }));
  const v6: Query = { kind: "cidr", field: "ip", cidr: "2001:db8::/32" };
  assert.ok(matched(v6, { ip: "2001:db8:1::5" }));
  assert.not.ok(matched(v6, { ip: "2001:db9::1" }));
  assert.not.ok(matched(v6, { ip: "10.0.0.1" }));
  assert.ok(matched({ kind: "cidr", field: "ip", cidr: "fe80::1" }, { ip: "fe80:0:0:0:0:0:0:1" }));
  assert.is(evaluate({ kind: "cidr", field: "ip", cidr: "10.0.0.0/33" }, {}).ok, false);
});
kinds("keyword: pattern contained in any scalar anywhere in the event", () => {
  const q: Query = { kind: "keyword", value: lit("mimikatz"), caseSensitive: false };
  assert.ok(matched(q, { process: { args: ["x", "Invoke-Mimikatz.ps1"] } }));
  assert.not.ok(matched(q, { process: { name: "cmd.exe" } }));
  assert.not.ok(matched({ ...q, caseSensitive: true }, { a: "MIMIKATZ" }));
  assert.ok(matched({ kind: "keyword", value: str("foo?bar"), caseSensitive: true }, { a: "x foo-bar y" }));
  assert.ok(matched({ kind: "keyword", value: num(4444), caseSensitive: true }, { port: 4444 }));
});
kinds("fieldref: two fields hold the same value", () => {
  const q: Query = { kind: "fieldref", field: "a", other: "b", caseSensitive: false };
  assert.ok(matched(q, { a: "X", b: "x" }));
  assert.not.ok(matched({ ...q, caseSensitive: true }, { a: "X", b: "x" }));
  assert.not.ok(matched(q, { a: "x" }));
  assert.ok(matched(q, { a: ["1", "2"], b: 2 }));
});
kinds("nested: the inner query holds inside one element", () => {
  const q: Query = { kind: "nested", path: "users", query: and(eq("first", "a"), eq("last", "b")) };
  assert.ok(matched(q, { users: [{ first: "a", last: "x" }, { first: "a", last: "b" }] }));
  assert.not.ok(matched(q, { users: [{ first: "a", last: "x" }, { first: "y", last: "b" }] }));
  const full: Query = { kind: "nested", path: "users", query: and(eq("users.first", "a"), eq("users.last", "b")) };
  assert.ok(matched(full, { users: [{ first: "a", last: "b" }] }));
  assert.not.ok(matched(full, { users: [{ first: "a" }, { last: "b" }] }));
});
kinds("stream-only and opaque kinds give an error value", () => {
  const seq: Query = { kind: "sequence", by: [], steps: [] };
  const r = evaluate(seq, {});
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.reason, /evaluateStream/);
  assert.is(evaluate({ kind: "sample", by: [], steps: [] }, {}).ok, false);
  assert.is(evaluate({ kind: "correlation", type: "event_count", rules: [], groupBy: [], condition: [] }, {}).ok, false);
  assert.is(evaluate({ kind: "pipe", input: { kind: "all" }, pipes: [] }, {}).ok, false);
  const o = evaluate({ kind: "opaque", language: "esql", text: "FROM x" }, {});
  assert.is(o.ok, false);
  if (!o.ok) assert.match(o.reason, /esql/);
  // An error deep inside a boolean tree surfaces too.
  assert.is(evaluate(and(eq("a", "1"), { kind: "opaque", language: "lucene", text: "x" }), { a: "1" }).ok, false);
});
kinds.run();
