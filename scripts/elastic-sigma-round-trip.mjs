// Elastic → Sigma → Elastic over the Elastic corpus: how many KQL/EQL rules come back matching
// differently. Events are made from the original query's own values (test/semantic/rule-events.ts:
// every value, each alone, each changed, each absent) and run through rulecast's evaluator against
// the original and the round-tripped query. Also counts round-tripped queries that contradict
// themselves (one field required to equal two different values in top-level conjuncts).
// Each query is evaluated as Elasticsearch runs it in its language, by the fields' ECS types
// (src/eval/ecs-typed.ts): a literal of the wrong type that EQL's verifier refuses makes the
// round-tripped rule differ on every event. The untyped figure (string forms) is printed beside it.
// `node scripts/elastic-sigma-round-trip.mjs [corpus dir] [--show N]` after `npm run build`.
import { compileQuery } from "../dist/src/eval/evaluate.js";
import { convertRule } from "../dist/src/pipeline/convert.js";
import { readRules } from "../dist/src/pipeline/read-rules.js";
import { ELASTIC_CORPUS, readElasticCorpus } from "./read-elastic-corpus.mjs";
import { parseEql } from "../dist/src/query/eql/eql-parser.js";
import { parseKql } from "../dist/src/query/kql/kql-parser.js";
import { testContext } from "../dist/test/helpers/convert-fixture.js";
import { ruleEvents } from "../dist/test/semantic/rule-events.js";

const args = process.argv.slice(2);
const showAt = args.indexOf("--show");
const show = showAt >= 0 ? Number(args[showAt + 1]) : 0;
const dir = args.find((a, i) => !a.startsWith("--") && i !== showAt + 1) ?? ELASTIC_CORPUS;
const read = readElasticCorpus(dir);
const BOOLEAN = new Set(["and", "or", "not", "match", "range", "exists", "keyword", "regex", "cidr", "fieldref", "all", "none"]);
const rules = read.rules.filter((r) => (r.language === "kuery" || r.language === "eql") && BOOLEAN.has(r.query.kind));
const ctx = testContext();

