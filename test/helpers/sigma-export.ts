/**
 * A rule file's Sigma export and its read-back to Elastic, for tests that check one mapping both
 * ways. Both steps must convert without an error.
 */
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "./convert-fixture.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SigmaDoc = Record<string, any>;

export interface SigmaExport {
  /** Every YAML document of the file (a correlation comes with its base rules). */
  readonly docs: readonly SigmaDoc[];
  readonly doc: SigmaDoc;
  readonly yml: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function ruleToSigma(ruleFileText: string): SigmaExport {
  const out = convertRules(readRules([{ path: "rules/r.yaml", text: ruleFileText }]).rules, ["sigma"], testContext());
  assert.equal(out.diagnostics.filter((d) => d.severity === "error"), []);
  const yml = out.files.find((f) => f.path.endsWith(".yml"))?.content ?? "";
  const docs = parseAllDocuments(yml).map((d) => d.toJS() as SigmaDoc);
  return { docs, doc: docs[0] ?? {}, yml, diagnostics: out.diagnostics };
}

/** The Elastic query the Sigma file reads back as; `refuse` lists warning codes that fail too. */
export function sigmaBackToElastic(yml: string, refuse: readonly string[] = []): string {
  const again = convertRules(readRules([{ path: "back.yml", text: yml }]).rules, ["elastic"], testContext());
  assert.equal(again.diagnostics.filter((d) => d.severity === "error" || refuse.includes(d.code)), []);
  return (JSON.parse(again.files.find((f) => f.path.endsWith(".json"))?.content ?? "{}") as { query: string }).query;
}
