/**
 * Windows event-log provider names (issue 19.2): Winlogbeat and the Elastic Windows integrations
 * copy the provider to event.provider, Sigma's Provider_Name; Sysmon's own events named by provider
 * and code are their Sigma log sources (timestomp 2 is file_change, pipes 17/18 pipe_created, remote
 * threads 8 create_remote_thread, process access 10 process_access), with the acting process as those
 * events name it (SourceImage). Checked in the Sigma file and read back by Elastic.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ruleText } from "../helpers/rule-text.js";
import { ruleToSigma, sigmaBackToElastic } from "../helpers/sigma-export.js";

const rule = (query: string): string => ruleText({ id: "0a1b2c3d-0000-4000-8000-000000000194", name: "Provider test", query });

const toSigma = (query: string) => ruleToSigma(rule(query));
const back = (yml: string) => sigmaBackToElastic(yml);

test("event.provider is Provider_Name, read back as winlog.provider_name", () => {
  const { doc, yml } = toSigma('any where host.os.type == "windows" and event.provider == "Quick Assist" and event.code == "0"');
  assert.is(doc.taxonomy, undefined);
  assert.equal(doc.detection.selection, { Provider_Name: "Quick Assist", EventID: 0 });
  assert.match(back(yml), /winlog\.provider_name : "Quick Assist"/);
});

test("Sysmon's file events by code: timestomp is file_change, a pipe pipe_created", () => {
  const ts = toSigma('file where host.os.type == "windows" and event.provider == "Microsoft-Windows-Sysmon" and event.code == "2" and file.path : "C:\\\\Windows\\\\*"');
  assert.equal(ts.doc.logsource, { category: "file_change", product: "windows" });
  assert.equal(ts.doc.detection.selection, { "TargetFilename|startswith": "C:\\Windows\\" });
  assert.match(back(ts.yml), /winlog\.channel == "Microsoft-Windows-Sysmon\/Operational" and event\.code == "2"/);
  const pipe = toSigma('file where host.os.type == "windows" and event.provider == "Microsoft-Windows-Sysmon" and event.code == "17" and file.name : "\\\\*\\\\Pipe\\\\*"');
  assert.equal(pipe.doc.logsource, { category: "pipe_created", product: "windows" });
  assert.is(pipe.doc.taxonomy, undefined);
  assert.match(pipe.yml, /EventID: 17\n/);
  assert.match(pipe.yml, /PipeName: /);
});

test("remote threads and process access: their own log sources, the acting process as SourceImage", () => {
  for (const [code, category] of [["8", "create_remote_thread"], ["10", "process_access"]] as const) {
    const { doc, yml } = toSigma(`process where host.os.type == "windows" and event.provider == "Microsoft-Windows-Sysmon" and event.code == "${code}" and process.name : "MSBuild.exe"`);
    assert.equal(doc.logsource, { category, product: "windows" });
    assert.equal(doc.detection.selection, { "SourceImage|endswith": "\\MSBuild.exe" });
    assert.match(back(yml), new RegExp(`event\\.code == "${code}" and process\\.executable : "\\*\\\\\\\\MSBuild\\.exe"`));
  }
});

test("fields those events lack keep ECS names", () => {
  const lacking = ["process.command_line", "process.args", "process.parent.executable", "process.parent.name", "process.parent.command_line", "process.pe.original_file_name", "process.working_directory"];
  for (const code of ["8", "10"]) {
    for (const field of lacking) {
      const { doc } = toSigma(`process where host.os.type == "windows" and event.provider == "Microsoft-Windows-Sysmon" and event.code == "${code}" and ${field} : "x"`);
      assert.is(doc.taxonomy, "ecs", `${code} ${field}`);
    }
  }
});

test.run();
