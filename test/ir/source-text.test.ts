import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineColAt } from "../../src/diagnostics/source-text.js";

test("offsets map to 1-based line and column", () => {
  const text = "ab\ncd\n\nef";
  assert.equal(lineColAt(text, 0), { line: 1, col: 1 });
  assert.equal(lineColAt(text, 3), { line: 2, col: 1 });
  assert.equal(lineColAt(text, 4), { line: 2, col: 2 });
  assert.equal(lineColAt(text, 6), { line: 3, col: 1 });
  assert.equal(lineColAt(text, 8), { line: 4, col: 2 });
});

test.run();
