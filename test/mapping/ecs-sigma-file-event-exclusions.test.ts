/**
 * Exclusions a file_event log source already says (issue 19.2): Sysmon's event 2 (a file's creation
 * time changed) is typed `change` by the Windows integration, never `creation`, so under file_event
 * (read back as `event.type:creation`) `event.action != "A process changed a file creation time"`
 * excludes nothing and is lifted with the log source; the rule keeps Sigma names. Under a log source
 * whose read-back does not pin event.type the exclusion stays.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ruleText } from "../helpers/rule-text.js";
import { ruleToSigma, sigmaBackToElastic } from "../helpers/sigma-export.js";

const toSigma = (query: string) => ruleToSigma(ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000195", name: "File event test", query }));
const back = (yml: string) => sigmaBackToElastic(yml);

test("Sysmon's creation-time change is no file creation: its exclusion is lifted with file_event", () => {
  const { doc, yml } = toSigma(
    'file where host.os.type == "windows" and event.type == "creation" and file.name : "amsi.dll" and event.action != "A process changed a file creation time"',
  );
  assert.equal(doc.logsource, { category: "file_event", product: "windows" });
  assert.is(doc.taxonomy, undefined);
  assert.not.match(yml, /event\.action|creation time/);
  assert.equal(doc.detection, { selection: { "TargetFilename|endswith": "\\amsi.dll" }, condition: "selection" });
  assert.match(back(yml), /event\.type == "creation"/);
});

test("another action's exclusion, or the same one in another case, stays", () => {
  const other = toSigma('file where host.os.type == "windows" and event.type == "creation" and file.name : "amsi.dll" and event.action != "FileCreate"');
  assert.match(other.yml, /event\.action/);
  const anyCase = toSigma('file where host.os.type == "windows" and event.type == "creation" and file.name : "amsi.dll" and not event.action : "a process changed a file creation TIME"');
  assert.match(anyCase.yml, /event\.action/);
});

test.run();
