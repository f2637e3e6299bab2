import { test } from "uvu";
import * as assert from "uvu/assert";
import { any, errorsOf, m, one, queryOf, text } from "./sigma-helpers.js";

test("plain value: case-insensitive match", () => {
  assert.equal(queryOf("sel:\n    Image: C:\\x.exe\ncondition: sel"), m("Image", [text("C:\\x.exe")]));
});

test("wildcards and escapes become parts", () => {
  assert.equal(queryOf("sel:\n    A: 'a*b?c'\ncondition: sel"), m("A", [text("a"), any, text("b"), one, text("c")]));
  assert.equal(queryOf("sel:\n    A: 'a\\*b\\?'\ncondition: sel"), m("A", [text("a*b?")]));
  // `\\*` is a backslash then a wildcard; `\\\*` a backslash then a literal star.
  assert.equal(queryOf("sel:\n    A: 'x\\\\*'\ncondition: sel"), m("A", [text("x\\"), any]));
  assert.equal(queryOf("sel:\n    A: 'x\\\\\\*'\ncondition: sel"), m("A", [text("x\\*")]));
  // A backslash before an ordinary character stays a backslash.
  assert.equal(queryOf("sel:\n    A: 'C:\\Windows'\ncondition: sel"), m("A", [text("C:\\Windows")]));
});

test("contains / startswith / endswith wrap with any parts", () => {
  assert.equal(queryOf("sel:\n    A|contains: x\ncondition: sel"), m("A", [any, text("x"), any]));
  assert.equal(queryOf("sel:\n    A|startswith: x\ncondition: sel"), m("A", [text("x"), any]));
  assert.equal(queryOf("sel:\n    A|endswith: x\ncondition: sel"), m("A", [any, text("x")]));
  // No doubled wildcard when the value already has one.
  assert.equal(queryOf("sel:\n    A|contains: '*x'\ncondition: sel"), m("A", [any, text("x"), any]));
});

test("a list is OR, |all makes it AND", () => {
  assert.equal(queryOf("sel:\n    A: [x, y]\ncondition: sel"), { kind: "or", children: [m("A", [text("x")]), m("A", [text("y")])] });
  assert.equal(queryOf("sel:\n    A|contains|all: [x, y]\ncondition: sel"), {
    kind: "and",
    children: [m("A", [any, text("x"), any]), m("A", [any, text("y"), any])],
  });
});

test("map is AND, list of maps is OR of ANDs", () => {
  assert.equal(queryOf("sel:\n    - A: x\n      B: y\n    - C: z\ncondition: sel"), {
    kind: "or",
    children: [{ kind: "and", children: [m("A", [text("x")]), m("B", [text("y")])] }, m("C", [text("z")])],
  });
});

test("keywords: string list and |all", () => {
  const kw = (v: string) => ({ kind: "keyword", value: { kind: "string", parts: [text(v)] }, caseSensitive: false });
  assert.equal(queryOf("keywords:\n    - foo\n    - bar\ncondition: keywords"), { kind: "or", children: [kw("foo"), kw("bar")] });
  assert.equal(queryOf("keywords:\n    '|all':\n        - foo\n        - bar\ncondition: keywords"), { kind: "and", children: [kw("foo"), kw("bar")] });
  assert.equal(queryOf("keywords: foo\ncondition: keywords"), kw("foo"));
});

test("numbers keep raw, null and empty string", () => {
  assert.equal(queryOf("sel:\n    EventID: 0x10\ncondition: sel"), {
    kind: "match", field: "EventID", value: { kind: "number", value: 16, raw: "0x10" }, caseSensitive: false,
  });
  assert.equal(queryOf("sel:\n    A: null\ncondition: sel"), { kind: "match", field: "A", value: { kind: "null" }, caseSensitive: false });
  assert.equal(queryOf("sel:\n    A: ''\ncondition: sel"), m("A", [text("")]));
  assert.equal(queryOf("sel:\n    A: true\ncondition: sel"), { kind: "match", field: "A", value: { kind: "boolean", value: true }, caseSensitive: false });
});

test("cased", () => {
  assert.equal(queryOf("sel:\n    A|cased: Xy\ncondition: sel"), m("A", [text("Xy")], true));
  assert.equal(queryOf("sel:\n    A|contains|cased: Xy\ncondition: sel"), m("A", [any, text("Xy"), any], true));
});

test("base64 and base64offset", () => {
  assert.equal(queryOf("sel:\n    A|base64: 'http://'\ncondition: sel"), m("A", [text("aHR0cDovLw==")]));
  assert.equal(queryOf("sel:\n    A|base64offset|contains: 'http://'\ncondition: sel"), {
    kind: "or",
    children: [m("A", [any, text("aHR0cDovL"), any]), m("A", [any, text("h0dHA6Ly"), any]), m("A", [any, text("odHRwOi8v"), any])],
  });
});

