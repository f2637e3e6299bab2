/**
 * `rulecast test` evaluates a query in one of Elasticsearch's languages as Elasticsearch runs it,
 * by each ECS field's mapped type (issue 17, item 6), not by the events' JSON text: a long field
 * holds "0443" as 443, a boolean field refuses the string "true" in EQL, and an ES|QL rule runs
 * over the events as the ECS mapping indexes them. Untyped, each of these verdicts was the opposite.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8").replace(/^samples:[\s\S]*/m, "");

/** The seed rule with another type, language and query (and samples, when given). */
function rule(type: string, language: string, query: string, samples = ""): string {
  const text = seed
    .replace(/^type: query$/m, `type: ${type}`)
    .replace(/^language: kuery$/m, `language: ${language}`)
    .replace(/^query: >-\n(  .*\n)+/m, `query: ${JSON.stringify(query)}\n`);
  assert.ok(text.includes(`language: ${language}`) && text.includes(JSON.stringify(query)), text);
  return text + samples;
}

const port = (p: unknown) => ({ event: { category: "network" }, destination: { port: p } });

test("KQL: a long field indexes \"0443\" and \"443.0\" as 443, so `destination.port:443` matches them (untyped it did not)", () => {
  const dir = tempTree({
    "kql.yaml": rule("query", "kuery", "event.category:network and destination.port:443", 'samples:\n  match:\n    - destination: { port: "443.0" }\n      event: { category: network }\n  no_match:\n    - destination: { port: "4430" }\n      event: { category: network }\n'),
    "events.json": JSON.stringify([port("0443"), port("80")]),
  });
  const samples = rulecast(["test", "kql.yaml"], dir);
  assert.is(samples.code, 0, samples.stdout + samples.stderr);
  assert.match(samples.stdout, /^PASS .*\(kql\.yaml:1\): 2\/2 as expected$/m);
  const r = rulecast(["test", "kql.yaml", "--events", "events.json", "--expect", "match", "--per-event"], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^PASS .*: expected match; 1 of 2 events matched\n  event\[0\]: matched\n  event\[1\]: did not match$/m);
});

test("KQL threshold: the typed comparison reaches the count (five events with port \"0443\" fire a threshold of 5)", () => {
  const threshold = rule("threshold", "kuery", "destination.port:443").replace(/^type: threshold$/m, "type: threshold\nthreshold:\n  field: [host.name]\n  value: 5");
  const dir = tempTree({ "t.yaml": threshold, "events.json": JSON.stringify(Array.from({ length: 5 }, () => ({ ...port("0443"), host: { name: "h" } }))) });
  const r = rulecast(["test", "t.yaml", "--events", "events.json", "--expect", "match"], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^PASS .*: expected match; event \(stream of 5 events\) matched$/m);
});

test("EQL: a string for a boolean field is a verification error, so the rule cannot pass (untyped it matched `true`)", () => {
  const dir = tempTree({
    "eql.yaml": rule("eql", "eql", 'network where process.code_signature.trusted == "true"'),
    "events.json": JSON.stringify([{ event: { category: "network" }, process: { code_signature: { trusted: true } } }]),
  });
  const r = rulecast(["test", "eql.yaml", "--events", "events.json", "--expect", "match"], dir);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL .*: cannot evaluate: EQL refuses "true" for process\.code_signature\.trusted, a boolean field$/m);
  // Written as a boolean, it passes.
  const fixed = tempTree({ "eql.yaml": rule("eql", "eql", "network where process.code_signature.trusted == true"), "events.json": JSON.stringify([{ event: { category: "network" }, process: { code_signature: { trusted: "true" } } }]) });
  const ok = rulecast(["test", "eql.yaml", "--events", "events.json", "--expect", "match"], fixed);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
});

test("ES|QL: the query runs over the events as the ECS mapping indexes them (it could not be evaluated before)", () => {
  const dir = tempTree({
    "esql.yaml": rule("esql", "esql", "FROM logs-* METADATA _id | WHERE destination.port == 443"),
    "agg.yaml": rule("esql", "esql", "FROM logs-* | WHERE destination.port == 443 | STATS n = COUNT(*) BY host.name | WHERE n >= 2").replace("610949a1-312f-4e04-bb55-3a79b8c95267", "610949a1-312f-4e04-bb55-3a79b8c95268").replace(/^name: .*$/m, "name: Aggregated"),
    "events.json": JSON.stringify([port("0443"), port(80), { ...port(443), host: { name: "h" } }]),
  });
  const r = rulecast(["test", "esql.yaml", "--events", "events.json", "--expect", "match", "--per-event"], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^PASS .*: expected match; 2 of 3 events matched\n  event\[0\]: matched\n  event\[1\]: did not match\n  event\[2\]: matched$/m);
  // Two events reach 443 but on different hosts (one has none, a group of its own): no group of two.
  const agg = rulecast(["test", "agg.yaml", "--events", "events.json", "--expect", "no-match"], dir);
  assert.is(agg.code, 0, agg.stdout + agg.stderr);
  assert.match(agg.stdout, /^PASS Aggregated .*: expected no-match; event \(stream of 3 events\) did not match$/m);
});

test.run();
