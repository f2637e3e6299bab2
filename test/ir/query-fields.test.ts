/** queryFields finds every field a query reads, in boolean leaves, expressions and containers. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { queryFields } from "../../src/ir/query-fields.js";
import type { Query } from "../../src/ir/query.js";

const m = (field: string): Query => ({ kind: "match", field, value: { kind: "string", parts: [{ kind: "text", value: "x" }] }, caseSensitive: true });

test("leaves, expressions, sequence and correlation keys", () => {
  const q: Query = {
    kind: "sequence",
    by: ["host.id"],
    steps: [
      { query: { kind: "and", children: [m("a"), { kind: "not", child: { kind: "exists", field: "b" } }] }, by: ["s1"] },
      { query: { kind: "compare", op: "gt", left: { kind: "call", name: "length", caseInsensitive: false, args: [{ kind: "field", field: "c", optional: false }] }, right: { kind: "literal", value: { kind: "number", value: 1, raw: "1" } } }, by: ["s2"] },
    ],
    until: { query: { kind: "fieldref", field: "d", other: "e", caseSensitive: false }, by: [] },
  };
  assert.equal(queryFields(q).map((u) => `${u.kind}:${u.field}`), ["match:a", "exists:b", "sequence:s1", "compare:c", "sequence:s2", "fieldref:d", "fieldref:e", "sequence:host.id"]);
  const c: Query = { kind: "correlation", type: "value_count", rules: [{ name: "r", query: m("f"), aliases: { who: "g" } }], groupBy: ["who"], condition: [], valueField: "h" };
  assert.equal(queryFields(c).map((u) => u.field), ["f", "who", "g", "h"]);
});

test.run();
