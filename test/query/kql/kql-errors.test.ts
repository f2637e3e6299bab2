import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseKql } from "../../../src/query/kql/kql-parser.js";

/** [query, code, offset, hint fragment or undefined] */
const cases: readonly [string, string, number, string | undefined][] = [
  ['f:"abc', "kql/unterminated-string", 2, '\\"'],
  ["(a:b", "kql/unclosed-paren", 0, "`)`"],
  ["f:(a or b", "kql/unclosed-paren", 2, "`)`"],
  ["p:{ c:x", "kql/unclosed-brace", 2, "`}`"],
  ["f:a\\xb", "kql/invalid-escape", 3, undefined],
  ["a and ", "kql/unexpected-end", 6, undefined],
  ["f:", "kql/unexpected-end", 2, undefined],
  ["not not a", "kql/double-not", 4, "not (not x)"],
  ["f:(not not a)", "kql/double-not", 7, "not (not x)"],
  ['process.name == "cmd.exe"', "kql/unexpected-token", 16, "`=` is not a KQL operator; use `:`"],
  ["f:>5", "kql/unexpected-token", 2, "without `:`"],
  ['"a" b', "kql/unexpected-token", 4, undefined],
  ["a:b)", "kql/unexpected-token", 3, undefined],
  ["()", "kql/unexpected-token", 1, undefined],
  ["f:(a) x", "kql/unexpected-token", 6, undefined],
  ["f:cannot be", "kql/unexpected-token", 5, "quote the value"],
  ["f < not 5", "kql/unexpected-keyword", 4, "quote"],
  ["f <", "kql/unexpected-end", 3, undefined],
];

for (const [query, code, offset, hint] of cases) {
  test(`error: ${JSON.stringify(query)} → ${code} @${offset}`, () => {
    const r = parseKql(query);
    assert.not.ok(r.ok, "should fail");
    if (r.ok) return;
    assert.is(r.error.code, code);
    assert.is(r.error.offset, offset);
    assert.ok(r.error.message.length > 0);
    if (hint !== undefined) assert.ok(r.error.hint?.includes(hint), `hint ${r.error.hint}`);
  });
}

test.run();
