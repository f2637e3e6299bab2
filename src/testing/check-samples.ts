/**
 * Runs a rule's query over events and says, per event (or per stream for sequences and
 * correlations), whether it matched as expected. Used by `rulecast test` for the samples a rule
 * file carries and for `--events FILE --expect match|no-match`.
 *
 * A query written in one of Elasticsearch's languages is evaluated as Elasticsearch runs it, by
 * each ECS field's mapped type (eval/ecs-typed.ts): `process.pid:"3"` matches a pid of 3 in KQL
 * and Lucene, EQL refuses `process.pid == "3"` (so the rule cannot pass), and an ES|QL query is run
 * by the ES|QL evaluator over the events as the ECS mapping indexes them (`ecsMapped`). A Sigma
 * rule compares untyped: its backends decide the types.
 */
import { evaluateStream, flattenWindowsEvent, runEsql, type StreamOptions, type TypedLanguage } from "../eval/index.js";
import type { Query } from "../ir/query.js";
import type { QueryLanguage, Rule } from "../ir/rule.js";
import { parseEsqlAst } from "../query/esql/esql-parser.js";

/** The Elasticsearch language whose typed semantics a rule's query follows (ES|QL is run apart). */
const TYPED: Readonly<Record<QueryLanguage, TypedLanguage | undefined>> = { kuery: "kql", lucene: "kql", eql: "eql", esql: undefined, sigma: undefined };

function evalOptions(rule: Rule): StreamOptions {
  const ecsTyped = TYPED[rule.language];
  return ecsTyped ? { ecsTyped } : {};
}

/** An ES|QL rule's query run over the events: an aggregating one (STATS) on the whole list as one stream. */
function checkEsql(rule: Rule, evs: readonly Record<string, unknown>[], expected: "match" | "no-match", label: string): { verdicts: Verdict[]; error?: string } {
  const text = rule.query.kind === "opaque" ? rule.query.text : rule.queryText;
  const ast = parseEsqlAst(text);
  if (!ast.ok) return { verdicts: [], error: ast.error.message };
  const aggregates = ast.value.commands.some((c) => c.t === "stats" && !c.inline);
  if (aggregates && evs.length === 0) return { verdicts: [] };
  const r = runEsql(ast.value, evs, { ecsMapped: true });
  if (!r.ok) return { verdicts: [], error: r.reason };
  if (aggregates) {
    const matched = r.rows.length > 0;
    return { verdicts: [{ sample: `${label} (stream of ${evs.length} events)`, expected, matched, pass: matched === (expected === "match") }] };
  }
  const hit = new Set(r.sources);
  return { verdicts: evs.map((_, i) => ({ sample: `${label}[${i}]`, expected, matched: hit.has(i), pass: hit.has(i) === (expected === "match") })) };
}

export interface Verdict {
  /** `match[2]`, `no_match[0]`, or `match (stream of 4 events)`. */
  readonly sample: string;
  readonly expected: "match" | "no-match";
  readonly matched: boolean;
  readonly pass: boolean;
}

export interface RuleTest {
  readonly rule: Rule;
  readonly verdicts: readonly Verdict[];
  /** Why the rule could not be evaluated at all (an unsupported construct, events without time...). */
  readonly error?: string;
  readonly passed: boolean;
  /** `--events --expect`: the expectation is on the whole file, not on each event. */
  readonly fileLevel?: boolean;
}

/** Sequences, samples and correlations are judged on the whole list as one time-ordered stream. */
export function isStreamQuery(q: Query): boolean {
  return q.kind === "sequence" || q.kind === "sample" || q.kind === "correlation" || q.kind === "pipe";
}

/** Windows event JSON (`Event.System` / `Event.EventData`) is flattened to Sigma's field names. */
export function normaliseEvent(e: Record<string, unknown>): Record<string, unknown> {
  const ev = e["Event"];
  return ev && typeof ev === "object" && "System" in (ev as object) ? flattenWindowsEvent(e) : e;
}

export function checkEvents(rule: Rule, events: readonly Record<string, unknown>[], expected: "match" | "no-match", label: string): { verdicts: Verdict[]; error?: string } {
  const evs = events.map(normaliseEvent);
  if (rule.language === "esql") return checkEsql(rule, evs, expected, label);
  // A threshold is a count correlation in the IR: it too is judged on the whole stream.
  if (isStreamQuery(rule.query)) {
    if (evs.length === 0) return { verdicts: [] };
    const r = evaluateStream(rule.query, evs, evalOptions(rule));
    if (!r.ok) return { verdicts: [], error: r.reason };
    const matched = r.matches.length > 0;
    return { verdicts: [{ sample: `${label} (stream of ${evs.length} events)`, expected, matched, pass: matched === (expected === "match") }] };
  }
  const r = evaluateStream(rule.query, evs, evalOptions(rule));
  if (!r.ok) return { verdicts: [], error: r.reason };
  const hit = new Set(r.matches.flatMap((m) => m.events));
  return {
    verdicts: evs.map((_, i) => {
      const matched = hit.has(i);
      return { sample: `${label}[${i}]`, expected, matched, pass: matched === (expected === "match") };
    }),
  };
}

/** The rule's own samples: every `match` event must match, no `no_match` event may. */
export function testSamples(rule: Rule): RuleTest {
  const s = rule.samples ?? { match: [], noMatch: [] };
  const a = checkEvents(rule, s.match, "match", "match");
  const b = checkEvents(rule, s.noMatch, "no-match", "no_match");
  const error = a.error ?? b.error;
  const verdicts = [...a.verdicts, ...b.verdicts];
  return { rule, verdicts, ...(error ? { error } : {}), passed: !error && verdicts.length > 0 && verdicts.every((v) => v.pass) };
}

/**
 * `--events FILE --expect match`: holds when at least one event matches (the stream completes
 * once, for stream queries); `no-match` holds when none does.
 */
export function testEventFile(rule: Rule, events: readonly Record<string, unknown>[], expect: "match" | "no-match"): RuleTest {
  const r = checkEvents(rule, events, expect, "event");
  const anyMatch = r.verdicts.some((v) => v.matched);
  const holds = expect === "match" ? anyMatch : !anyMatch;
  // The expectation is on the file as a whole: each event line states a fact (matched or not), and
  // the rule's verdict is the one judgement, so the two cannot disagree.
  const verdicts = r.verdicts.map((v) => ({ ...v, pass: holds }));
  return { rule, verdicts, ...(r.error ? { error: r.error } : {}), passed: !r.error && events.length > 0 && holds, fileLevel: true };
}
