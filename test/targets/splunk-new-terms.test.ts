/**
 * Kibana new-terms rules as Splunk first-seen searches, in both taxonomies: the search reads the
 * history (dispatch.earliest_time = history + lag), groups by exactly the new-terms fields, and
 * keeps the combinations first seen in the run's own window, measured back from the end of the
 * range the scheduler searched. The SPL oracle evaluates one event at a time and has no `stats`
 * or `addinfo`, so the part it can read (the search, or the tstats rows) is evaluated, and the
 * first-seen commands after it are checked as text.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { renderSplFirstSeen } from "../../src/query/spl/spl-new-terms.js";
import { splunkSchedule } from "../../src/targets/splunk/splunk-schedule.js";
import { testContext } from "../helpers/convert-fixture.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";

const FIRST_SEEN_TAIL = ["| addinfo", '| where firstTime >= relative_time(info_max_time, "-5m")', "| fields - info_min_time info_max_time info_search_time info_sid"];

test("printer: events are grouped by the fields; the window is the last interval of the searched range", () => {
  const r = renderSplFirstSeen({ fields: ["User", "Computer"], window: { value: 5, unit: "m" }, rows: "events" });
  assert.equal("text" in r ? r.text.split("\n") : r, ["| stats count min(_time) as firstTime max(_time) as lastTime by User Computer", ...FIRST_SEEN_TAIL]);
  // tstats rows (split by the fields an exact `| where` reads) are merged per combination again.
  const g = renderSplFirstSeen({ fields: ["user"], window: { value: 1, unit: "h" }, rows: "grouped" });
  assert.equal("text" in g ? g.text.split("\n").slice(0, 3) : g, [
    "| stats sum(count) as count min(firstTime) as firstTime max(lastTime) as lastTime by user",
    "| addinfo",
    '| where firstTime >= relative_time(info_max_time, "-1h")',
  ]);
});

test("printer: a field `by` cannot name bare, or one the search computes itself, is refused by name", () => {
  for (const [field, why] of [["a b", "not a name"], ["count", "computes"], ["firstTime", "computes"], ["info_max_time", "computes"]] as const) {
    const r = renderSplFirstSeen({ fields: ["user", field], window: { value: 5, unit: "m" }, rows: "events" });
    assert.ok("error" in r && r.error.includes(`\`${field}\``) && r.error.includes(why), field);
  }
});

test("schedule: a first-seen search reads the history ending at the window's end, lag included", () => {
  const s = splunkSchedule("x", { value: 5, unit: "m" }, { value: 10, unit: "m" }, undefined, { value: 7, unit: "d" })!;
  assert.is(s.earliest, `-${7 * 1440 + 10}m@m`);
  assert.is(s.latest, "-10m@m");
  assert.is(splunkSchedule("x", { value: 5, unit: "m" }, { value: 10, unit: "m" }, undefined, { value: 90, unit: "s" }), undefined, "a history of no whole minutes");
});

const corpus = (name: string) => {
  const path = `../shared/corpus/elastic/rules/${name}`;
  return readRules([{ path, text: readFileSync(path, "utf8") }]).rules;
};
const DOCKER = "linux/execution_potentially_overly_permissive_container_creation.toml";

test("raw events: the rule's search, then first seen by the add-on's names; history 5d behind the 10m lag", () => {
  const r = convertRules(corpus(DOCKER), ["splunk"], testContext({}));
  assert.equal(r.outcomes[0]!.converted, ["splunk"]);
  const spl = r.files.find((f) => f.path.endsWith(".spl"))!.content.split("\n");
  const first = spl.findIndex((l) => l.startsWith("| stats "));
  assert.equal(spl.slice(first), ["| stats count min(_time) as firstTime max(_time) as lastTime by ParentImage", ...FIRST_SEEN_TAIL, "| `privileged_docker_container_creation_filter`", ""]);
  const conf = r.files.find((f) => f.path === "savedsearches.conf")!.content;
  assert.match(conf, `dispatch.earliest_time = -${5 * 1440 + 10}m@m\n`);
  assert.match(conf, "dispatch.latest_time = -10m@m\n");
  // The oracle reads the events' search: the rule's query, exactly.
  const search = parseSpl(spl.slice(0, first).join("\n"));
  assert.ok(search.ok);
  if (!search.ok) return;
  const event = { sourcetype: "sysmon:linux", EventCode: "1", Image: "/usr/bin/docker", CommandLine: "docker run --privileged -it alpine", ParentImage: "/bin/bash" };
  assert.equal(evaluateSpl(search.value, event), { ok: true, matched: true });
  assert.equal(evaluateSpl(search.value, { ...event, CommandLine: "docker run -it alpine" }), { ok: true, matched: false });
});

test("CIM: tstats grouped by exactly the new-terms field (and what `| where` reads), without fillnull: an event without the field is in no group", () => {
  const r = convertRules(corpus(DOCKER), ["splunk"], testContext({ splunkTaxonomy: "cim" }));
  assert.equal(r.outcomes[0]!.converted, ["splunk"]);
  assert.not.ok(r.diagnostics.some((d) => d.code === "splunk/cim-fallback"));
  const spl = r.files.find((f) => f.path.endsWith(".spl"))!.content.split("\n");
  assert.match(spl[0]!, /^\| tstats summariesonly=false allow_old_summaries=true count min\(_time\) as firstTime max\(_time\) as lastTime from datamodel=Endpoint\.Processes where .* by Processes\.parent_process_path Processes\.process_name Processes\.process$/);
  assert.not.match(spl[0]!, "fillnull_value");
  const first = spl.findIndex((l) => l.startsWith("| stats "));
  assert.equal(spl.slice(first), ["| stats sum(count) as count min(firstTime) as firstTime max(lastTime) as lastTime by parent_process_path", ...FIRST_SEEN_TAIL, "| `privileged_docker_container_creation_filter`", ""]);
  assert.match(r.files.find((f) => f.path === "savedsearches.conf")!.content, `dispatch.earliest_time = -${5 * 1440 + 10}m@m\n`);
  // The oracle builds tstats rows per event (one per value of a grouped field; none without one).
  const rows = parseSpl(spl.slice(0, first).join("\n"));
  assert.ok(rows.ok);
  if (!rows.ok) return;
  const event = { process_name: "docker", process: "docker run --privileged -it alpine", parent_process_path: "/bin/bash" };
  assert.equal(evaluateSpl(rows.value, event), { ok: true, matched: true });
  const { parent_process_path: _missing, ...without } = event;
  assert.equal(evaluateSpl(rows.value, without), { ok: true, matched: false }, "Kibana leaves out an event without a new-terms field");
  assert.equal(evaluateSpl(rows.value, { ...event, process: "docker run -it alpine" }), { ok: true, matched: false });
});

const MKFIFO = "linux/execution_suspicious_mkfifo_execution.toml";
const KILL = "linux/defense_evasion_kill_command_executed.toml";

test("CIM: a new-terms field whose CIM home is wider (host.id → dest) is grouped by it, with a warning that names what it merges", () => {
  // host.id → dest (the host by its name): two hosts of one name share their history, as a join key
  // on host.id does and as ESCU's searches group by dest.
  const r = convertRules(corpus(MKFIFO), ["splunk"], testContext({ splunkTaxonomy: "cim" }));
  assert.equal(r.outcomes[0]!.converted, ["splunk"]);
  assert.not.ok(r.diagnostics.some((d) => d.code === "splunk/cim-fallback"));
  const warned = r.diagnostics.find((d) => d.code === "mapping/widened" && d.message.includes("new-terms field `host.id` → `dest`"));
  assert.ok(warned && /may alert less/.test(warned.message), warned?.message);
  const spl = r.files.find((f) => f.path.endsWith(".spl"))!.content;
  assert.match(spl, "| stats sum(count) as count min(firstTime) as firstTime max(lastTime) as lastTime by dest process\n");
});

test("CIM: a new-terms rule tstats cannot group (a field the query does not require) reads the data set's tagged events, first seen per event", () => {
  // `not process.args: ...` matches events without a command line, which tstats would group under "null".
  const r = convertRules(corpus(KILL), ["splunk"], testContext({ splunkTaxonomy: "cim" }));
  assert.equal(r.outcomes[0]!.converted, ["splunk"]);
  assert.not.ok(r.diagnostics.some((d) => d.code === "splunk/cim-fallback"));
  assert.ok(r.diagnostics.some((d) => d.code === "splunk/cim-tagged-search"));
  const spl = r.files.find((f) => f.path.endsWith(".spl"))!.content.split("\n");
  assert.match(spl[0]!, /^tag=process tag=report process_name="kill" OR /);
  const first = spl.findIndex((l) => l.startsWith("| stats "));
  assert.equal(spl.slice(first, first + 4), ["| stats count min(_time) as firstTime max(_time) as lastTime by dest parent_process_path", ...FIRST_SEEN_TAIL]);
  const search = parseSpl(spl.slice(0, first).join("\n"));
  assert.ok(search.ok);
  if (!search.ok) return;
  const event = { tag: ["process", "report"], process_name: "kill", process: "kill -9 1234", parent_process_path: "/bin/bash", dest: "h1" };
  assert.equal(evaluateSpl(search.value, event, { eventTags: true }), { ok: true, matched: true });
  assert.equal(evaluateSpl(search.value, { ...event, process: undefined }, { eventTags: true }), { ok: true, matched: true }, "no command line: the NOT still holds");
  assert.equal(evaluateSpl(search.value, { ...event, process: "kill -HUP 1" }, { eventTags: true }), { ok: true, matched: false });
  assert.equal(evaluateSpl(search.value, { ...event, tag: ["network"] }, { eventTags: true }), { ok: true, matched: false }, "only the data set's events");
});

test.run();