test("wide / utf16le / utf16be / utf16 then base64", () => {
  assert.equal(queryOf("sel:\n    A|wide|base64: 'ping'\ncondition: sel"), m("A", [text("cABpAG4AZwA=")]));
  assert.equal(queryOf("sel:\n    A|utf16le|base64: 'ping'\ncondition: sel"), m("A", [text("cABpAG4AZwA=")]));
  assert.equal(queryOf("sel:\n    A|utf16be|base64: 'ping'\ncondition: sel"), m("A", [text("AHAAaQBuAGc=")]));
  assert.equal(queryOf("sel:\n    A|utf16|base64: 'ping'\ncondition: sel"), m("A", [text("//5wAGkAbgBnAA==")]));
  assert.equal(queryOf("sel:\n    A|wide: 'ab'\ncondition: sel"), m("A", [text("a\u0000b\u0000")]));
});

test("windash expands switch dashes into five characters", () => {
  const q = queryOf("sel:\n    A|windash|contains: ' -enc'\ncondition: sel");
  const variants = ["-", "/", "\u2013", "\u2014", "\u2015"].map((d) => m("A", [any, text(` ${d}enc`), any]));
  assert.equal(q, { kind: "or", children: variants });
  // A dash inside a word is left alone.
  assert.equal(queryOf("sel:\n    A|windash: 'a-b'\ncondition: sel"), m("A", [text("a-b")]));
});

test("re with flags → pcre regex", () => {
  assert.equal(queryOf("sel:\n    A|re: 'a.*b'\ncondition: sel"), { kind: "regex", field: "A", pattern: "a.*b", dialect: "pcre", caseSensitive: true });
  assert.equal(queryOf("sel:\n    A|re|i|m|s: '^x\\\\d'\ncondition: sel"), {
    kind: "regex", field: "A", pattern: "^x\\\\d", dialect: "pcre", caseSensitive: false, multiline: true, dotAll: true,
  });
});

test("cidr, comparisons, exists, fieldref, neq, time parts", () => {
  assert.equal(queryOf("sel:\n    Ip|cidr: 10.0.0.0/8\ncondition: sel"), { kind: "cidr", field: "Ip", cidr: "10.0.0.0/8" });
  assert.equal(queryOf("sel:\n    N|gte: 5\ncondition: sel"), { kind: "range", field: "N", op: "gte", value: { kind: "number", value: 5, raw: "5" } });
  assert.equal(queryOf("sel:\n    N|lt: 5\ncondition: sel").kind, "range");
  assert.equal(queryOf("sel:\n    A|exists: true\ncondition: sel"), { kind: "exists", field: "A" });
  assert.equal(queryOf("sel:\n    A|exists: false\ncondition: sel"), { kind: "not", child: { kind: "exists", field: "A" } });
  assert.equal(queryOf("sel:\n    A|fieldref: B\ncondition: sel"), { kind: "fieldref", field: "A", other: "B", caseSensitive: false });
  assert.equal(queryOf("sel:\n    A|neq: x\ncondition: sel"), { kind: "not", child: m("A", [text("x")]) });
  assert.equal(queryOf("sel:\n    T|hour: 3\ncondition: sel"), {
    kind: "compare",
    op: "eq",
    left: { kind: "call", name: "hour", caseInsensitive: false, args: [{ kind: "field", field: "T", optional: false }] },
    right: { kind: "literal", value: { kind: "number", value: 3, raw: "3" } },
  });
});

test("expand with placeholders", () => {
  const q = queryOf("sel:\n    A|expand: '%dcs%\\x'\ncondition: sel", { placeholders: { dcs: ["dc1", "dc2"] } });
  assert.equal(q, { kind: "or", children: [m("A", [text("dc1\\x")]), m("A", [text("dc2\\x")])] });
  const e = errorsOf("sel:\n    A|expand: '%dcs%'\ncondition: sel");
  assert.is(e[0]?.code, "sigma/missing-placeholder");
  assert.match(e[0]?.message ?? "", /%dcs%/);
});

test("condition: x of expands over selections, list of conditions is ORed", () => {
  const q = queryOf("sel_a:\n    A: x\nsel_b:\n    B: y\n_f:\n    C: z\ncondition: all of them");
  assert.equal(q, { kind: "and", children: [m("A", [text("x")]), m("B", [text("y")])] });
  const q2 = queryOf("sel_a:\n    A: x\nsel_b:\n    B: y\nf:\n    C: z\ncondition:\n    - 1 of sel_*\n    - not f");
  assert.equal(q2, {
    kind: "or",
    children: [{ kind: "or", children: [m("A", [text("x")]), m("B", [text("y")])] }, { kind: "not", child: m("C", [text("z")]) }],
  });
});

test.run();
