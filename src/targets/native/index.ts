/**
 * The rule-file target: a rule (ECS, as an Elastic rule reads) → a rulecast rule file
 * (`<slug>.yaml`, schema/rule.schema.json), which `rulecast import` writes. Every file is read back
 * before it is given out: a rule the format cannot hold exactly (a type the schema lacks, a value
 * that would change) is refused by name, never written lossy. Not offered by `--to`: the file keeps
 * the author's query text, so only a rule whose query is already ECS text fits (import brings a
 * Sigma rule through the Elastic target first).
 */
import { isDeepStrictEqual } from "node:util";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ruleDiagnostic } from "../../diagnostics/rule-diagnostic.js";
import { slugify } from "../../ir/ids.js";
import type { Rule } from "../../ir/rule.js";
import { sourceNamed } from "../../sources/registry.js";
import type { RenderContext, TargetResult, TargetSpec } from "../target.js";
import { writeNativeRule } from "./native-rule-writer.js";

/** Rule types the rule-file schema (schema/rule.schema.json `type`) can hold. */
const NATIVE_TYPES: readonly string[] = ["query", "eql", "threshold", "esql", "new_terms", "threat_match", "machine_learning", "saved_query"];

export const nativeTarget: TargetSpec<"native"> = {
  name: "native",
  title: "rule file",
  summary: "rulecast rule files (<slug>.yaml), as `rulecast import` writes them",
  taxonomy: "ecs",
  rewrites: [],
  options: [],
  mappings: [],
  renderRule: renderNativeRule,
  renderBundle: () => [],
};

function renderNativeRule(rule: Rule, ctx: RenderContext): TargetResult {
  const fail = (code: string, message: string, hint?: string): TargetResult => ({
    files: [],
    bundle: [],
    diagnostics: [ruleDiagnostic(rule, { severity: "error", code, message, ...(hint ? { hint } : {}) })],
  });
  if (!NATIVE_TYPES.includes(rule.type)) {
    return fail("import/unsupported-type", `rule type \`${rule.type}\` cannot be written as a rulecast rule file`, `the rule-file schema allows ${NATIVE_TYPES.join(", ")}`);
  }
  const path = `${slugify(rule.name)}.yaml`;
  const content = writeNativeRule(rule, ctx.templates);
  const back = sourceNamed("native")!.read(path, content, { knownRules: new Map() });
  const problem: Diagnostic | undefined = back.diagnostics.find((d) => d.severity === "error");
  if (problem || back.rules.length !== 1) {
    return fail("import/not-representable", `the rule file would not read back: ${problem ? `${problem.code}: ${problem.message}` : "no rule"}`);
  }
  const changed = changedFields(rule, back.rules[0]!);
  if (changed.length > 0) return fail("import/round-trip", `the rule file would change ${changed.map((f) => `\`${f}\``).join(", ")}`);
  return { files: [{ path, content }], bundle: [], diagnostics: [] };
}

/** Rule fields (all but `source`) whose values differ, compared as JSON data. */
export function changedFields(a: Rule, b: Rule): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "source").sort();
  const json = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return keys.filter((k) => !isDeepStrictEqual(json((a as unknown as Record<string, unknown>)[k]), json((b as unknown as Record<string, unknown>)[k])));
}
