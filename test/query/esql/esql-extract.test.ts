/**
 * GROK and DISSECT keep every row and add columns: a query whose later commands only keep, sort or
 * show those columns reads as the same query without them; one whose conditions, group keys or
 * measures read a column (or a field the command hides under a column of its name) is refused by
 * name, at the command. Every query here is ES|QL Kibana's parser accepts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineColAt } from "../../../src/diagnostics/source-text.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { stripSpans } from "../eql/strip-spans.js";

function irOf(text: string): unknown {
  const r = readEsql(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  if (r.value.kind !== "ir") throw new Error(`${text}: refused ${r.value.refusal.code} ${r.value.refusal.message}`);
  return stripSpans(r.value.query);
}

/** [with the command, the same query without it]. */
const LEFT_OUT: readonly (readonly [string, string])[] = [
  ['FROM x | WHERE a == "1" | GROK msg "%{IP:src} %{WORD:verb}" | KEEP a, src, verb', 'FROM x | WHERE a == "1" | KEEP a'],
  ['FROM x | DISSECT msg "%{a} %{+a} %{?skip} %{} %{b->}" | WHERE c == "1"', 'FROM x | WHERE c == "1"'],
  // A column made after the WHERE that tests the field of its name: the WHERE saw the field.
  ['FROM x | WHERE a == "1" | GROK msg "(?<a>[a-z]+)" | SORT a | KEEP a', 'FROM x | WHERE a == "1"'],
  // Only shown after STATS (VALUES, an EVAL nothing reads, a RENAME).
  ['FROM x | WHERE b == "2" | GROK msg "%{NOTSPACE:tok}" | STATS c = COUNT(*), t = VALUES(tok) BY h | WHERE c >= 3 | EVAL s = CONCAT(MV_CONCAT(t, ","), "!") | RENAME s AS shown',
    'FROM x | WHERE b == "2" | STATS c = COUNT(*) BY h | WHERE c >= 3'],
  ['FROM x | STATS c = COUNT(*) BY h | DISSECT h "%{p}.%{q}" | WHERE c > 1 | KEEP h, p, q', "FROM x | STATS c = COUNT(*) BY h | WHERE c > 1"],
];

for (const [text, without] of LEFT_OUT) {
  test(`left out, as the query does not read its columns: ${text}`, () => {
    assert.ok(checkEsql(text, { release: true }).ok, text);
    assert.equal(irOf(text), irOf(without));
  });
}

/** Refusals: the query, where it points (the GROK or DISSECT), a fragment of the message. */
const REFUSED: readonly (readonly [string, string, string])[] = [
  ['FROM x | GROK msg "%{IP:src}" | WHERE src IS NOT NULL', "1:10", "`src` is read"],
  // The column hides the field of its name from every later command.
  ['FROM x | GROK msg "%{WORD:process.name}" | WHERE process.name == "cmd.exe"', "1:10", "`process.name` is read"],
  ['FROM x | DISSECT msg "%{a}-%{b}" | RENAME b AS c | WHERE c LIKE "x*"', "1:10", "`b` is read"],
  ['FROM x | WHERE k == "1" | GROK msg "%{DATA:d}" | STATS n = COUNT(*) BY d | WHERE n > 2', "1:27", "`d` is read"],
  ['FROM x | GROK msg "%{DATA:d}" | STATS n = COUNT_DISTINCT(d) BY h | WHERE n > 2', "1:10", "`d` is read"],
  ['FROM x | GROK msg "%{DATA:d}" | STATS n = COUNT_DISTINCT(d) BY h | WHERE n > 0', "1:10", "`d` is read"],
  ['FROM x | GROK msg "%{DATA:d}" | MV_EXPAND d | WHERE d == "1"', "1:10", "`d` is read"],
  ['FROM x | GROK msg "%{DATA:d}" | EVAL k = COALESCE(d, TO_LOWER(h)) | STATS n = COUNT(*) BY k | WHERE n > 2', "1:10", "`d` is read"],
  ['FROM x | STATS c = COUNT(*), v = VALUES(m) BY h | GROK h "%{WORD:w}" | WHERE c > 1 AND w == "x"', "1:51", "`w` is read"],
  ['FROM x | STATS v = VALUES(m) BY h | DISSECT h "%{w}" | WHERE MV_CONCAT(v, ",") LIKE "*x*" AND w == "x"', "1:37", "`w` is read"],
  // Columns the pattern does not name: from library patterns with captures, or from the data.
  ['FROM x | GROK msg "%{COMBINEDAPACHELOG}" | KEEP a', "1:10", "COMBINEDAPACHELOG"],
  ['FROM x | GROK msg "%{URIHOST:h}" | KEEP h', "1:10", "URIHOST"],
  ['FROM x | DISSECT msg "%{*k} %{&k}" | KEEP a', "1:10", "reference keys"],
];

for (const [text, at, fragment] of REFUSED) {
  test(`refused as esql/unsupported-command at ${at}: ${text}`, () => {
    assert.ok(checkEsql(text, { release: true }).ok, text);
    const r = readEsql(text);
    if (!r.ok) return assert.unreachable(r.error.message);
    if (r.value.kind !== "refused") return assert.unreachable(`read: ${JSON.stringify(r.value.query)}`);
    assert.is(r.value.refusal.code, "esql/unsupported-command", r.value.refusal.message);
    const lc = lineColAt(text, r.value.refusal.offset);
    assert.is(`${lc.line}:${lc.col}`, at, r.value.refusal.message);
    assert.match(r.value.refusal.message, fragment);
  });
}

test.run();
