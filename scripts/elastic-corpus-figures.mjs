// Prints how many rules of the Elastic corpus (KQL and EQL rules) convert to Sigma and to Splunk,
// with the reasons for the rest counted. `node scripts/elastic-corpus-figures.mjs [corpus dir]`
// after `npm run build`. Figures for the README come from this script.
import { convertRule } from "../dist/src/pipeline/convert.js";
import { ELASTIC_CORPUS, readElasticCorpus } from "./read-elastic-corpus.mjs";
import { testContext } from "../dist/test/helpers/convert-fixture.js";

const dir = process.argv[2] ?? ELASTIC_CORPUS;
const read = readElasticCorpus(dir);
// Machine-learning rules carry no query (their IR is opaque), so they are not KQL/EQL rules here.
const rules = read.rules.filter((r) => (r.language === "kuery" || r.language === "eql") && r.query.kind !== "opaque");
const ctxFor = (sigmaTaxonomy) => testContext({ sigmaTaxonomy });

for (const [label, target, mode] of [
  ["Sigma (Sigma taxonomy)", "sigma", "sigma"],
  ["Sigma (auto: ECS names where the Sigma taxonomy has none)", "sigma", "auto"],
  ["Splunk", "splunk", "sigma"],
]) {
  const ctx = ctxFor(mode);
  const reasons = new Map();
  let ok = 0;
  for (const r of rules) {
    const res = convertRule(r, [target], ctx);
    if (res.outcome.converted.length === 1) {
      ok++;
      continue;
    }
    const first = res.diagnostics.find((d) => d.severity === "error");
    const key = first ? first.code + (first.code === "mapping/unmapped-field" ? ` (${/field `([^`]*)`/.exec(first.message)?.[1]})` : "") : "unknown";
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  console.log(`${label}: ${ok} of ${rules.length} KQL/EQL rules (${((ok / rules.length) * 100).toFixed(1)} %)`);
  for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(n).padStart(4)}  ${k}`);
}
