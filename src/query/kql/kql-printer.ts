/**
 * Query IR → KQL text. Parentheses come from KQL precedence (`or` < `and` < `not` < term), so an
 * `or` under an `and` is always grouped and `not` always takes a single term (`not (not a)`).
 * What KQL cannot say becomes an `error` issue; what it says with a different match set (case) a
 * `warning`.
 */
import type { NodeOf, Query, Value } from "../../ir/query.js";
import { assertNever } from "../../ir/query.js";
import type { PrintIssue, PrintResult } from "../print-result.js";
import { ecsFieldType } from "../ecs-field-types.js";
import { formatKqlBound, formatKqlField, formatKqlValue, isNumberText, quoteKql } from "./kql-escape.js";

/** `printKql({kind:"exists", field:"user.name"})` → `{ text: "user.name:*", issues: [] }`. */
export function printKql(q: Query): PrintResult {
  const issues: PrintIssue[] = [];
  const text = print(q, { issues, prefix: "" }).text;
  return { text, issues };
}

/** Binding strength of what was printed: a parent wraps a child that binds looser than it needs. */
const OR = 1;
const AND = 2;
const NOT = 3;
const TERM = 4;

interface Out {
  readonly text: string;
  readonly prec: number;
}

interface Ctx {
  readonly issues: PrintIssue[];
  /** Inside `p:{ ... }` field names are written relative to `p.`. */
  readonly prefix: string;
}

const RANGE_OPS: Readonly<Record<NodeOf<"range">["op"], string>> = { lt: "<", lte: "<=", gt: ">", gte: ">=" };

/** Opaque text in these languages is KQL already and is carried verbatim. */
const KQL_LANGUAGES: ReadonlySet<string> = new Set(["kuery", "kql"]);

function print(q: Query, ctx: Ctx): Out {
  switch (q.kind) {
    case "and":
      return printAnd(q, ctx);
    case "or":
      return printOr(q, ctx);
    case "not":
      return { text: `not ${wrap(print(q.child, ctx), TERM)}`, prec: NOT };
    case "all":
      return { text: "*:*", prec: TERM };
    case "none":
      return { text: "not *:*", prec: NOT };
    case "match":
      if (q.value.kind === "null") return { text: `not ${field(q, q.field, ctx)}:*`, prec: NOT };
      return { text: `${field(q, q.field, ctx)}:${matchValue(q, ctx)}`, prec: TERM };
    case "exists":
      return { text: `${field(q, q.field, ctx)}:*`, prec: TERM };
    case "range":
      return { text: `${field(q, q.field, ctx)} ${RANGE_OPS[q.op]} ${rangeValue(q, ctx)}`, prec: TERM };
    case "cidr":
      warn(ctx, q, "kql/cidr-assumes-ip", "KQL has no CIDR syntax; `field:\"a.b.c.d/n\"` matches the range only when the field is ip-typed (on a keyword field it matches that literal text)");
      return { text: `${field(q, q.field, ctx)}:${quoteKql(q.cidr)}`, prec: TERM };
    case "keyword":
      return { text: keywordValue(q, ctx), prec: TERM };
    case "nested":
      return printNested(q, ctx);
    case "opaque":
      if (KQL_LANGUAGES.has(q.language)) return q.text.trim() === "" ? { text: "*:*", prec: TERM } : { text: `(${q.text})`, prec: TERM };
      return unsupported(ctx, q, `a ${q.language} query kept as text cannot be written in KQL`);
    case "regex":
      return unsupported(ctx, q, "KQL has no regular expressions");
    case "fieldref":
      return unsupported(ctx, q, "KQL cannot compare two fields");
    case "compare":
    case "predicate":
      return unsupported(ctx, q, "KQL has no functions or expression comparisons");
    case "sequence":
    case "sample":
      return unsupported(ctx, q, "KQL matches single events; sequences and samples need EQL");
    case "correlation":
      return unsupported(ctx, q, "KQL cannot aggregate; correlations need a threshold rule or another language");
    case "newTerms":
      return unsupported(ctx, q, "KQL cannot compare with history; first-seen values need a new-terms rule");
    case "pipe":
      return unsupported(ctx, q, "KQL has no pipes (`| head`, `| tail`)");
    default:
      return assertNever(q);
  }
}

function wrap(o: Out, min: number): string {
  return o.prec < min ? `(${o.text})` : o.text;
}

function printAnd(q: NodeOf<"and">, ctx: Ctx): Out {
  const [only] = q.children;
  if (q.children.length === 0) return { text: "*:*", prec: TERM };
  if (q.children.length === 1 && only) return print(only, ctx);
  // `or` binds looser than `and`, so an `or` child is always parenthesised.
  return { text: q.children.map((c) => wrap(print(c, ctx), AND)).join(" and "), prec: AND };
}

/** Consecutive `match` children on one field print as one value group: `f:(a or b or c)`. */
function printOr(q: NodeOf<"or">, ctx: Ctx): Out {
  const [only] = q.children;
  if (q.children.length === 0) return { text: "not *:*", prec: NOT };
  if (q.children.length === 1 && only) return print(only, ctx);
  const segments: string[] = [];
  let i = 0;
  while (i < q.children.length) {
    const run = matchRun(q.children, i);
    const head = run[0];
    if (run.length >= 2 && head) {
      segments.push(`${field(head, head.field, ctx)}:(${run.map((m) => matchValue(m, ctx)).join(" or ")})`);
      i += run.length;
      continue;
    }
    const child = q.children[i];
    if (child) segments.push(wrap(print(child, ctx), OR));
    i += 1;
  }
  return segments.length === 1 ? { text: segments[0] ?? "", prec: TERM } : { text: segments.join(" or "), prec: OR };
}

