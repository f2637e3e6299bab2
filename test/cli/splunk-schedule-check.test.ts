/** `rulecast check` names the gap or overlap between consecutive Splunk runs' windows, in minutes. */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const every = (interval: string, from: string) => seed.replace(/^interval: .*$/m, `interval: ${interval}`).replace(/^from: .*$/m, `from: ${from}`);

test("check warns when consecutive windows leave a gap or overlap; an interval that divides the hour is quiet", () => {
  const quiet = rulecast(["check", "r", "--to", "splunk"], tempTree({ "r/a.yaml": every("10m", "now-12m") }));
  assert.not.match(quiet.stderr, /schedule-(gap|overlap)/, quiet.stderr);
  const odd = rulecast(["check", "r", "--to", "splunk"], tempTree({ "r/a.yaml": every("7m", "now-9m") }));
  assert.match(odd.stderr, /warning splunk\/schedule-(gap|overlap): splunk: interval 7m does not divide the hour\/day: cron `\d+-59\/7 \* \* \* \*` (leaves up to \d+m between|runs up to \d+m closer)/, odd.stderr);
  const long = rulecast(["check", "r", "--to", "splunk"], tempTree({ "r/a.yaml": every("90m", "now-95m") }));
  assert.match(long.stderr, /warning splunk\/schedule-overlap: splunk: interval 90m does not divide the hour\/day: cron `\d+ \* \* \* \*` runs up to 30m closer together than its window/, long.stderr);
});

test.run();
