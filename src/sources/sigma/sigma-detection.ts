/**
 * A Sigma `detection` block → one IR query: each selection becomes a boolean tree (map = AND,
 * list = OR), then the condition combines them. Spans are offsets into the detection block text
 * (the rule's `queryText`), which starts at `base` in the file.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import type { Query, Span } from "../../ir/query.js";
import { parseCondition, selectionsMatching, type ConditionNode } from "../../query/sigma-condition/index.js";
import { type DocContext, report } from "./read-context.js";
import { buildItem, ModifierError, type ItemOptions, type RawValue } from "./sigma-modifiers.js";

interface DetectionScope {
  readonly ctx: DocContext;
  readonly base: number;
  readonly opts: ItemOptions;
}

/** `undefined` when the block has errors (already reported). */
export function readDetection(ctx: DocContext, node: Node, opts: ItemOptions): Query | undefined {
  const base = node.range?.[0] ?? 0;
  const scope: DetectionScope = { ctx, base, opts };
  if (!isMap(node)) {
    report(ctx, "error", "sigma/invalid-detection", "`detection` must be a mapping", base, "list selections and a `condition` under `detection`");
    return undefined;
  }
  const selections = new Map<string, Query | undefined>();
  let condition: Pair | undefined;
  let failed = false;
  for (const pair of node.items) {
    const key = keyText(pair);
    if (key === "condition") condition = pair;
    else if (key === "timeframe") {
      report(ctx, "warning", "sigma/deprecated-timeframe", "`timeframe` in a detection is ignored", keyOffset(pair), "use a correlation rule's `timespan`");
    } else {
      const q = readSelection(scope, key, pair.value as Node | null);
      if (!q) failed = true;
      selections.set(key, q && named(q, key));
    }
  }
  if (selections.size === 0) {
    report(ctx, "error", "sigma/empty-detection", "the detection has no selections", base, "add at least one search identifier");
    return undefined;
  }
  if (!condition) {
    report(ctx, "error", "sigma/missing-condition", "the detection has no `condition`", base, "add `condition: selection`");
    return undefined;
  }
  const conds = conditionScalars(scope, condition.value as Node | null, keyOffset(condition));
  const trees = conds.map((c) => resolveCondition(scope, c, selections));
  if (failed || trees.some((t) => t === undefined)) return undefined;
  const qs = trees as Query[];
  return qs.length === 1 ? qs[0] : { kind: "or", children: qs };
}

/** The search under its own name, for the Sigma printer to write it so again (IR `search`). */
function named(q: Query, name: string): Query {
  switch (q.kind) {
    case "and":
    case "or":
    case "match":
    case "exists":
    case "range":
    case "regex":
    case "cidr":
    case "keyword":
    case "fieldref":
      return { ...q, search: name };
    default:
      return q;
  }
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value ?? "") : String(pair.key);
}

function keyOffset(pair: Pair): number {
  return (pair.key as Node | null)?.range?.[0] ?? 0;
}

function span(scope: DetectionScope, node: Node | null | undefined, fallback: number): Span {
  const r = node?.range;
  return r ? { start: r[0] - scope.base, end: r[1] - scope.base } : { start: fallback - scope.base, end: fallback - scope.base };
}

function readSelection(scope: DetectionScope, name: string, node: Node | null): Query | undefined {
  const { ctx } = scope;
  if (isMap(node)) return readMap(scope, node, name);
  if (isSeq(node)) {
    if (node.items.length === 0) {
      report(ctx, "error", "sigma/empty-selection", `selection '${name}' is an empty list`, node.range?.[0] ?? 0, "remove it or add values");
      return undefined;
    }
    const items = node.items as (Node | null)[];
    if (items.every((i) => !isMap(i))) return readItem(scope, null, [], node, name, node);
    const children: (Query | undefined)[] = items.map((item) =>
      isMap(item) ? readMap(scope, item, name) : readItem(scope, null, [], item, name, item),
    );
    if (children.some((c) => !c)) return undefined;
    const qs = children as Query[];
    return qs.length === 1 ? qs[0] : { kind: "or", children: qs, span: span(scope, node, 0) };
  }
  if (isScalar(node) && node.value !== null) return readItem(scope, null, [], node, name, node);
  report(ctx, "error", "sigma/empty-selection", `selection '${name}' has no content`, node?.range?.[0] ?? 0, "a selection is a mapping of fields or a list of keywords");
  return undefined;
}

function readMap(scope: DetectionScope, node: YAMLMap, name: string): Query | undefined {
  if (node.items.length === 0) {
    report(scope.ctx, "error", "sigma/empty-selection", `selection '${name}' is an empty mapping`, node.range?.[0] ?? 0, "add field: value pairs");
    return undefined;
  }
  const children: (Query | undefined)[] = node.items.map((pair) => {
    const [field = "", ...mods] = keyText(pair).split("|");
    return readItem(scope, field === "" ? null : field, mods, pair.value as Node | null, name, pair.key as Node);
  });
  if (children.some((c) => !c)) return undefined;
  const qs = children as Query[];
  return qs.length === 1 ? qs[0] : { kind: "and", children: qs, span: span(scope, node, 0) };
}

