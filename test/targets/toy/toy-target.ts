/**
 * A fourth target, added the way docs/adding-a-target.md says: this folder and one registry line
 * (in the test). It writes each rule's query in a trivial prefix language, `(and (= f "v") …)`,
 * one `<slug>.toy` file per rule and an `index.toy` bundle, with no template.
 */
import { ruleDiagnostic } from "../../../src/diagnostics/rule-diagnostic.js";
import { slugify } from "../../../src/ir/ids.js";
import type { Query, Value } from "../../../src/ir/query.js";
import { typedOptions, type OptionSpec } from "../../../src/options/option-spec.js";
import type { TargetSpec } from "../../../src/targets/target.js";

const TOY_OPTIONS = [{ key: "toyComment", flag: "toy-comment", config: ["toy", "comment"], env: "RULECAST_TOY_COMMENT", default: ";", help: "comment marker of .toy files", commands: ["convert", "check"] }] as const satisfies readonly OptionSpec[];

/** The toy language: `"` and `\` are escaped with `\`; `*` in a value is a wildcard, `\*` a star. */
const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "*": "\\*" };

function value(v: Value): string | undefined {
  if (v.kind !== "string") return v.kind === "null" ? undefined : String(v.kind === "number" ? v.raw : v.value);
  if (v.parts.some((p) => p.kind === "one")) return undefined;
  return `"${v.parts.map((p) => (p.kind === "any" ? "*" : p.kind === "text" ? [...p.value].map((c) => ESCAPES[c] ?? c).join("") : "")).join("")}"`;
}

/** The query in the toy language, or undefined where it has no form. */
export function printToy(q: Query): string | undefined {
  const all = (qs: readonly Query[]) => {
    const out = qs.map(printToy);
    return out.every((x): x is string => x !== undefined) ? out.join(" ") : undefined;
  };
  switch (q.kind) {
    case "and":
    case "or": {
      const body = all(q.children);
      return body === undefined ? undefined : `(${q.kind} ${body})`;
    }
    case "not": {
      const body = printToy(q.child);
      return body === undefined ? undefined : `(not ${body})`;
    }
    case "match": {
      const v = value(q.value);
      return v === undefined || !q.caseSensitive ? undefined : `(= ${q.field} ${v})`;
    }
    case "exists":
      return `(exists ${q.field})`;
    default:
      return undefined;
  }
}

export const toyTarget: TargetSpec<"toy"> = {
  name: "toy",
  title: "Toy",
  summary: "a test target: queries in a prefix language (<slug>.toy)",
  taxonomy: "ecs",
  rewrites: [{ pass: "toTaxonomy" }],
  options: TOY_OPTIONS,
  mappings: [],
  renderRule(rule, ctx) {
    const text = printToy(rule.query);
    if (text === undefined) return { files: [], bundle: [], diagnostics: [ruleDiagnostic(rule, { severity: "error", code: "toy/unsupported", message: "the toy language cannot say this query" })] };
    const { toyComment } = typedOptions(TOY_OPTIONS, ctx.options);
    return { files: [{ path: `${slugify(rule.name)}.toy`, content: `${toyComment} ${rule.name}\n${text}\n` }], bundle: [{ text: slugify(rule.name) }], diagnostics: [] };
  },
  renderBundle: (pieces) => [{ path: "index.toy", content: pieces.map((p) => `${p.text}\n`).join("") }],
};
