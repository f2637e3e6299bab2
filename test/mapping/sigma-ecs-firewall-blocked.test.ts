/**
 * Sigma's firewall `blocked` (no record has it) is read as ECS event.type allowed / denied, ECS's
 * categorization of a firewall's verdict (mappings/sigma-ecs.yaml), with a mapping/field-reading
 * warning; any other value is refused.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import { sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { sigmaToEcs } from "../../src/passes/sigma-to-ecs.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { testContext } from "../helpers/convert-fixture.js";

const map = (value: string) =>
  sigmaToEcs(readSigmaFile("t.yml", `title: t\nlogsource: { category: firewall }\ndetection:\n    selection:\n        blocked: ${value}\n    condition: selection\n`).rules[0]!, sigmaEcsMapping());

test("blocked false / true is event.type allowed / denied, warned; another value is refused", () => {
  for (const [value, want] of [['"false"', "allowed"], ["false", "allowed"], ['"true"', "denied"], ["True", "denied"]] as const) {
    const r = map(value);
    assert.match(JSON.stringify(r.rule!.query), `{"kind":"match","field":"event.type","value":{"kind":"string","parts":[{"kind":"text","value":"${want}"}]}`, value);
    assert.equal(r.problems.map((p) => [p.severity, p.code]), [["warning", "mapping/field-reading"]], value);
    assert.match(r.problems[0]!.message, "`blocked` → `event.type`");
  }
  assert.equal(map("maybe").problems.map((p) => [p.severity, p.code]), [["error", "mapping/value-unmapped"]]);
});

test("the cleartext-protocols rule converts to EQL and matches an allowed connection on a listed port only", () => {
  const path = "../shared/corpus/sigma/rules/network/firewall/net_firewall_cleartext_protocols.yml";
  const r = convertRules(readRules([{ path, text: readFileSync(path, "utf8") }]).rules, ["elastic"], testContext());
  assert.equal(r.outcomes[0]!.converted, ["elastic"]);
  const json = JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content) as { language: string; query: string };
  assert.is(json.language, "eql");
  const eql = parseEql(json.query);
  assert.ok(eql.ok);
  const q = compileQuery(eql.value);
  assert.ok(q.ok);
  const event = (port: number, type: string[]) => ({ event: { category: ["network"], type }, destination: { port } });
  assert.ok(q.test(event(23, ["connection", "allowed"])));
  assert.not.ok(q.test(event(23, ["connection", "denied"])));
  assert.not.ok(q.test(event(443, ["connection", "allowed"])));
});

test.run();
