import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseEql } from "../../../src/query/eql/eql-parser.js";

/** Each case: the query, the error code, the offset it must point at, and a hint fragment if any. */
const CASES: readonly (readonly [string, string, number, string?])[] = [
  ['process where a = "x"', "eql/single-equals", 16, "use `==` or `:`"],
  ["process where a == 'x'", "eql/single-quote", 19, "EQL strings use double quotes"],
  ['process where a == ?"x"', "eql/endgame-raw-string", 19, '"""'],
  ['process where a == "x', "eql/unterminated-string", 19],
  ['process where a == "x\ny"', "eql/unterminated-string", 19],
  ['any where a == """x', "eql/unterminated-string", 15],
  ["any where a == 1 /* open", "eql/unterminated-comment", 17],
  ["any where `a == 1", "eql/unterminated-field", 10],
  ['any where a == "\\q"', "eql/bad-escape", 16],
  ['any where a == "\\u{1}"', "eql/bad-escape", 16],
  ["any where a == 1 #", "eql/unexpected-character", 17],
  ["", "eql/empty-query", 0],
  ["process where", "eql/unexpected-end", 13],
  ["process a == 1", "eql/unexpected-token", 8],
  ["any where a == 1 b == 2", "eql/unexpected-token", 17],
  ["any where (a == 1", "eql/unexpected-end", 17],
  ["any where a < b < c", "eql/chained-comparison", 16, "`and`"],
  ['any where a in "x"', "eql/unexpected-token", 15],
  ['any where wildcard(a, "x")', "eql/unknown-function", 10, "startsWith"],
  ['any where length(a) : "x"', "eql/unsupported-operand", 10],
  ["any where a : b", "eql/expected-literal", 14],
  ["any where a like 1", "eql/expected-string", 17],
  ["any where a | count", "eql/unsupported-pipe", 14, "head"],
  ["any where a | head x", "eql/unexpected-token", 19],
  ["any where true | head 0", "eql/out-of-range", 22],
  ["sequence [a where true]", "eql/unexpected-end", 23],
  ["sequence with maxspan=5m by k [a where true] [b where true]", "eql/by-after-with", 25],
  ["sequence with maxspan=5 [a where true] [b where true]", "eql/bad-maxspan", 22, "units"],
  ["sequence with maxspan=5y [a where true] [b where true]", "eql/bad-maxspan", 23],
  ["sequence [a where true] ![b where true]", "eql/missing-needs-maxspan", 24],
  ["sequence with maxspan=1m ![a where true] ![b where true]", "eql/no-positive-step", 0],
  ["sequence [a where true] with runs=101 [b where true]", "eql/out-of-range", 34],
  ["sample by k [a where true] with runs=2 [b where true]", "eql/sample-with", 27],
  ["sample by k ![a where true] [b where true]", "eql/sample-missing", 12],
  ["any where and == 1", "eql/unexpected-token", 10],
];

for (const [text, code, offset, hint] of CASES) {
  test(`${code}: ${JSON.stringify(text)}`, () => {
    const r = parseEql(text);
    if (r.ok) return assert.unreachable(`parsed: ${JSON.stringify(r.value)}`);
    assert.is(r.error.code, code, r.error.message);
    assert.is(r.error.offset, offset, `${r.error.message} at ${r.error.offset}`);
    assert.ok(r.error.message.length > 0);
    if (hint !== undefined) assert.ok(r.error.hint?.includes(hint), `hint: ${r.error.hint}`);
  });
}

test.run();
