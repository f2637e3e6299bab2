/**
 * `TO_LOWER(URL_DECODE(f)) LIKE "…"` (and RLIKE, `==`): the IR's `urlDecode`, `toLower`, `like`
 * and `rlike` calls, which its evaluator runs as ES|QL does (url-decode.ts: Java's URLDecoder, NULL
 * where it fails). Each reading matches what the ES|QL query matches, and so does the IR printed
 * back as ES|QL; targets without these functions refuse them by name.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../../src/ir/query.js";
import { esqlMatches } from "../../../src/eval/esql-run.js";
import { compileQuery } from "../../../src/eval/evaluate.js";
import { printEql } from "../../../src/query/eql/eql-printer.js";
import { parseEsqlAst } from "../../../src/query/esql/esql-parser.js";
import { printEsql } from "../../../src/query/esql/esql-printer.js";
import { readEsql } from "../../../src/query/esql/esql-read.js";
import { printKql } from "../../../src/query/kql/kql-printer.js";
import { renderSigmaDetection } from "../../../src/query/sigma/sigma-detection-printer.js";
import { renderSplQuery } from "../../../src/query/spl/spl-printer.js";
import { checkEsql } from "../../helpers/esql-oracle.js";
import { stripSpans } from "../eql/strip-spans.js";

function read(text: string): Query {
  const r = readEsql(text);
  if (!r.ok || r.value.kind !== "ir") throw new Error(`${text}: ${JSON.stringify(r.ok ? r.value : r.error)}`);
  return stripSpans(r.value.query);
}

const decoded = { kind: "call", name: "urlDecode", caseInsensitive: false, args: [{ kind: "field", field: "u", optional: false }] } as const;

test("read: the decoded value as an IR expression, its patterns as like and rlike calls", () => {
  assert.equal(read('FROM x | EVAL d = TO_LOWER(URL_DECODE(u)) | WHERE d LIKE "*etc/passwd*"'), {
    kind: "predicate",
    expr: { kind: "call", name: "like", caseInsensitive: false, args: [{ kind: "call", name: "toLower", caseInsensitive: false, args: [decoded] }, { kind: "literal", value: { kind: "string", parts: [{ kind: "any" }, { kind: "text", value: "etc/passwd" }, { kind: "any" }] } }] },
  });
  // RLIKE's `\d` is ES|QL's class, spelled out as for a field.
  assert.equal(read('FROM x | WHERE URL_DECODE(u) RLIKE """.*=\\d+"""'), {
    kind: "predicate",
    expr: { kind: "call", name: "rlike", caseInsensitive: false, args: [decoded, { kind: "literal", value: { kind: "string", parts: [{ kind: "text", value: ".*=[0-9]+" }] } }] },
  });
  assert.equal(read('FROM x | WHERE URL_DECODE(u) == "a b"'), { kind: "compare", op: "eq", left: decoded, right: { kind: "literal", value: { kind: "string", parts: [{ kind: "text", value: "a b" }] } } });
});

test("still refused: TO_UPPER of a decoded value, URL_DECODE of a lower-cased field", () => {
  for (const q of ['FROM x | WHERE TO_UPPER(URL_DECODE(u)) LIKE "A*"', 'FROM x | WHERE URL_DECODE(TO_LOWER(u)) LIKE "a*"']) {
    const r = readEsql(q);
    assert.ok(r.ok && r.value.kind === "refused" && r.value.refusal.code === "esql/unsupported-function", q);
  }
});

const CONDITIONS = [
  'TO_LOWER(URL_DECODE(u)) LIKE "*../../*"',
  'NOT TO_LOWER(URL_DECODE(u)) LIKE "*etc/passwd*"',
  'TO_LOWER(URL_DECODE(u)) LIKE ("*=http://*", "*php://*")',
  'TO_LOWER(URL_DECODE(u)) LIKE "*..\\\\\\\\..*"',
  'URL_DECODE(u) LIKE "?=?"',
  'TO_LOWER(URL_DECODE(u)) RLIKE """.*=.*[0-9]{1,3}\\.[0-9]{1,3}.*"""',
  'NOT URL_DECODE(u) RLIKE """[a-z =]+"""',
  'URL_DECODE(u) == "a b"',
  'URL_DECODE(u) != "a b"',
  "URL_DECODE(u) IS NULL",
  'TO_LOWER(URL_DECODE(u)) IN ("x=php://", "a b")',
];

const URLS = [
  "a+b", "a%20b", "x=PHP%3A%2F%2F", "x=php://", "%2e%2e%2F%2E%2E%2f", "../../", "..\\..", "%2E%2E%5C%2E%2E", "x=http%3a%2f%2f10.0.0.1", "x=%31%30.1.2.3",
  "%", "%zz", "50%", "%-0", "%+5=%+5", "%E2%82%AC=http://", "%ED%A0%80", "A=B", "a=b", "İ=HTTP://", "ETC%2fPASSWD", "%C3%A9=1.2",
];
const EVENTS: readonly Record<string, unknown>[] = [{}, { u: null }, ...URLS.map((u) => ({ u }))];

test("each reading matches what ES|QL matches, and so does the IR printed back as ES|QL, which Kibana's parser accepts", () => {
  for (const cond of CONDITIONS) {
    const text = `FROM x | WHERE ${cond}`;
    const ast = parseEsqlAst(text);
    if (!ast.ok) return assert.unreachable(`${text}: ${ast.error.message}`);
    const ir = read(text);
    const want = compileQuery(ir);
    if (!want.ok) return assert.unreachable(`${cond}: ${want.reason}`);
    const printed = printEsql(ir, { indices: ["x"] });
    assert.equal(printed.issues.filter((i) => i.severity === "error"), [], cond);
    assert.ok(checkEsql(printed.text, { release: true }).ok, printed.text);
    const back = parseEsqlAst(printed.text);
    if (!back.ok) return assert.unreachable(printed.text);
    let hits = 0;
    for (const event of EVENTS) {
      const got = esqlMatches(ast.value, event);
      const again = esqlMatches(back.value, event);
      if (!got.ok || !again.ok) return assert.unreachable(`${cond}: ${JSON.stringify(event)}`);
      assert.is(want.test(event), got.matched, `${cond} ${JSON.stringify(event)}`);
      assert.is(again.matched, got.matched, `printed ${printed.text} ${JSON.stringify(event)}`);
      if (got.matched) hits++;
    }
    assert.ok(hits > 0 && hits < EVENTS.length, `${cond}: ${hits} of ${EVENTS.length} events match`);
  }
});

test("Sigma, Splunk, EQL and KQL have no URL decoding: each refuses it by name", () => {
  const ir = read('FROM x | WHERE TO_LOWER(URL_DECODE(u)) LIKE "*etc/passwd*"');
  const codes = (issues: readonly { severity: string; code: string }[]) => issues.filter((i) => i.severity === "error").map((i) => i.code);
  assert.equal(codes(renderSigmaDetection(ir).issues), ["sigma/expression"]);
  assert.equal(codes(renderSplQuery(ir).issues), ["splunk/expression"]);
  assert.ok(codes(printEql(ir).issues).includes("eql/function"));
  assert.ok(codes(printKql(ir).issues).length > 0);
});

test.run();
