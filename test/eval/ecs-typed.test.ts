/**
 * The evaluator compares by the field's mapped ECS type in the Elastic languages (issue 17, item
 * 6), so that a rule whose literals lost their type on the way through Sigma (`hostNetwork:true`
 * back as `== "true"`) is seen to differ: EQL refuses a string for a boolean or numeric field, and
 * KQL reads text as the field's type, as Elasticsearch does.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery, type EvalOptions } from "../../src/eval/evaluate.js";
import { esqlMatches, runEsql } from "../../src/eval/esql-run.js";
import { evaluateStream } from "../../src/eval/stream.js";
import { parseEsqlAst } from "../../src/query/esql/esql-parser.js";
import type { Query } from "../../src/ir/query.js";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleEvents } from "../semantic/rule-events.js";

const EQL: EvalOptions = { ecsTyped: "eql" };
const KQL: EvalOptions = { ecsTyped: "kql" };

function eql(where: string): Query {
  const r = parseEql(`any where ${where}`);
  if (!r.ok) throw new Error(`EQL: ${where}`);
  return r.value;
}

function kql(text: string): Query {
  const r = parseKql(text);
  if (!r.ok) throw new Error(`KQL: ${text}`);
  return r.value;
}

/** Which of `events` the query matches (their indexes), or the refusal. */
function matches(q: Query, opts: EvalOptions, events: readonly Record<string, unknown>[]): number[] | string {
  const c = compileQuery(q, opts);
  if (!c.ok) return `refused: ${c.reason}`;
  return events.flatMap((e, i) => (c.test(e) ? [i] : []));
}

const TRUSTED = [{ "process.code_signature.trusted": true }, { "process.code_signature.trusted": "true" }, { "process.code_signature.trusted": false }, { "process.code_signature.trusted": "TRUE" }];

test("a string \"true\" for a boolean field is not the boolean true: EQL refuses it, untyped it matched the same", () => {
  const asBoolean = eql("process.code_signature.trusted == true");
  const asString = eql('process.code_signature.trusted == "true"');
  // Untyped (string forms), the two read alike: the type loss was invisible.
  assert.equal(matches(asString, {}, TRUSTED), matches(asBoolean, {}, TRUSTED));
  // "TRUE" is not indexed as a boolean: Elasticsearch reads only true, false, "true", "false" and "".
  assert.equal(matches(asBoolean, EQL, TRUSTED), [0, 1]);
  assert.match(String(matches(asString, EQL, TRUSTED)), /^refused: EQL refuses "true" for process\.code_signature\.trusted, a boolean field/);
  // KQL sends the text and Elasticsearch reads it as the field's type.
  assert.equal(matches(kql('process.code_signature.trusted:"true"'), KQL, TRUSTED), [0, 1]);
  assert.match(String(matches(kql("process.code_signature.trusted:yes"), KQL, TRUSTED)), /^refused: Elasticsearch refuses "yes"/);
});

test("numbers compare numerically on numeric fields: \"3\" is 3 in KQL, and a string for a long field fails EQL", () => {
  const events = [{ "process.pid": 3 }, { "process.pid": "3" }, { "process.pid": "3.0" }, { "process.pid": "03" }, { "process.pid": "x" }, { "process.pid": 4 }];
  assert.equal(matches(kql("process.pid:3"), KQL, events), [0, 1, 2, 3]);
  // Untyped, "3.0" and "03" are other text.
  assert.equal(matches(kql("process.pid:3"), {}, events), [0, 1]);
  assert.equal(matches(eql("process.pid == 3"), EQL, events), [0, 1, 2, 3]);
  assert.match(String(matches(eql('process.pid == "3"'), EQL, events)), /^refused: EQL refuses "3" for process\.pid, a numeric field/);
  assert.match(String(matches(eql('process.pid : "3*"'), EQL, events)), /^refused/);
  // A long drops the fraction when it indexes 3.7; a range compares numbers, not text.
  assert.equal(matches(kql("process.pid:3"), KQL, [{ "process.pid": 3.7 }]), [0]);
  assert.equal(matches(kql("destination.port >= 900"), KQL, [{ "destination.port": "1000" }, { "destination.port": "80" }]), [0]);
  assert.match(String(matches(eql('destination.port >= "900"'), EQL, [])), /^refused/);
});

