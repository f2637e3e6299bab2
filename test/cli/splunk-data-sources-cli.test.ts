/**
 * Splunk data sources as configuration: `splunk.data_sources` replaces what selects a log
 * source's events (by ESCU name for every log source that uses it, or by log source), a bad entry
 * is a config error naming the valid names, `list data-sources` shows what is in force, a rule with
 * no data source is a warning naming its log source, and proxy/web/firewall rules read through a
 * CIM tag are checked against the CIM data set's fields.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const sigma = (id: string, logsource: string, detection: string) =>
  `title: Rule ${id}\nid: 5f0c1a2b-0000-4000-8000-00000000000${id}\nstatus: test\nlevel: high\nlogsource:\n${logsource}\ndetection:\n${detection}\n  condition: sel\n`;
const proc = sigma("1", "  category: process_creation\n  product: windows", "  sel:\n    Image|endswith: '\\whoami.exe'");
const proxy = sigma("2", "  category: proxy", "  sel:\n    c-useragent|contains: 'curl'");
const proxyCim = sigma("3", "  category: proxy", "  sel:\n    http_user_agent|contains: 'curl'");
const nowhere = sigma("4", "  category: made_up_source\n  product: windows", "  sel:\n    Image|endswith: '\\whoami.exe'");
const spl = (dir: string, name: string) => readFileSync(join(dir, "out/splunk", `${name}.spl`), "utf8");

test("defaults: Sysmon's source, unchanged; a named override applies to every Sysmon log source", () => {
  const plain = tempTree({ "r/a.yml": proc });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], plain).code, 0);
  assert.match(spl(plain, "rule_1"), /^source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode=1 Image="\*\\\\whoami\.exe"\n/);
  const macro = tempTree({ "r/a.yml": proc, "rulecast.config.yaml": 'splunk:\n  data_sources:\n    - "sysmon -> `sysmon`"\n' });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], macro);
  assert.is(r.code, 0, r.stderr);
  assert.match(spl(macro, "rule_1"), /^`sysmon` EventCode=1 Image="\*\\\\whoami\.exe"\n/);
  const terms = tempTree({ "r/a.yml": proc, "rulecast.config.yaml": 'splunk:\n  data_sources:\n    - sysmon -> index=edr sourcetype="XmlWinEventLog" source=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\n' });
  assert.is(rulecast(["convert", "r", "--to", "splunk", "--out", "out"], terms).code, 0);
  assert.match(spl(terms, "rule_1"), /^index="edr" sourcetype="XmlWinEventLog" source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode=1 Image=/);
});

test("a log-source entry wins over the named one, and gives a log source with no row its data source", () => {
  const cfg = 'splunk:\n  data_sources:\n    - "sysmon -> `sysmon`"\n    - "category=process_creation product=windows -> index=edr_*"\n    - "category=made_up_source -> `made_up`"\n';
  const dir = tempTree({ "r/a.yml": proc, "r/b.yml": nowhere, "rulecast.config.yaml": cfg });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(spl(dir, "rule_1"), /^index="edr_\*" EventCode=1 Image=/);
  assert.match(spl(dir, "rule_4"), /^`made_up` Image=/);
  assert.not.match(r.stderr, /logsource-unmapped/);
  const list = rulecast(["list", "data-sources"], dir);
  assert.is(list.code, 0, list.stderr);
  assert.match(list.stdout, /\ncategory=process_creation,product=windows +sysmon \(config\) +index="edr_\*" EventCode IN \(1\) +Endpoint\.Processes\n/);
  assert.match(list.stdout, /\ncategory=network_connection,product=windows +sysmon \(config\) +`sysmon` EventCode IN \(3\) /);
  assert.match(list.stdout, /\ncategory=made_up_source +- \(config\) +`made_up` +-\n/);
  assert.match(list.stdout, /\n {2}sysmon +`sysmon` \(config; default source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational"\)\n/);
});

test("a rule whose log source has no data source, or that names none, is a warning naming it", () => {
  const dir = tempTree({ "r/b.yml": nowhere });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning mapping\/logsource-unmapped: splunk: log source \{category: made_up_source, product: windows\} has no Splunk data source/);
  const bare = tempTree({ "r/a.yml": sigma("6", "  {}", "  sel:\n    User: admin").replace("logsource:\n  {}", "logsource: {}") });
  const b = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], bare);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stderr, /warning splunk\/no-data-source: splunk: the rule names no log source, so no data source selects its events/);
});

test("a bad entry is a config error (exit 2) that names the valid data sources and forms", () => {
  for (const [entry, why] of [
    ["sysmn -> `sysmon`", /`sysmn` is not a data source name \(write NAME -> SELECTOR .*NAME is one of sysmon, wineventlog_security, wineventlog_system, wineventlog_application, wineventlog_task_scheduler, powershell;/],
    ["sysmon", /`sysmon` is not a data source/],
    ["sysmon -> index=a | delete", /`index=a \| delete` is not a selector/],
    ["sysmon -> `a` | delete", /is not a selector/],
    ["colour=red -> index=a", /`colour=red` is not a log source/],
  ] as const) {
    const r = rulecast(["convert", "r", "--to", "splunk"], tempTree({ "r/a.yml": proc, "rulecast.config.yaml": `splunk:\n  data_sources:\n    - ${JSON.stringify(entry)}\n` }));
    assert.is(r.code, 2, entry);
    assert.match(r.stderr, why, entry);
  }
  const flag = rulecast(["convert", "r", "--to", "splunk", "--splunk-data-source", "nope -> index=x"], tempTree({ "r/a.yml": proc }));
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--splunk-data-source: `nope` is not a data source name/);
});

test("steps sharing a user's data source get it in front of the search; steps whose data sources differ are refused by name", () => {
  const seq = readFileSync("rules/psexec_network_connection.yaml", "utf8");
  const macro = tempTree({ "r/a.yaml": seq, "rulecast.config.yaml": 'splunk:\n  data_sources:\n    - "sysmon -> `sysmon`"\n' });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-index", "main"], macro);
  assert.is(r.code, 0, r.stderr);
  // The macro names its own index: --splunk-index is not added; each step keeps its EventCode.
  assert.match(spl(macro, "psexec_network_connection"), /^`sysmon` \(EventCode=1 Image=.*\) OR \(EventCode=3 Image=.*\)\n\| eval rc_m1=if\(tostring\(EventCode\)=="1" AND /);
  const split = tempTree({ "r/a.yaml": seq, "rulecast.config.yaml": 'splunk:\n  data_sources:\n    - "category=network_connection -> index=edr"\n' });
  const s = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], split);
  assert.is(s.code, 1);
  assert.match(s.stderr, /error splunk\/data-source-steps: splunk: the steps' data sources differ \(category=network_connection,product=windows: index="edr"; category=process_creation,product=windows: the default\)/);
});

test("proxy rules read through tag=proxy: Sigma names warned under --splunk-taxonomy sigma, refused under cim; CIM names pass", () => {
  const dir = tempTree({ "r/a.yml": proxy, "r/c.yml": proxyCim });
  const r = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning splunk\/raw-field-not-cim: splunk: log source category=proxy is selected by tag=proxy, whose events carry Web\.Web's CIM field names; `c-useragent` is not one/);
  assert.is(r.stderr.match(/raw-field-not-cim/g)?.length, 1, r.stderr);
  // Under cim the proxy rule with Sigma names is a Web tstats search (sigma-cim maps c-useragent); a name neither knows is refused.
  const odd = tempTree({ "r/a.yml": sigma("5", "  category: proxy", "  sel:\n    x-vendor-field: 'curl'") });
  const c = rulecast(["convert", "r", "--to", "splunk", "--out", "out", "--splunk-taxonomy", "cim"], odd);
  assert.is(c.code, 1);
  assert.match(c.stderr, /error splunk\/raw-field-not-cim: splunk: .*`x-vendor-field` is not one/);
  // The user's own proxy sourcetype says the events are that product's: nothing to check against CIM.
  const own = tempTree({ "r/a.yml": proxy, "rulecast.config.yaml": 'splunk:\n  data_sources:\n    - "category=proxy -> sourcetype=bluecoat:proxysg:access:syslog"\n' });
  const o = rulecast(["convert", "r", "--to", "splunk", "--out", "out"], own);
  assert.is(o.code, 0, o.stderr);
  assert.not.match(o.stderr, /raw-field-not-cim/);
  assert.match(spl(own, "rule_2"), /^sourcetype="bluecoat:proxysg:access:syslog" c-useragent="\*curl\*"\n/);
});

test.run();
