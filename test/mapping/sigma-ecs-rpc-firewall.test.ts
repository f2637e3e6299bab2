/**
 * RPC Firewall's InterfaceUuid and OpNum are unnamed insertion strings (positions 6 and 7 of event
 * 3), which Winlogbeat names param7/param8 from the event XML and param6/param7 from the
 * experimental renderer. The `unnamed-insertion` rows match a value on both names, which is exact
 * because the neighbouring strings never have the value's shape (mappings/sigma-ecs.yaml says why).
 * Checked here on events as each reader names them: the Elastic rule's verdict (the EQL read back)
 * is the Sigma rule's on the same event with Sigma's names.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileQuery } from "../../src/eval/evaluate.js";
import type { Rule } from "../../src/ir/rule.js";
import { sigmaEcsMapping } from "../../src/mapping/sigma-ecs.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { sigmaToEcs } from "../../src/passes/sigma-to-ecs.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { testContext } from "../helpers/convert-fixture.js";

const DIR = "../shared/corpus/sigma/rules/application/rpc_firewall/";
const RULES = ["rpc_firewall_atsvc_lateral_movement.yml", "rpc_firewall_atsvc_recon.yml", "rpc_firewall_dcsync_attack.yml", "rpc_firewall_efs_abuse.yml"];

/** The strings of one event 3, in ReportEvent order (rpcMessages.cpp). */
function strings(uuid: string, opnum: string): string[] {
  return ["NdrServerCallAll", "1234", "C:\\Windows\\System32\\svchost.exe", "ncacn_ip_tcp", "49668", "10.0.0.7", uuid, opnum, "CORP\\alice", "PKT_PRIVACY", "NEGOTIATE"];
}
/** The event as each Winlogbeat reader names the strings: from 1 (event XML) or from 0 (renderer). */
function shipped(values: readonly string[], from: 0 | 1) {
  const event_data = Object.fromEntries(values.map((v, i) => [`param${i + from}`, v]));
  return { winlog: { channel: "RPCFW", event_data }, event: { code: "3" } };
}

const UUIDS = ["1ff70682-0a51-30e8-076d-740be8cee98b", "e3514235-4b06-11d1-ab04-00c04fc2dcd2", "df1941c5-fe89-4e79-bf10-463657acf44d", "00000000-0000-0000-0000-000000000000"];
const OPNUMS = ["0", "1", "2", "12", "13"];

test("each rule converts to EQL; on events named by either reader, its verdict is the Sigma rule's", () => {
  for (const name of RULES) {
    const path = DIR + name;
    const rule = readRules([{ path, text: readFileSync(path, "utf8") }]).rules[0]!;
    const sigma = compileQuery(rule.query);
    assert.ok(sigma.ok);
    const r = convertRules([rule], ["elastic"], testContext());
    assert.equal(r.outcomes[0]!.converted, ["elastic"], name);
    const json = JSON.parse(r.files.find((f) => f.path.endsWith(".json"))!.content) as { language: string; query: string };
    assert.is(json.language, "eql");
    const eql = parseEql(json.query);
    assert.ok(eql.ok, name);
    const elastic = compileQuery(eql.value);
    assert.ok(elastic.ok);
    let alerts = 0;
    for (const uuid of UUIDS) {
      for (const opnum of OPNUMS) {
        const want = sigma.test({ EventLog: "RPCFW", EventID: 3, InterfaceUuid: uuid, OpNum: opnum });
        if (want) alerts++;
        for (const from of [1, 0] as const) assert.is(elastic.test(shipped(strings(uuid, opnum), from)), want, `${name} ${uuid} ${opnum} from ${from}`);
      }
    }
    assert.ok(alerts > 0, `${name} alerts on none of the events`);
  }
});

const sigmaRule = (detection: string): Rule =>
  readSigmaFile("t.yml", `title: T\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\nlogsource: {product: rpc_firewall, category: application}\ndetection:\n${detection}\n`).rules[0]!;

test("only a whole UUID or a whole number maps: a pattern, another shape or 'exists' could match the neighbouring string", () => {
  const mapping = sigmaEcsMapping();
  const refused = (detection: string) => sigmaToEcs(sigmaRule(detection), mapping).problems.filter((p) => p.severity === "error").map((p) => p.code);
  assert.equal(refused("    sel:\n        InterfaceUuid|startswith: 1ff70682\n    condition: sel"), ["mapping/value-unmapped"]);
  assert.equal(refused("    sel:\n        InterfaceUuid: 1ff70682\n    condition: sel"), ["mapping/value-unmapped"]);
  assert.equal(refused("    sel:\n        OpNum: UNKNOWN\n    condition: sel"), ["mapping/value-unmapped"]);
  assert.equal(refused("    sel:\n        OpNum|exists: true\n    condition: sel"), ["mapping/transform-unsupported"]);
  assert.equal(refused("    sel:\n        OpNum: 7\n        InterfaceUuid: 1FF70682-0A51-30E8-076D-740BE8CEE98B\n    condition: sel"), []);
});

test("a row without its second name or shape is malformed and skipped, so the field stays unmapped", () => {
  const row = { sigma: "OpNum", ecs: "winlog.event_data.param8", transform: "unnamed-insertion", when: { product: "rpc_firewall" } };
  assert.equal(sigmaEcsMapping({ fields: [row] }).fields, []);
  assert.equal(sigmaEcsMapping({ fields: [{ ...row, also: "winlog.event_data.param7" }] }).fields, []);
  assert.equal(sigmaEcsMapping({ fields: [{ ...row, also: "winlog.event_data.param7", shape: "integer" }] }).fields.map((f) => [f.also, f.shape]), [["winlog.event_data.param7", "integer"]]);
});

test.run();
