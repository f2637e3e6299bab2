/**
 * The line after the run's counts that groups failures by their first error code: it must add up
 * to the failure count and name each cause once, most frequent first.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const sigma = (id: string, detection: string) =>
  `title: Rule ${id}\nid: ${id}\nstatus: test\nlogsource: {product: windows, category: process_creation}\nlevel: low\ndetection:\n${detection}`;

const files = {
  "rules/good.yml": sigma("11111111-1111-4111-8111-111111111111", "  sel:\n    Image|endswith: '\\\\cmd.exe'\n  condition: sel\n"),
  "rules/dup.yml": sigma("22222222-1111-4111-8111-111111111111", "  sel:\n    Image: a\n    Image: b\n  condition: sel\n"),
  "rules/modifier.yml": sigma("33333333-1111-4111-8111-111111111111", "  sel:\n    Image|foo: a\n  condition: sel\n"),
  // Free text with a wildcard: neither EQL, KQL nor ES|QL says it for Elastic (the first error is EQL's).
  "rules/keyword-a.yml": sigma("44444444-1111-4111-8111-111111111111", "  kw:\n    - 'a*b'\n  condition: kw\n"),
  "rules/keyword-b.yml": sigma("55555555-1111-4111-8111-111111111111", "  kw:\n    - 'c*d'\n  condition: kw\n"),
};

test("failures are counted by their first error, most frequent first, adding up to the failure count", () => {
  const dir = tempTree(files);
  const r = rulecast(["convert", "rules", "--to", "splunk,elastic", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^3 rules: 1 converted to every target, 2 to some \(splunk 2, elastic 0\), 0 to none, 0 skipped; 2 files failed to load$/m);
  const line = /^failed rules by first error: (.*)$/m.exec(r.stderr)?.[1];
  assert.is(line, "eql/keyword 2, sigma/duplicate-key 1, sigma/unknown-modifier 1");
});

test("a run where nothing fails prints no reasons line", () => {
  const dir = tempTree({ "rules/good.yml": files["rules/good.yml"] });
  const r = rulecast(["convert", "rules", "--to", "splunk,elastic", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /failed rules by first error/);
});

test.run();
