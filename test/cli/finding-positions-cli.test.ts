/**
 * A finding points where the user has to edit (issue 17, item 5): an unmapped or unknown field at
 * the field as written (not at its first value, not at the query's start), a log-source finding at
 * `logsource:`, a name collision at `title:` / `name:`. Sigma rules and rule files, through the CLI.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

/** `file:line:col: severity code` of each finding line with that code. */
const places = (stderr: string, code: string) =>
  stderr.split("\n").filter((l) => l.includes(` ${code}: `)).map((l) => /^([^:]+:\d+:\d+)/.exec(l)?.[1]);

const ZEEK = [
  "id: 8f0f1c1e-1111-4a4a-9b9b-000000000003",
  "# the title is not on the rule's first line",
  "title: Unmapped field in a list",
  "logsource:",
  "    product: zeek",
  "    service: dns",
  "detection:",
  "    selection:",
  "        - query|endswith: '.onion'",
  "        - query|endswith: '.i2p'",
  "    filter:",
  "        - query: 'a'",
  "        - Zed|contains:",
  "            - x",
  "            - y",
  "    condition: selection and not filter",
  "level: low",
  "",
].join("\n");

test("Sigma: an unmapped field with a list of values points at the field; the unmapped log source at `logsource:`", () => {
  const dir = tempTree({ "rules/z.yml": ZEEK });
  const r = rulecast(["check", "rules", "--to", "splunk,elastic"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.equal(places(r.stderr, "mapping/unmapped-field"), ["rules/z.yml:13:11"], r.stderr);
  assert.equal(places(r.stderr, "sigma/unknown-field"), ["rules/z.yml:13:11"], r.stderr);
  assert.equal(places(r.stderr, "mapping/logsource-unmapped"), ["rules/z.yml:4:1"], r.stderr);
});

test("Sigma: two rules whose Splunk names collide: the second is pointed at its `title:`", () => {
  const dir = tempTree({ "rules/a.yml": ZEEK.replace("000000000003", "000000000004"), "rules/b.yml": ZEEK });
  const r = rulecast(["convert", "rules", "--to", "splunk", "--unmapped", "keep"], dir);
  assert.is(r.code, 1, r.stderr);
  const line = r.stderr.split("\n").find((l) => l.includes("output/name-collision"));
  assert.match(line ?? "", /^rules\/b\.yml:3:1: error output\/name-collision: splunk: rules\/a\.yml:3 already has the splunk name /, r.stderr);
});

const native = (id: string, query: string, extra = "") =>
  [
    `rule_id: 610949a1-312f-4e04-bb55-3a79b8c9526${id}`,
    "description: x",
    "name: Native rule",
    "type: query",
    "language: kuery",
    "index:",
    "  - logs-*",
    "severity: low",
    "risk_score: 21",
    "query: >-",
    ...query.split("\n").map((l) => `  ${l}`),
    extra,
  ].join("\n");

test("rule files: a field before a value group points at the field; the log source at `custom: logsource:`; a name collision at `name:`", () => {
  const typo = native("8", "event.category:process and\nprocesx.name:(a.exe or b.exe)");
  const zeek = native("9", "dns.question.name:a.onion", "custom:\n  logsource:\n    product: zeek\n    service: dnsx\n");
  const dir = tempTree({ "rules/a.yaml": typo, "rules/b.yaml": zeek });
  const r = rulecast(["convert", "rules", "--to", "splunk"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.equal(places(r.stderr, "mapping/unmapped-field"), ["rules/a.yaml:12:3"], r.stderr);
  assert.equal(places(r.stderr, "mapping/logsource-unmapped"), ["rules/b.yaml:13:3"], r.stderr);
  assert.equal(places(r.stderr, "output/name-collision"), [], "a failed rule takes no name");
  const both = rulecast(["convert", "rules", "--to", "splunk", "--unmapped", "keep"], dir);
  assert.equal(places(both.stderr, "output/name-collision"), ["rules/b.yaml:3:1"], both.stderr);
});

test("rule files: a field one slip from an ECS field (`proces.name`) is a warning of `check` for Elastic too, at the field", () => {
  const typo = native("10", "event.category:process and\nproces.name:(a.exe or b.exe) and\nprocess.Ext.api.name:x");
  const dir = tempTree({ "rules/a.yaml": typo });
  const r = rulecast(["check", "rules", "--to", "elastic"], dir);
  assert.is(r.code, 0, r.stderr);
  // The Endpoint integration's process.Ext.api.name is no ECS field, but no slip from one either.
  assert.equal(places(r.stdout + r.stderr, "ecs/unknown-field"), ["rules/a.yaml:12:3"], r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /`proces\.name` is not an ECS field; did you mean `process\.name`\?/);
  assert.is(rulecast(["check", "rules", "--to", "elastic", "--fail-on", "warning"], dir).code, 1);
});

test.run();