function readItem(
  scope: DetectionScope,
  field: string | null,
  mods: readonly string[],
  valueNode: Node | null,
  selection: string,
  at: Node | null,
): Query | undefined {
  const { ctx } = scope;
  const where = at?.range?.[0] ?? valueNode?.range?.[0] ?? scope.base;
  const values: RawValue[] = [];
  const nodes: (Node | null)[] = isSeq(valueNode) ? (valueNode.items as (Node | null)[]) : [valueNode];
  for (const n of nodes) {
    if (n === null || (isScalar(n) && n.value === null)) {
      if (nodes.length > 1) {
        report(ctx, "error", "sigma/null-in-list", `\`null\` inside a list in selection '${selection}'`, n?.range?.[0] ?? where, "put the null check in its own selection");
        return undefined;
      }
      values.push({ value: null, raw: "null", span: span(scope, n ?? at, where) });
    } else if (isScalar(n)) {
      const v = n.value;
      const raw = ctx.src.text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0);
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
        values.push({ value: v, raw: typeof v === "number" ? raw : String(v), span: span(scope, n, where) });
      } else {
        report(ctx, "error", "sigma/invalid-value-type", `unsupported value in selection '${selection}'`, n.range?.[0] ?? where, "use strings, numbers, booleans or null");
        return undefined;
      }
    } else {
      report(ctx, "error", "sigma/invalid-value-type", `a value in selection '${selection}' is a ${isMap(n) ? "mapping" : "list"}`, n.range?.[0] ?? where, "values are scalars or a list of scalars");
      return undefined;
    }
  }
  if (values.length === 0) {
    report(ctx, "error", "sigma/empty-selection", `field '${field ?? ""}' in selection '${selection}' has an empty list`, where, "add values");
    return undefined;
  }
  const itemSpan: Span = { start: where - scope.base, end: (valueNode?.range?.[1] ?? where) - scope.base };
  try {
    return buildItem(field, mods, values, itemSpan, scope.opts);
  } catch (e) {
    if (!(e instanceof ModifierError)) throw e;
    report(ctx, "error", e.code, `${e.message} (selection '${selection}')`, where, e.hint ?? "see the Sigma modifier list");
    return undefined;
  }
}

interface ConditionText {
  readonly text: string;
  /** File offset of the condition's first character, for error positions. */
  readonly offset: number;
}

function conditionScalars(scope: DetectionScope, node: Node | null, keyAt: number): ConditionText[] {
  if (isSeq(node) && node.items.length === 0) {
    // An OR of nothing: it would match no event, and a target would write it as `()`.
    report(scope.ctx, "error", "sigma/empty-condition", "the condition is an empty list", node.range?.[0] ?? keyAt, "write e.g. `condition: selection`");
    return [{ text: "", offset: -1 }];
  }
  const nodes = isSeq(node) ? (node.items as (Node | null)[]) : [node];
  const out: ConditionText[] = [];
  for (const n of nodes) {
    if (isScalar(n) && typeof n.value === "string") out.push({ text: n.value, offset: scalarTextStart(n) });
    else {
      report(scope.ctx, "error", "sigma/invalid-condition", "a condition must be a string or a list of strings", n?.range?.[0] ?? keyAt, "write e.g. `condition: selection and not filter`");
      out.push({ text: "", offset: -1 });
    }
  }
  return out;
}

/** Where the scalar's text begins: after the opening quote; plain scalars start at their range. */
function scalarTextStart(n: Scalar): number {
  const start = n.range?.[0] ?? 0;
  return n.type === "QUOTE_SINGLE" || n.type === "QUOTE_DOUBLE" ? start + 1 : start;
}

function resolveCondition(
  scope: DetectionScope,
  cond: ConditionText,
  selections: ReadonlyMap<string, Query | undefined>,
): Query | undefined {
  if (cond.offset < 0) return undefined;
  const { ctx } = scope;
  const parsed = parseCondition(cond.text);
  if (!parsed.ok) {
    report(ctx, "error", parsed.error.code, parsed.error.message, cond.offset + parsed.error.offset, parsed.error.hint ?? "see the Sigma condition syntax");
    return undefined;
  }
  const names = [...selections.keys()];
  let ok = true;
  const toSpan = (s: Span): Span => ({ start: cond.offset + s.start - scope.base, end: cond.offset + s.end - scope.base });
  const walk = (n: ConditionNode): Query | undefined => {
    switch (n.kind) {
      case "and":
      case "or": {
        const cs = n.children.map(walk);
        return cs.every((c) => c) ? { kind: n.kind, children: cs as Query[], span: toSpan(n.span) } : undefined;
      }
      case "not": {
        const c = walk(n.child);
        return c ? { kind: "not", child: c, span: toSpan(n.span) } : undefined;
      }
      case "ref": {
        if (!selections.has(n.name)) {
          ok = false;
          report(ctx, "error", "sigma/unknown-selection", `the condition names '${n.name}', which the detection does not define`, cond.offset + n.span.start, `defined: ${names.join(", ")}`);
          return undefined;
        }
        return selections.get(n.name);
      }
      case "of": {
        const picked = selectionsMatching(n.target, names);
        if (picked.length === 0) {
          ok = false;
          report(ctx, "error", "sigma/unknown-selection", `'${n.target ?? "them"}' matches no selection`, cond.offset + n.span.start, `defined: ${names.join(", ")}`);
          return undefined;
        }
        const cs = picked.map((p) => selections.get(p));
        if (cs.some((c) => !c)) return undefined;
        if (cs.length === 1) return cs[0];
        return { kind: n.quantifier === "all" ? "and" : "or", children: cs as Query[], span: toSpan(n.span) };
      }
      default: {
        const never: never = n;
        throw new Error(`unhandled condition ${JSON.stringify(never)}`);
      }
    }
  };
  const q = walk(parsed.value);
  return ok ? q : undefined;
}
