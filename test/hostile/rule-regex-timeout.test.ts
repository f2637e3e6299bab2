/**
 * Hostile input: a rule's own regular expression that backtracks (`^(a+)+$` against forty `a`s
 * and a `!`) made `rulecast test` run for hours, a CI stall from one pull request. Each rule is now
 * evaluated on a worker thread and stopped past `--rule-timeout` seconds: that rule fails with its
 * reason, the rules after it are still tested, and the run exits 1. The subprocess limit below is
 * a hang guard (minutes before the fix), far above the second the run needs.
 */
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLI, tempTree } from "../helpers/cli.js";

const sigma = (id: string, title: string, value: string) => `title: ${title}
id: ${id}
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|re: '${value}'
    condition: selection
level: low
`;

const run = (args: readonly string[], cwd: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
};

test("a backtracking regular expression is stopped at the limit; the rules after it are tested", () => {
  const dir = tempTree({
    "rules/a_backtracks.yml": sigma("6f3c0e55-0000-4000-8000-000000000001", "Backtracks", "^(a+)+$"),
    "rules/b_plain.yml": sigma("6f3c0e55-0000-4000-8000-000000000002", "Plain", "^a+!$"),
    "events.json": JSON.stringify([{ CommandLine: `${"a".repeat(40)}!` }]),
  });
  const r = run(["test", "rules", "--events", "events.json", "--expect", "match", "--rule-timeout", "1"], dir);
  assert.is(r.signal, null, "the run was killed by the hang guard");
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL Backtracks \(rules\/a_backtracks\.yml:1\): cannot evaluate: evaluating its events took longer than 1 s and was stopped/);
  assert.match(r.stdout, /PASS Plain \(rules\/b_plain\.yml:1\): expected match; event\[0\] matched/);
  assert.match(r.stderr, /1 rules passed, 1 failed/);
});

test("--rule-timeout takes a positive number of seconds; anything else exits 2", () => {
  const dir = tempTree({ "rules/b_plain.yml": sigma("6f3c0e55-0000-4000-8000-000000000002", "Plain", "^a+!$") });
  for (const bad of ["0", "-1", "1e9"]) {
    const r = run(["test", "rules", "--rule-timeout", bad], dir);
    assert.is(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /--rule-timeout takes a number of seconds/);
  }
});

test.run();