function matchRun(children: readonly Query[], from: number): NodeOf<"match">[] {
  const run: NodeOf<"match">[] = [];
  for (let i = from; i < children.length; i++) {
    const c = children[i];
    if (c?.kind !== "match" || c.value.kind === "null") break;
    if (run[0] && run[0].field !== c.field) break;
    run.push(c);
  }
  return run;
}

function printNested(q: NodeOf<"nested">, ctx: Ctx): Out {
  const path = field(q, q.path, ctx);
  const inner = print(q.query, { issues: ctx.issues, prefix: `${q.path}.` });
  return { text: `${path}:{ ${inner.text} }`, prec: TERM };
}

function field(node: Query, name: string, ctx: Ctx): string {
  if (!name.startsWith(ctx.prefix)) {
    error(ctx, node, "kql/field-outside-nested", `field \`${name}\` is not under the nested path \`${ctx.prefix.slice(0, -1)}\``);
    return formatKqlField(name);
  }
  return formatKqlField(name.slice(ctx.prefix.length));
}

function matchValue(q: NodeOf<"match">, ctx: Ctx): string {
  if (!q.caseSensitive && hasCase(q.value)) {
    warn(ctx, q, "kql/case-sensitive-match", "KQL matches keyword fields case-sensitively; this narrows the match: values differing only in case from the pattern no longer match");
  }
  // Kibana sends `field:a*b` as a `wildcard` query only when the field is `keyword`; for any other
  // type (ECS `wildcard` fields such as process.command_line, fields ECS does not define) it sends
  // `query_string`, which splits the value at whitespace and ORs the pieces (`* -i *` matches
  // every value). KQL cannot escape a space in an unquoted value, and a quoted one has no wildcards.
  const type = ecsFieldType(q.field);
  if (type !== "keyword" && isPattern(q.value) && q.value.parts.some((p) => p.kind === "text" && /\s/.test(p.value))) {
    error(ctx, q, "kql/wildcard-whitespace", `\`${q.field}\` is ${type ? `an ECS ${type} field` : "not an ECS field"}, not keyword, so Kibana sends a wildcard pattern on it as query_string, which splits the pattern at its whitespace and matches any of the pieces; KQL cannot say this pattern`);
  }
  return scalar(q, q.value, ctx);
}

function keywordValue(q: NodeOf<"keyword">, ctx: Ctx): string {
  if (q.caseSensitive && hasCase(q.value)) {
    warn(ctx, q, "kql/case-insensitive-keyword", "a bare KQL value searches all fields with analysed (case-insensitive) matching on text fields; this widens the match to values differing only in case");
  }
  // A bare value with a wildcard is a field-less query_string: every field, analysed, split at whitespace.
  if (isPattern(q.value)) {
    error(ctx, q, "kql/keyword-wildcard", "a bare KQL value with a wildcard becomes a query_string over every field, which matches analysed words and splits the pattern at whitespace; KQL cannot search all fields for this pattern");
  }
  return scalar(q, q.value, ctx);
}

function rangeValue(q: NodeOf<"range">, ctx: Ctx): string {
  if (q.value.kind !== "string") return scalar(q, q.value, ctx);
  if (q.value.parts.some((p) => p.kind !== "text")) {
    return unsupported(ctx, q, "a range bound cannot be a wildcard pattern").text;
  }
  const text = q.value.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
  // Bare, a number-like bound reads back as a number; quoted, it stays the text it is.
  return isNumberText(text) ? quoteKql(text) : formatKqlBound(text);
}

function scalar(node: Query, v: Value, ctx: Ctx): string {
  switch (v.kind) {
    case "string": {
      if (v.parts.some((p) => p.kind === "one")) {
        error(ctx, node, "kql/single-char-wildcard", "KQL has no single-character wildcard (`?` is a literal question mark)");
      }
      const text = formatKqlValue(v.parts);
      if (text !== undefined) return text;
      error(ctx, node, "kql/edge-whitespace", "KQL trims unquoted values, so a wildcard pattern cannot start or end with whitespace");
      return quoteKql(v.parts.map((p) => (p.kind === "text" ? p.value : "*")).join(""));
    }
    case "number":
      return formatKqlBound(v.raw || String(v.value));
    case "boolean":
      return String(v.value);
    case "null":
      error(ctx, node, "kql/null-value", "KQL cannot compare with null here; only `not field:*` says a field is absent");
      return "null";
    default:
      return assertNever(v);
  }
}

function isPattern(v: Value): v is Extract<Value, { kind: "string" }> {
  return v.kind === "string" && v.parts.some((p) => p.kind !== "text");
}

function hasCase(v: Value): boolean {
  if (v.kind !== "string") return false;
  return v.parts.some((p) => p.kind === "text" && p.value.toLowerCase() !== p.value.toUpperCase());
}

function unsupported(ctx: Ctx, node: Query, reason: string): Out {
  error(ctx, node, `kql/unsupported-${node.kind}`, reason);
  return { text: `<unsupported ${node.kind}>`, prec: TERM };
}

function error(ctx: Ctx, node: Query, code: string, reason: string): void {
  ctx.issues.push({ severity: "error", code, reason, node });
}

function warn(ctx: Ctx, node: Query, code: string, reason: string): void {
  ctx.issues.push({ severity: "warning", code, reason, node });
}
