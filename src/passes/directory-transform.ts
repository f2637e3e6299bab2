/**
 * The `dirname` transform (ECS → Sigma): a directory condition said as one on the path it was cut
 * from (mappings/ecs-sigma.yaml, PowerShell script blocks' file.directory → Path).
 */
import type { Part, Query, Value } from "../ir/query.js";
import type { MappingProblem } from "./map-fields.js";

function str(parts: readonly Part[]): Value {
  return { kind: "string", parts };
}

const BACKSLASH: Part = { kind: "text", value: "\\" };

/**
 * A directory condition on the path it was cut from. Elastic's powershell_operational pipeline
 * ("Adds file information") sets file.directory to what precedes the last `\` of a path longer than
 * one character, and no directory otherwise. So directory D is the path `D\name` with no `\` in
 * the name: `D\*` and not `D\*\*`; a directory starting with P (`P*`, P not empty) is a path
 * starting with P with a `\` after it: `P*\*`. A wildcard elsewhere could take the place of a `\`
 * of the name, so it is refused rather than matching another directory's files.
 */
export function dirname(q: Extract<Query, { kind: "match" }>, to: string, report: (p: MappingProblem) => void): Query {
  const { search, ...base } = q;
  const named = search === undefined ? {} : { search };
  const at = (parts: readonly Part[]): Query => ({ ...base, field: to, value: str(parts) });
  if (q.value.kind === "null") {
    // No directory: no path, a path without `\`, or the path `\` alone.
    const noSep: Query = { kind: "not", child: at([{ kind: "any" }, BACKSLASH, { kind: "any" }]) };
    return { kind: "or", children: [noSep, { ...base, field: to, value: str([BACKSLASH]), caseSensitive: true }], ...(q.span ? { span: q.span } : {}), ...named };
  }
  const parts = q.value.kind === "string" ? q.value.parts : undefined;
  const text = parts?.every((p) => p.kind === "text") ? parts : undefined;
  const prefix = parts && parts.length > 1 && parts[parts.length - 1]!.kind === "any" && parts.slice(0, -1).every((p) => p.kind === "text") ? parts.slice(0, -1) : undefined;
  if (text && text.every((p) => p.kind === "text" && p.value === "")) {
    // Whether the pipeline writes an empty directory for `\name` is not documented: refused.
    report({ severity: "error", code: "mapping/value-unmapped", message: `an empty \`${q.field}\` has no \`${to}\` pattern`, field: q.field });
    return q;
  }
  if (text) {
    const inDir = at([...text, BACKSLASH, { kind: "any" }]);
    const deeper: Query = { kind: "not", child: at([...text, BACKSLASH, { kind: "any" }, BACKSLASH, { kind: "any" }]) };
    return { kind: "and", children: [inDir, deeper], ...(q.span ? { span: q.span } : {}), ...named };
  }
  if (prefix) return { ...at([...prefix, { kind: "any" }, BACKSLASH, { kind: "any" }]), ...named };
  report({
    severity: "error",
    code: "mapping/transform-unsupported",
    message: `\`${q.field}\` (a directory) maps to \`${to}\` (its path) only for a whole value or one ending in \`*\`: another wildcard could stand for a \`\\\` of the file name`,
    field: q.field,
  });
  return q;
}

/** The directory exists: the path has a `\` and is not `\` alone (see dirname). */
export function hasDirectory(q: Extract<Query, { kind: "exists" }>, to: string): Query {
  const sep: Query = { kind: "match", field: to, value: str([{ kind: "any" }, BACKSLASH, { kind: "any" }]), caseSensitive: true };
  const root: Query = { kind: "not", child: { kind: "match", field: to, value: str([BACKSLASH]), caseSensitive: true } };
  return { kind: "and", children: [sep, root], ...(q.span ? { span: q.span } : {}), ...(q.search ? { search: q.search } : {}) };
}
