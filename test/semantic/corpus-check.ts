/**
 * The corpus check: for each Sigma rule, events made from its own values get the same verdict
 * from the IR and from each target's rendering read back (Sigma YAML → readSigmaFile, SPL →
 * parseSpl → evaluateSpl, KQL → parseKql, EQL → parseEql, Lucene → parseLucene). Disagreements are grouped by target
 * and construct; those a named known difference explains are counted apart.
 */
import { readFileSync } from "node:fs";
import type { TypedLanguage } from "../../src/eval/ecs-typed.js";
import { compileQuery, evaluate } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { printEql } from "../../src/query/eql/eql-printer.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { printKql } from "../../src/query/kql/kql-printer.js";
import { parseLucene } from "../../src/query/lucene/lucene-parser.js";
import { printLucene } from "../../src/query/lucene/lucene-printer.js";
import type { PrintIssue } from "../../src/query/print-result.js";
import { evaluateSpl } from "../oracles/spl/spl-evaluate.js";
import { parseSpl } from "../oracles/spl/spl-parser.js";
import { readSigmaFile } from "../../src/sources/sigma/read-sigma-file.js";
import { renderSigmaDetection } from "../../src/query/sigma/sigma-detection-printer.js";
import { renderSplQuery } from "../../src/query/spl/spl-printer.js";
import { EQL_CHANGES, KQL_CHANGES, LUCENE_CHANGES } from "../properties/documented-changes.js";
import { BOOLEAN_STRING_CASE, EMPTY_EVENT_TEXT } from "../properties/known-differences.js";
import { documentedChanges, type Known, withChanges } from "../properties/law.js";
import { readBackSigma, sigmaYaml } from "../properties/sigma-document.js";
import { ruleEvents } from "./rule-events.js";

export const TARGETS = ["sigma", "spl", "kql", "eql", "lucene"] as const;
export type TargetName = (typeof TARGETS)[number];

type Tester = (e: Record<string, unknown>) => { ok: true; matched: boolean } | { ok: false; reason: string };

/** A target's reading of the rule: what it should mean (IR with documented changes) and a tester. */
type Reading = { readonly kind: "ok"; readonly expected: Query; readonly test: Tester; readonly known: readonly Known[] } | { readonly kind: "refused"; readonly code: string };

export interface Disagreement {
  readonly file: string;
  readonly title: string;
  readonly construct: string;
  readonly event: Record<string, unknown>;
  readonly expected: boolean;
  readonly actual: boolean | string;
}

export interface CorpusReport {
  rules: number;
  evaluable: number;
  events: number;
  /** Per target: rules checked, rules refused by the renderer (by code), known and other disagreements. */
  targets: Record<TargetName, { checked: number; refused: Record<string, number>; known: Record<string, number>; disagreements: Disagreement[] }>;
}

function errorCode(issues: readonly PrintIssue[]): string | undefined {
  return issues.find((i) => i.severity === "error")?.code;
}

