/**
 * `splunk.cim_fields`: a user's CIM home for a field, over the packaged table, for
 * `--splunk-taxonomy cim`. An unknown data model, data set or CIM field is a configuration error
 * (exit 2) that names the valid ones.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const rule = "title: Hash\nid: 5f0c1a2b-0000-4000-8000-0000000000a1\nstatus: test\nlevel: high\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    Hashes|contains: 'SHA256=ABC'\n  condition: sel\n";
const spl = (dir: string) => readFileSync(join(dir, "out/splunk/hash.spl"), "utf8");

test("a field with no packaged CIM home searches raw events; the user's home makes it a tstats search", () => {
  const plain = tempTree({ "r/a.yml": rule });
  const p = rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-taxonomy", "cim"], plain);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, /splunk\/cim-fallback/);
  assert.not.match(spl(plain), /tstats/);
  const dir = tempTree({ "r/a.yml": rule, "rulecast.config.yaml": "splunk:\n  taxonomy: cim\n  cim_fields:\n    - Hashes -> Endpoint.Processes.process_hash\n" });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /cim-fallback/);
  assert.match(spl(dir), /^\| tstats .* from datamodel=Endpoint\.Processes where Processes\.process_hash="\*SHA256=ABC\*"/);
});

test("an unknown data model, data set or field is a config error (exit 2) naming the valid ones", () => {
  for (const [entry, why] of [
    ["Hashes -> Endpoint2.Processes.process_hash", /unknown CIM data model `Endpoint2` in `Hashes -> Endpoint2\.Processes\.process_hash` \(valid: Endpoint, Network_Traffic, Network_Resolution, Web, Authentication, Change, Intrusion_Detection\)/],
    ["Hashes -> Endpoint.Process.process_hash", /unknown data set `Endpoint\.Process` of CIM data model Endpoint .*\(valid: Endpoint\.Processes, Endpoint\.Filesystem, Endpoint\.Registry, Endpoint\.Services, Endpoint\.Ports\)/],
    ["Hashes -> Endpoint.Processes.hash", /`hash` is not a field of CIM Endpoint\.Processes \(valid: action, .*process_hash/],
    ["Hashes Endpoint.Processes.process_hash", /is not a CIM field mapping/],
  ] as const) {
    const r = rulecast(["convert", "r", "--to", "splunk"], tempTree({ "r/a.yml": rule, "rulecast.config.yaml": `splunk:\n  cim_fields:\n    - ${JSON.stringify(entry)}\n` }));
    assert.is(r.code, 2, `${entry}: ${r.stderr}`);
    assert.match(r.stderr, why, entry);
  }
});

test.run();
