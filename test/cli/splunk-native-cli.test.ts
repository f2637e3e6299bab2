/**
 * Splunk as ES teams run it: rules ship disabled unless the rule, --enable or config says
 * enabled; every search ends in its filter macro, defined in macros.conf; the app has [id], a
 * label AppInspect accepts, exports searches and macros, and refuses reserved names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const conf = (dir: string, app?: string) => readFileSync(join(dir, app ? `out/splunk-app/${app}/default/savedsearches.conf` : "out/splunk/savedsearches.conf"), "utf8");

test("disabled = 1 unless the rule says enabled; --enable and config enabled: true turn the rest on; the rule's own enabled wins", () => {
  const dir = tempTree({ "r/a.yaml": seed, "r/b.yaml": seed.replace(/^rule_id: .*$/m, "rule_id: 0b1a9c3e-2222-4a0e-9c59-000000000002").replace(/^name: .*$/m, "name: Off By Rule").replace(/^max_signals: 100$/m, "max_signals: 100\nenabled: false") });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir).code, 0);
  assert.equal([...conf(dir).matchAll(/^disabled = (\d)$/gm)].map((x) => x[1]), ["1", "1"]);
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--enable"], dir).code, 0);
  const byStanza = conf(dir).split(/^(?=\[)/m).slice(1).map((s) => `${/^\[(.*)\]/.exec(s)?.[1]}=${/^disabled = (\d)$/m.exec(s)?.[1]}`);
  assert.equal(byStanza.sort(), ["Off By Rule=1", "Unusual Process Network Connection=0"]);
  const cfg = tempTree({ "r/a.yaml": seed, "rulecast.config.yaml": "enabled: true\n" });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], cfg).code, 0);
  assert.match(conf(cfg), /^disabled = 0$/m);
});

test("every search ends in its filter macro, and macros.conf defines each as `search *`; the schedule is snapped with a lag", () => {
  const dir = tempTree({ "r/a.yaml": seed, "rulecast.config.yaml": "splunk:\n  lag: 15m\n" });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir).code, 0);
  assert.match(conf(dir), /\| `unusual_process_network_connection_filter`\ndisabled = 1\n/);
  assert.match(readFileSync(join(dir, "out/splunk/macros.conf"), "utf8"), /\n\[unusual_process_network_connection_filter\]\ndefinition = search \*\n$/);
  assert.match(conf(dir), /\ncron_schedule = \d-59\/5 \* \* \* \*\ndispatch\.earliest_time = -20m@m\ndispatch\.latest_time = -15m@m\n/);
  assert.match(conf(dir), /\nallow_skew = 0\nschedule_window = auto\n/);
  const bad = rulecast(["convert", "r", "--to", "splunk"], tempTree({ "r/a.yaml": seed, "rulecast.config.yaml": "splunk:\n  lag: 30s\n" }));
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /splunk\.lag: must be whole minutes/);
});

test("risk-based alerting: risk objects from the fields the results carry, the rule's score, a message; notable/risk/both", () => {
  const dir = tempTree({ "r/a.yaml": seed });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir).code, 0);
  const both = conf(dir);
  assert.match(both, /\naction\.risk = 1\naction\.risk\.param\._risk = \[\{"risk_object_field":"host","risk_object_type":"system","risk_score":21\}\]\naction\.risk\.param\._risk_message = Unusual Process Network Connection: host=\$host\$\n/);
  assert.match(both, /\naction\.notable = 1\n/);
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-alert", "risk"], dir).code, 0);
  assert.not.match(conf(dir), /action\.notable/);
  assert.match(conf(dir), /action\.risk = 1/);
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-alert", "notable"], dir).code, 0);
  assert.not.match(conf(dir), /action\.risk/);
  // A CIM tstats search groups by dest and user: both become risk objects, as in ESCU.
  const cim = tempTree({ "r/a.yaml": seed.replace(/^query: >-\n(  .*\n)+/m, "query: event.category:process and event.type:start and process.name:cmd.exe\n") });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-taxonomy", "cim"], cim).code, 0);
  assert.match(conf(cim), /_risk = \[\{"risk_object_field":"dest","risk_object_type":"system","risk_score":21\},\{"risk_object_field":"user","risk_object_type":"user","risk_score":21\}\]\n/);
});

test("the app: [id], [package] id, a 5-80 character label, macros.conf, default.meta exporting searches and macros", () => {
  const dir = tempTree({ "r/a.yaml": seed });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-app", "soc"], dir).code, 0);
  const app = readFileSync(join(dir, "out/splunk-app/soc/default/app.conf"), "utf8");
  assert.match(app, /\n\[package\]\nid = soc\n/);
  assert.match(app, /\n\[id\]\nname = soc\nversion = 1\.0\.0\n/);
  assert.match(app, /\n\[launcher\]\n/);
  assert.match(app, /\nlabel = soc detections\n/);
  assert.match(readFileSync(join(dir, "out/splunk-app/soc/default/macros.conf"), "utf8"), /\[unusual_process_network_connection_filter\]/);
  const meta = readFileSync(join(dir, "out/splunk-app/soc/metadata/default.meta"), "utf8");
  assert.match(meta, /\[savedsearches\]\nowner = admin\nexport = system\n/);
  assert.match(meta, /\[macros\]\nexport = system\n/);
});

test("list data-sources: per log source, the raw-event conditions and the CIM data set", () => {
  const r = rulecast(["list", "data-sources"], tempTree({}));
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.match(lines[0]!, /^log source +data source +raw events \(--splunk-taxonomy sigma\) +CIM data set \(--splunk-taxonomy cim\)$/);
  assert.ok(lines.some((l) => /^category=process_creation,product=windows +sysmon +source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode IN \(1\) +Endpoint\.Processes$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^category=registry_set,product=windows .* Endpoint\.Registry \(action=modified\)$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^category=proxy +- +tag="proxy" +Web\.Web$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^category=dns_query +- +- +Network_Resolution\.DNS$/.test(l)), r.stdout);
});

test("reserved or invalid app names are refused with exit 2", () => {
  for (const [name, why] of [["CON", "reserves"], ["search", "reserves"], ["lpt1.x", "reserves"], ["1abc", "not starting with a digit"], ["a.", "ending with a dot"]] as const) {
    const r = rulecast(["convert", "r", "--to", "splunk", "--splunk-app", name], tempTree({ "r/a.yaml": seed }));
    assert.is(r.code, 2, name);
    assert.match(r.stderr, why, name);
  }
});

test.run();
