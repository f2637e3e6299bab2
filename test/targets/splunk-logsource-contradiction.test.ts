/**
 * A log source's own conditions beside a query condition that allows only other values of the
 * same field: an ECS rule's `event.code == "8"` (Sysmon's CreateRemoteThread, which the Windows
 * sysmon_operational pipeline types `process`) under event.category process, lifted as
 * process_creation (Sysmon EventCode 1), searched `EventCode=1 EventCode="8"`, which matches no
 * event. (Event code 10 was such a case until it became process_access, ecs-sigma.yaml.) Such a rule is refused by name, in both
 * Splunk taxonomies, instead of converting to a search that never alerts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { ruleText } from "../helpers/rule-text.js";

const rule = (query: string): string => ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000153", name: "Contradiction test", query });

for (const taxonomy of ["sigma", "cim"] as const) {
  test(`--splunk-taxonomy ${taxonomy}: an event code the log source's own code excludes is refused by name`, () => {
    const read = readRules([{ path: "rules/c.yaml", text: rule('process where host.os.type == "windows" and event.code == "8" and winlog.event_data.TargetImage : "?:\\\\WINDOWS\\\\system32\\\\lsass.exe"') }]);
    const out = convertRules(read.rules, ["splunk"], testContext({ splunkTaxonomy: taxonomy }));
    const clash = out.diagnostics.find((d) => d.code === "mapping/logsource-contradiction");
    assert.ok(clash && clash.severity === "error", out.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
    assert.match(clash.message, /`EventCode` \(8\) is none of its log source's \(1\)/);
    assert.equal(out.outcomes[0]!.converted, []);
  });

  test(`--splunk-taxonomy ${taxonomy}: the log source's own code, or one of a list that holds it, still converts`, () => {
    for (const code of ['event.code == "1"', 'event.code in ("1", "8")']) {
      const read = readRules([{ path: "rules/c.yaml", text: rule(`process where host.os.type == "windows" and event.type == "start" and ${code} and process.name : "cmd.exe"`) }]);
      const out = convertRules(read.rules, ["splunk"], testContext({ splunkTaxonomy: taxonomy }));
      assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), [], code);
      assert.equal(out.outcomes[0]!.converted, ["splunk"], code);
    }
  });
}

test.run();
