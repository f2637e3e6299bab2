/**
 * Long runs of one character anywhere in a rule: a blank, `*`, `:`, `\`, `%{` … repeated 100,000
 * times at a position drawn from a fixed seed, in SigmaHQ rules, Elastic TOML rules (KQL, EQL,
 * ES|QL), rule files and a Kibana export. Each must read and convert to every target without a
 * throw and in bounded CPU time: a scan that restarts at every character of a run (a trimming
 * regex, a keyword lookahead, a wildcard pattern) is quadratic and shows here as minutes. A hang
 * guard, not a speed measure.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { cpuMs } from "../helpers/cpu-time.js";
import { corpusFiles } from "../helpers/corpus-files.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readElasticToml, readKibanaNdjson } from "../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import type { Rule } from "../../src/ir/rule.js";
import { testContext } from "../helpers/convert-fixture.js";

const RUN = 100_000;
const LIMIT_MS = 4000;
const PIECES = [" ", "\t", "\n", "\r\n", "*", ":", "\\", "(", ")", "%", "{", "[", "=", "a", "-", ".", '"', "'", "|", "0", "/", "?", "<", ",", "_", "$", "^", "#", "&", "~", "!", "@", ";", "+", "a*", "%{", ":\\", "\\*", "a ", " or ", "(?<"];

type Reader = (path: string, text: string) => { readonly rules: readonly Rule[] };
const every = <T>(xs: readonly T[], n: number): T[] => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
const SOURCES: readonly (readonly [string, Reader])[] = [
  ...every(corpusFiles("../shared/corpus/sigma/rules", ".yml"), 5).map((f) => [f, readSigmaFile] as const),
  ...every(corpusFiles("../shared/corpus/elastic/rules", ".toml"), 5).map((f) => [f, readElasticToml] as const),
  ...every(corpusFiles("../shared/corpus/elastic/rules", ".toml").filter((f) => readFileSync(f, "utf8").includes('language = "esql"')), 2).map((f) => [f, readElasticToml] as const),
  ...every(corpusFiles("test/golden/cases", ".yaml"), 4).map((f) => [f, readNativeRuleFile] as const),
  ["out/elastic/rules.ndjson", readKibanaNdjson],
];

test(`runs of ${RUN.toLocaleString("en")} characters at seeded places of ${SOURCES.length} rules, ${PIECES.length} characters each: no throw, bounded time`, () => {
  let seed = 20261204;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ctx = testContext({ unmapped: "keep" });
  const slow: string[] = [];
  for (const [file, read] of SOURCES) {
    const text = readFileSync(file, "utf8");
    for (const piece of PIECES) {
      const at = Math.floor(next() * text.length);
      const mutated = text.slice(0, at) + piece.repeat(Math.ceil(RUN / piece.length)) + text.slice(at);
      let failure: string | undefined;
      const ms = cpuMs(() => {
        try {
          const r = read(file, mutated);
          if (r.rules.length > 0) convertRules(r.rules, ["sigma", "splunk", "elastic"], ctx);
        } catch (e) {
          failure = `threw ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`;
        }
      });
      if (failure !== undefined || ms > LIMIT_MS) slow.push(`${file} at ${at}, ${JSON.stringify(piece)}: ${failure ?? `${Math.round(ms)} ms of CPU`}`);
    }
  }
  assert.equal(slow, []);
});

test.run();