test("keyword fields compare exact text, case-sensitive; a number for a keyword fails EQL and is its text in KQL", () => {
  const events = [{ "event.code": "4624" }, { "event.code": 4624 }, { "process.name": "CMD.EXE" }, { "process.name": "cmd.exe" }];
  assert.equal(matches(eql('event.code == "4624"'), EQL, events), [0, 1]);
  assert.match(String(matches(eql("event.code == 4624"), EQL, events)), /^refused: EQL refuses 4624 for event\.code, a keyword field/);
  assert.equal(matches(eql('process.name == "cmd.exe"'), EQL, events), [3]);
  assert.equal(matches(eql('process.name : "cmd.exe"'), EQL, events), [2, 3]);
  assert.equal(matches(kql("process.name:cmd.exe"), KQL, events), [3]);
});

test("ip fields compare addresses: a CIDR block in KQL is a range, a bare address is that address in any spelling", () => {
  const events = [{ "source.ip": "10.1.2.3" }, { "source.ip": "::ffff:10.0.0.1" }, { "source.ip": "10.0.0.1" }, { "source.ip": "not an ip" }, { "source.ip": "192.168.0.1" }];
  assert.equal(matches(kql("source.ip:10.0.0.0/8"), KQL, events), [0, 1, 2]);
  assert.equal(matches(kql('source.ip:"10.0.0.1"'), KQL, events), [1, 2]);
  assert.equal(matches(eql('source.ip == "10.0.0.1"'), EQL, events), [1, 2]);
  assert.match(String(matches(eql('source.ip == "10.0.0.0/8"'), EQL, events)), /^refused/);
  assert.match(String(matches(kql("source.ip:10.*"), KQL, events)), /^refused/);
});

test("fields ECS does not define compare as before; the typed mode reaches sequence steps", () => {
  const q = eql('beacon_stats.beaconing_score == "3"');
  assert.equal(matches(q, EQL, [{ "beacon_stats.beaconing_score": 3 }, { "beacon_stats.beaconing_score": "3" }]), [0, 1]);
  const seq = parseEql('sequence [process where process.pid == "3"] [process where true]');
  assert.ok(seq.ok);
  const r = evaluateStream(seq.value, [{ "event.category": "process", "process.pid": 3 }], EQL);
  assert.ok(!r.ok && /sequence step 1: EQL refuses/.test(r.reason), JSON.stringify(r));
});

test("ES|QL reads an event as the ECS mapping indexes it: \"3\" in a long field is 3, 4624 in a keyword field is \"4624\"", () => {
  const run = (where: string, event: Record<string, unknown>, ecsMapped: boolean) => {
    const q = parseEsqlAst(`FROM logs-* | WHERE ${where}`);
    if (!q.ok) throw new Error(where);
    const r = esqlMatches(q.value, event, { ecsMapped });
    return r.ok ? r.matched : "refused";
  };
  // By its JSON type (a dynamic mapping) the string is a keyword, which ES|QL will not compare with a number.
  assert.is(run("process.pid == 3", { "process.pid": "3" }, false), "refused");
  assert.is(run("process.pid == 3", { "process.pid": "3" }, true), true);
  assert.is(run('event.code == "4624"', { "event.code": 4624 }, true), true);
  assert.is(run("process.code_signature.trusted == true", { "process.code_signature.trusted": "true" }, true), true);
  // A value the field's type cannot hold is not indexed: the field is absent.
  assert.is(run("process.pid IS NULL", { "process.pid": "x" }, true), true);
  // Fields ECS does not define keep their JSON type.
  assert.is(run('beacon_stats.beaconing_score == "3"', { "beacon_stats.beaconing_score": "3" }, true), true);
});

