/**
 * `--splunk-taxonomy cim` end to end: Sigma and ECS rules become ESCU-style tstats searches over
 * their CIM data set; value changes are data (ECS event.outcome failure → action=failure); a rule
 * that CIM cannot hold searches raw events with a warning naming why; a bad value exits 2.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const sigma = (detection: string, logsource = "  category: process_creation\n  product: windows") =>
  `title: Suspicious Bitsadmin\nid: 0b1a9c3e-1111-4a0e-9c59-000000000001\nstatus: test\nlogsource:\n${logsource}\ndetection:\n${detection}\nlevel: high\n`;

test("a Sigma process_creation rule becomes tstats over Endpoint.Processes; the default is unchanged", () => {
  const dir = tempTree({ "r/a.yml": sigma("  sel:\n    Image|endswith: '\\bitsadmin.exe'\n    CommandLine|contains: ' /transfer '\n  condition: sel") });
  const r = rulecast(["convert", "r", "--to", "splunk", "--splunk-taxonomy", "cim", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.is(
    readFileSync(join(dir, "out/splunk/suspicious_bitsadmin.spl"), "utf8"),
    [
      '| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_path="*\\\\bitsadmin.exe" Processes.process="* /transfer *" by Processes.dest Processes.user Processes.parent_process_name Processes.parent_process Processes.process_name Processes.process Processes.process_id Processes.parent_process_id',
      "| `drop_dm_object_name(Processes)`",
      "| `suspicious_bitsadmin_filter`",
      "",
    ].join("\n"),
  );
  const plain = rulecast(["convert", "r", "--to", "splunk", "--out", "plain"], dir);
  assert.is(plain.code, 0, plain.stderr);
  assert.match(readFileSync(join(dir, "plain/splunk/suspicious_bitsadmin.spl"), "utf8"), /^source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode=1 Image=/);
});

test("config splunk.taxonomy: cim; an ECS rule's event.outcome failure becomes action=failure in Authentication", () => {
  const rule = readFileSync("rules/unusual_process_network_connection.yaml", "utf8")
    .replace(/^query: >-\n(  .*\n)+/m, 'query: event.category:authentication and event.outcome:failure and user.name:root\n');
  const dir = tempTree({ "r/a.yaml": rule, "rulecast.config.yaml": "splunk:\n  taxonomy: cim\n" });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(readFileSync(join(dir, "out/splunk/unusual_process_network_connection.spl"), "utf8"), /from datamodel=Authentication\.Authentication where Authentication\.action="failure" Authentication\.user="root" by /);
});

test("a field the data set lacks is named, and the rule searches raw events instead", () => {
  const dir = tempTree({ "r/a.yml": sigma("  sel:\n    Image|endswith: '\\x.exe'\n    Description: 'Evil'\n  condition: sel") });
  const r = rulecast(["convert", "r", "--to", "splunk", "--splunk-taxonomy", "cim", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning splunk\/cim-fallback: splunk: not a CIM data-model search: field `Description` has no field in CIM Endpoint\.Processes; the rule searches raw events/);
  assert.match(readFileSync(join(dir, "out/splunk/suspicious_bitsadmin.spl"), "utf8"), /^source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode=1 /);
});

test("bad usage: an unknown taxonomy exits 2 naming the valid ones", () => {
  const dir = tempTree({ "r/a.yml": sigma("  sel:\n    Image: x\n  condition: sel") });
  const r = rulecast(["convert", "r", "--to", "splunk", "--splunk-taxonomy", "ocsf"], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--splunk-taxonomy must be one of sigma, cim \(got `ocsf`\)/);
  const c = rulecast(["convert", "r", "--to", "splunk"], tempTree({ "r/a.yml": sigma("  sel:\n    Image: x\n  condition: sel"), "rulecast.config.yaml": "splunk:\n  taxonomy: ocsf\n" }));
  assert.is(c.code, 2);
  assert.match(c.stderr, /rulecast.config.yaml:2:13: error config\/invalid: splunk\.taxonomy: must be one of sigma, cim/);
});

test.run();