// --no-product: leave host.os.type out too (the product tags and index patterns say is added on purpose).
const SOURCE = new Set(["event.category", "event.type", "event.code", "event.dataset", "data_stream.dataset", "winlog.channel", "event.module", "network.protocol", ...(args.includes("--no-product") ? [] : ["host.os.type"])]);
const WARNED = new Set(["mapping/logsource-narrowed", "mapping/logsource-widened", "mapping/logsource-contradiction", "mapping/logsource-guessed", "mapping/logsource-conflict"]);
const counts = { rules: rules.length, toSigma: 0, back: 0, differ: 0, untypedDiffer: 0, typeRefused: 0, originalRefused: 0, sourceDiffer: 0, contradict: 0, narrowedWarned: 0, sourceWarned: 0, refused: 0 };
const langOf = (language) => (language === "eql" ? "eql" : "kql");
const typeRefusals = [];
const shown = [];
const shownContradictions = [];
for (const r of rules) {
  const s = convertRule(r, ["sigma"], ctx);
  if (s.diagnostics.some((d) => d.code === "mapping/logsource-contradiction")) counts.refused++;
  const yml = s.files.find((f) => f.target === "sigma" && f.path.endsWith(".yml"));
  if (!yml) continue;
  counts.toSigma++;
  if (s.diagnostics.some((d) => WARNED.has(d.code))) counts.narrowedWarned++;
  const again = readRules([{ path: "rt.yml", text: yml.content }]).rules[0];
  if (!again) continue;
  const e = convertRule(again, ["elastic"], ctx);
  const json = e.files.find((f) => f.target === "elastic" && f.path.endsWith(".json"));
  if (!json) continue;
  const k = JSON.parse(json.content);
  const parsed = k.language === "eql" ? parseEql(k.query) : k.language === "kuery" ? parseKql(k.query) : undefined;
  if (!parsed?.ok) continue;
  counts.back++;
  if (contradicts(parsed.value)) counts.contradict++;
  if (contradicts(parsed.value) && shownContradictions.length < show) shownContradictions.push(`${r.source.file}\n  before: ${r.queryText.replace(/\s+/g, " ").slice(0, 200)}\n  after:  ${k.query.replace(/\s+/g, " ").slice(0, 200)}`);
  const events = [...ruleEvents(r.query), ...ruleEvents(parsed.value)];
  const plainBefore = compileQuery(r.query);
  const plainAfter = compileQuery(parsed.value);
  if (plainBefore.ok && plainAfter.ok && events.some((ev) => plainBefore.test(ev.event) !== plainAfter.test(ev.event))) counts.untypedDiffer++;
  const before = compileQuery(r.query, { ecsTyped: langOf(r.language) });
  const after = compileQuery(parsed.value, { ecsTyped: langOf(k.language) });
  if (!before.ok) {
    counts.originalRefused++;
    continue;
  }
  if (!after.ok) {
    counts.differ++;
    counts.typeRefused++;
    if (typeRefusals.length < show) typeRefusals.push(`${r.source.file}\n  after:  ${k.query.replace(/\s+/g, " ").slice(0, 200)}\n  ${after.reason}`);
    continue;
  }
  const bad = events.find((ev) => before.test(ev.event) !== after.test(ev.event));
  if (bad) counts.differ++;
  // The log-source class alone: the top-level conditions on source fields, before and after.
  const sb = sourcePart(r.query);
  const sa = sourcePart(parsed.value);
  const cb = compileQuery(sb, { ecsTyped: langOf(r.language) });
  const ca = compileQuery(sa, { ecsTyped: langOf(k.language) });
  const sourceBad = cb.ok && ca.ok && [...ruleEvents(sb), ...ruleEvents(sa)].find((ev) => !ev.construct.endsWith(" case") && cb.test(ev.event) !== ca.test(ev.event));
  if (sourceBad) {
    counts.sourceDiffer++;
    if (s.diagnostics.some((d) => WARNED.has(d.code))) counts.sourceWarned++;
    else if (shown.length < show) shown.push(`${r.source.file}\n  before: ${r.queryText.replace(/\s+/g, " ").slice(0, 200)}\n  after:  ${k.query.replace(/\s+/g, " ").slice(0, 200)}\n  event (${sourceBad.construct}): ${JSON.stringify(sourceBad.event).slice(0, 200)}`);
  }
}
console.log(`${counts.rules} boolean KQL/EQL rules; ${counts.toSigma} to Sigma (${counts.narrowedWarned} with a log-source warning), ${counts.refused} refused as contradictions; ${counts.back} back to Elastic`);
console.log(`  match differently on the rule's own events, compared by ECS type: ${counts.differ} (${((counts.differ / Math.max(1, counts.back)) * 100).toFixed(1)} %), ${counts.typeRefused} of them refused by the type check (a literal of the wrong type); untyped (string forms): ${counts.untypedDiffer}; originals the type check refuses (not counted): ${counts.originalRefused}`);
console.log(`  log-source conditions alone match differently: ${counts.sourceDiffer} (${((counts.sourceDiffer / Math.max(1, counts.back)) * 100).toFixed(1)} %), ${counts.sourceWarned} of them with a log-source warning`);
console.log(`  contradict themselves: ${counts.contradict}`);
for (const s of shownContradictions) console.log(`contradiction: ${s}`);
for (const s of typeRefusals) console.log(`type refused: ${s}`);
for (const s of shown) console.log(`unwarned: ${s}`);

/**
 * The top-level conjuncts that test only where an event comes from. event.action is left out: the
 * process-start actions (exec, start, ...) are lifted with process_creation on purpose (ecs-sigma
 * `implied`), and an action the lift does not take stays in the query.
 */
function sourcePart(q) {
  const conj = q.kind === "and" ? q.children : [q];
  const fields = (n) => (n.kind === "match" || n.kind === "exists" || n.kind === "range" ? [n.field] : n.kind === "or" || n.kind === "and" ? n.children.flatMap(fields) : n.kind === "not" ? fields(n.child) : ["?"]);
  const kept = conj.filter((c) => fields(c).every((f) => SOURCE.has(f)));
  return kept.length === 0 ? { kind: "all" } : kept.length === 1 ? kept[0] : { kind: "and", children: kept };
}

/** A top-level conjunct set that asks one field for two different single values. */
function contradicts(q) {
  const conj = q.kind === "and" ? q.children : [q];
  const want = new Map();
  for (const c of conj) {
    const vals = c.kind === "match" ? [c] : c.kind === "or" && c.children.every((x) => x.kind === "match" && x.field === c.children[0]?.field) ? c.children : undefined;
    if (!vals || vals.length === 0) continue;
    const field = vals[0].field;
    if (!SOURCE.has(field)) continue;
    const set = new Set(vals.map((v) => (v.value.kind === "string" ? v.value.parts.map((p) => (p.kind === "text" ? p.value : "*")).join("").toLowerCase() : JSON.stringify(v.value))));
    if ([...set].some((s) => s.includes("*"))) continue;
    const prev = want.get(field);
    if (prev && ![...set].some((v) => prev.has(v))) return true;
    want.set(field, prev ? new Set([...set].filter((v) => prev.has(v))) : set);
  }
  return false;
}