test("ES|QL TO_STRING writes a field ECS maps as a floating type as a Java double: 3 is \"3.0\"; a long stays \"3\"", () => {
  const run = (where: string, event: Record<string, unknown>) => {
    const q = parseEsqlAst(`FROM logs-* | WHERE ${where}`);
    if (!q.ok) throw new Error(where);
    const r = esqlMatches(q.value, event, { ecsMapped: true });
    return r.ok ? r.matched : r.reason;
  };
  // event.risk_score is a float in ECS; ES|QL reads it as a double, and TO_STRING uses Java's Double.toString.
  assert.is(run('TO_STRING(event.risk_score) == "3.0"', { "event.risk_score": 3 }), true);
  assert.is(run('TO_STRING(event.risk_score) == "3"', { "event.risk_score": 3 }), false);
  assert.is(run('event.risk_score::string == "3.0"', { "event.risk_score": "3" }), true);
  assert.is(run('TO_STRING(event.risk_score) == "1.0E7"', { "event.risk_score": 1e7 }), true);
  assert.is(run('TO_STRING(event.risk_score) == "1.0E-4"', { "event.risk_score": 0.0001 }), true);
  // Multi-valued: every value converted, then the single-value == is NULL; MV_MIN reads them all.
  assert.is(run('MV_MIN(TO_STRING(event.risk_score)) == "2.0"', { "event.risk_score": [2, 5.5] }), true);
  // A long field stays a long.
  assert.is(run('TO_STRING(process.pid) == "3"', { "process.pid": 3 }), true);
  // A column made from a double is a double; one made from a long, or a long EVAL overwrites it with, is not.
  const rows = (text: string, event: Record<string, unknown>) => {
    const q = parseEsqlAst(`FROM logs-* | ${text}`);
    if (!q.ok) throw new Error(text);
    const r = runEsql(q.value, [event], { ecsMapped: true });
    if (!r.ok) throw new Error(r.reason);
    return r.rows.map((x) => x.get("s"));
  };
  assert.equal(rows("EVAL x = event.risk_score | EVAL s = TO_STRING(x)", { "event.risk_score": 3 }), ["3.0"]);
  assert.equal(rows("EVAL x = event.risk_score, x = process.pid | EVAL s = TO_STRING(x)", { "event.risk_score": 3, "process.pid": 3 }), ["3"]);
  assert.equal(rows("RENAME event.risk_score AS x | EVAL s = TO_STRING(x)", { "event.risk_score": 3 }), ["3.0"]);
  assert.equal(rows("MV_EXPAND event.risk_score | EVAL s = TO_STRING(event.risk_score)", { "event.risk_score": [3, 4] }), ["3.0", "4.0"]);
  assert.equal(rows("EVAL s = TO_STRING(process.pid * 1.0)", { "process.pid": 3 }), ["3.0"]);
  // Without the ECS mapping, a whole JSON number is a long (dynamic mapping).
  const q = parseEsqlAst('FROM logs-* | WHERE TO_STRING(event.risk_score) == "3"');
  assert.ok(q.ok && (() => { const r = esqlMatches(q.value, { "event.risk_score": 3 }); return r.ok && r.matched; })());
});

/** A KQL rule through Sigma and back to Elastic, and the two queries with the language each is in. */
function roundTrip(query: string) {
  const ctx = testContext();
  const text = ["rule_id: 610949a1-312f-4e04-bb55-3a79b8c95261", "description: x", "name: Typed rule", "type: query", "language: kuery", "index: [logs-*]", "severity: low", "risk_score: 21", `query: '${query}'`, ""].join("\n");
  const original = readRules([{ path: "r.yaml", text }]).rules[0]!;
  const yml = convertRule(original, ["sigma"], ctx).files.find((f) => f.path.endsWith(".yml"))!.content;
  const sigma = readRules([{ path: "r.yml", text: yml }]).rules[0]!;
  const k = JSON.parse(convertRule(sigma, ["elastic"], ctx).files.find((f) => f.path.endsWith(".json"))!.content) as { query: string; language: string };
  const back = k.language === "eql" ? parseEql(k.query) : parseKql(k.query);
  if (!back.ok) throw new Error(k.query);
  return { before: original.query, after: back.value, lang: (k.language === "eql" ? "eql" : "kql") as "eql" | "kql", text: k.query };
}

/**
 * The round-trip check's verdict: whether the two differ on events made from their values, by the
 * typed evaluator (a refused query differs on all). Sigma's case-insensitive match has its own
 * warning (sigma/case-widened), so the `case` variants are left out, as lift-exactness.test.ts does.
 */
function differs(before: Query, after: Query, afterLang: "eql" | "kql"): boolean {
  const a = compileQuery(before, KQL);
  const b = compileQuery(after, { ecsTyped: afterLang });
  if (!a.ok) throw new Error(a.reason);
  if (!b.ok) return true;
  return [...ruleEvents(before), ...ruleEvents(after)].some((e) => !e.construct.endsWith(" case") && a.test(e.event) !== b.test(e.event));
}

test("the round trip keeps a boolean and a number typed, and the typed check sees a query that lost them", () => {
  const r = roundTrip("process.code_signature.trusted:true and process.pid:3 and process.name:x.exe");
  assert.not.match(r.text, /"true"|"3"/, r.text);
  assert.not.ok(differs(r.before, r.after, r.lang), r.text);
  // The same query with its literals printed as strings, as before issue 17: the check must count it.
  const lost = eql('process.code_signature.trusted == "true" and process.pid == "3" and process.name == "x.exe"');
  assert.ok(differs(r.before, lost, "eql"));
  // Untyped it looked the same on every event made from the rule's values.
  const untyped = (q: Query) => compileQuery(q);
  const [a, b] = [untyped(r.before), untyped(lost)];
  assert.ok(a.ok && b.ok);
  assert.not.ok([...ruleEvents(r.before), ...ruleEvents(lost)].some((e) => a.test(e.event) !== b.test(e.event)));
});

test.run();
