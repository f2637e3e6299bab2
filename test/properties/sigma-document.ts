/** A rendered Sigma detection as a whole Sigma document, read back with the Sigma reader. */
import { stringify } from "yaml";
import type { Query } from "../../src/ir/query.js";
import { readSigmaFile } from "../../src/sources/sigma/read-sigma-file.js";

export type ReadBack = { readonly ok: true; readonly query: Query } | { readonly ok: false; readonly reason: string };

export function sigmaYaml(detection: Record<string, unknown>): string {
  return stringify({ title: "round trip", id: "00000000-0000-4000-8000-000000000000", logsource: { product: "test" }, detection });
}

export function readBackSigma(yamlText: string): ReadBack {
  const r = readSigmaFile("round-trip.yml", yamlText);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const rule = r.rules[0];
  if (errors.length > 0 || !rule) return { ok: false, reason: errors.map((d) => `${d.code} ${d.message}`).join("; ") || "no rule read" };
  return { ok: true, query: rule.query };
}