function readings(q: Query): Record<TargetName, Reading> {
  const sigma = ((): Reading => {
    const d = renderSigmaDetection(q);
    const code = errorCode(d.issues);
    if (code) return { kind: "refused", code };
    const back = readBackSigma(sigmaYaml(d.detection));
    if (!back.ok) return { kind: "ok", expected: q, test: () => ({ ok: false, reason: back.reason }), known: [] };
    return { kind: "ok", expected: q, test: (e) => evaluate(back.query, e), known: [BOOLEAN_STRING_CASE] };
  })();
  const spl = ((): Reading => {
    const r = renderSplQuery(q);
    const code = errorCode(r.issues);
    if (code) return { kind: "refused", code };
    const text = [r.search || "*", ...(r.where ? [`| where ${r.where}`] : [])].join("\n");
    const back = parseSpl(text);
    if (!back.ok) return { kind: "ok", expected: q, test: () => ({ ok: false, reason: `${text}: ${back.error.message}` }), known: [] };
    return { kind: "ok", expected: q, test: (e) => evaluateSpl(back.value, e), known: [EMPTY_EVENT_TEXT] };
  })();
  // Elasticsearch runs KQL, Lucene and EQL by each field's mapped type (ECS), so their readings
  // are evaluated typed: a literal that lost its type, or a wrong-typed one EQL refuses, shows.
  const printed = (p: { text: string; issues: readonly PrintIssue[] }, parse: (t: string) => { ok: true; value: Query } | { ok: false; error: { message: string } }, changes: Readonly<Record<string, (n: Query) => Query>>, ecsTyped: TypedLanguage): Reading => {
    const code = errorCode(p.issues);
    if (code) return { kind: "refused", code };
    let expected: Query;
    try {
      expected = withChanges(q, documentedChanges(p.issues, changes));
    } catch (e) {
      return { kind: "refused", code: `undocumented-warning: ${(e as Error).message}` };
    }
    const back = parse(p.text);
    if (!back.ok) return { kind: "ok", expected, test: () => ({ ok: false, reason: `${p.text}: ${back.error.message}` }), known: [] };
    return { kind: "ok", expected, test: (e) => evaluate(back.value, e, { ecsTyped }), known: [] };
  };
  return {
    sigma,
    spl,
    kql: printed(printKql(q), parseKql, KQL_CHANGES, "kql"),
    eql: printed(printEql(q), parseEql, EQL_CHANGES, "eql"),
    lucene: printed(printLucene(q), parseLucene, LUCENE_CHANGES, "kql"),
  };
}

export function newReport(): CorpusReport {
  const t = () => ({ checked: 0, refused: {}, known: {}, disagreements: [] });
  return { rules: 0, evaluable: 0, events: 0, targets: { sigma: t(), spl: t(), kql: t(), eql: t(), lucene: t() } };
}

/** Checks every boolean rule of one Sigma file into `report`. */
export function checkFile(path: string, report: CorpusReport): void {
  const { rules } = readSigmaFile(path, readFileSync(path, "utf8"));
  for (const rule of rules) {
    report.rules++;
    const q = rule.query;
    if (!compileQuery(q).ok) continue;
    report.evaluable++;
    const events = ruleEvents(q);
    report.events += events.length;
    const rs = readings(q);
    for (const target of TARGETS) {
      const r = rs[target];
      const slot = report.targets[target];
      if (r.kind === "refused") {
        slot.refused[r.code] = (slot.refused[r.code] ?? 0) + 1;
        continue;
      }
      slot.checked++;
      const want = compileQuery(r.expected);
      if (!want.ok) {
        slot.refused[`unevaluable: ${want.reason}`] = (slot.refused[`unevaluable: ${want.reason}`] ?? 0) + 1;
        continue;
      }
      for (const { event, construct } of events) {
        const expected = want.test(event);
        const got = r.test(event);
        if (got.ok && got.matched === expected) continue;
        const k = got.ok ? r.known.find((x) => x.applies(r.expected, event)) : undefined;
        if (k) {
          slot.known[k.name] = (slot.known[k.name] ?? 0) + 1;
          continue;
        }
        slot.disagreements.push({ file: path, title: rule.name, construct, event, expected, actual: got.ok ? got.matched : got.reason });
      }
    }
  }
}

/** The report as lines: per target, figures, then disagreements grouped by construct (one example each). */
export function formatReport(r: CorpusReport): string[] {
  const lines = [`${r.rules} rules read, ${r.evaluable} evaluable on one event, ${r.events} events`];
  for (const t of TARGETS) {
    const s = r.targets[t];
    const refused = Object.values(s.refused).reduce((a, b) => a + b, 0);
    lines.push(`${t}: ${s.checked} rules checked, ${refused} refused by the renderer, ${s.disagreements.length} disagreeing events`);
    for (const [k, n] of Object.entries(s.known)) lines.push(`  known: ${k}: ${n} events`);
    const by = new Map<string, Disagreement[]>();
    for (const d of s.disagreements) by.set(d.construct, [...(by.get(d.construct) ?? []), d]);
    for (const [c, ds] of [...by].sort((a, b) => b[1].length - a[1].length)) {
      const d = ds[0]!;
      lines.push(`  ${c}: ${ds.length} (e.g. ${d.file} "${d.title}": event ${JSON.stringify(d.event).slice(0, 200)} IR ${d.expected}, ${t} ${d.actual})`);
    }
  }
  return lines;
}
