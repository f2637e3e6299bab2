/**
 * SigmaHQ's regression data: real Windows events that each named rule must match. Every rule is
 * read from the corpus, run over its events (flattened as Sigma field names expect), and must
 * match at least one of them. Where SigmaHQ's `match_count` differs from what rulecast counts, or
 * the rule is outside the corpus subset, the test names the reason; the lists are pinned so that
 * a new difference fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readEvents } from "../../src/eval/index.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { checkEvents } from "../../src/testing/check-samples.js";

const CORPUS = "../shared/corpus/sigma";

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const ruleFiles = new Map<string, string>();
for (const f of walk(CORPUS).filter((p) => p.endsWith(".yml") && !p.includes("regression_data"))) {
  const id = /^id:\s*([0-9a-f-]{36})/m.exec(readFileSync(f, "utf8"))?.[1];
  if (id) ruleFiles.set(id, f);
}
const infos = walk(join(CORPUS, "regression_data")).filter((p) => p.endsWith("info.yml"));

/** Rules whose ids the regression data names but the corpus subset does not hold (emerging threats). */
const NOT_IN_CORPUS = 4;
/**
 * Where SigmaHQ's recorded count is lower than the events that meet the rule as the spec reads
 * (checked by hand): Anydesk's `user.conf.new` and `user.conf~RF...TMP` contain `...\user.conf`;
 * IE Change Domain Zone's three events are the same EventID 13 write, all under ZoneMap\Domains.
 */
const COUNT_DIFFERENCES = [
  "Anydesk Temporary Artefact: matched 3 of 5, match_count 1",
  "IE Change Domain Zone: matched 3 of 3, match_count 1",
];

test("every regression rule matches its recorded events", () => {
  const failures: string[] = [];
  const notInCorpus: string[] = [];
  const countDifferences: string[] = [];
  let checked = 0;
  for (const info of infos) {
    const meta = parse(readFileSync(info, "utf8")) as {
      rule_metadata: { id: string; title: string }[];
      regression_tests_info: { match_count?: number; path: string }[];
    };
    for (const rm of meta.rule_metadata) {
      const file = ruleFiles.get(rm.id);
      if (!file) {
        notInCorpus.push(`${rm.title}: rule ${rm.id} not in the corpus subset`);
        continue;
      }
      const read = readSigmaFile(file, readFileSync(file, "utf8"));
      const rule = read.rules.find((r) => r.id === rm.id);
      if (!rule) {
        failures.push(`${rm.title}: not read (${read.diagnostics.map((d) => d.message).join("; ")})`);
        continue;
      }
      for (const t of meta.regression_tests_info) {
        const jsonPath = join(dirname(info), t.path.split("/").pop()!.replace(/\.evtx$/, ".json"));
        const events = readEvents(readFileSync(jsonPath, "utf8"));
        if (!events.ok) {
          failures.push(`${rm.title}: events unreadable: ${events.message}`);
          continue;
        }
        const r = checkEvents(rule, events.events as Record<string, unknown>[], "match", "event");
        const matched = r.verdicts.filter((v) => v.matched).length;
        checked++;
        if (r.error) failures.push(`${rm.title}: ${r.error}`);
        else if (matched === 0) failures.push(`${rm.title}: matched none of ${events.events.length} events`);
        else if (t.match_count !== undefined && matched !== t.match_count) {
          countDifferences.push(`${rm.title}: matched ${matched} of ${events.events.length}, match_count ${t.match_count}`);
        }
      }
    }
  }
  console.log(`regression data: ${checked} rule/event sets checked, ${failures.length} failures, ${notInCorpus.length} rules outside the corpus subset`);
  assert.ok(checked >= 90, `only ${checked} sets found`);
  assert.equal(failures, []);
  assert.equal(notInCorpus.length, NOT_IN_CORPUS, notInCorpus.join("\n"));
  assert.equal(countDifferences, COUNT_DIFFERENCES);
});

test.run();
