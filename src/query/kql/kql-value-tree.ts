/**
 * KQL value groups (`f:(a or (b and not c))`): the grammar reads the values before it knows what
 * to do with them; applying the field turns each value into a node on that field.
 */
import { ECS_STRING_TYPES, ecsFieldType } from "../ecs-field-types.js";
import type { Query, Span } from "../../ir/query.js";
import type { KqlLiteral } from "./kql-literal.js";

export type ValueTree =
  | { readonly kind: "value"; readonly literal: KqlLiteral }
  | { readonly kind: "or" | "and"; readonly children: readonly ValueTree[] }
  | { readonly kind: "not"; readonly child: ValueTree; readonly start: number };

/**
 * `field` is the full name (nested prefix included). `fieldIsStar`: the field was the unquoted `*`,
 * so `*:*` is match-all. The outermost node gets `whole` (the `f:...` text) as its span.
 */
export function applyField(tree: ValueTree, field: string, fieldIsStar: boolean, whole: Span): Query {
  const q = lower(tree, field, fieldIsStar);
  return { ...q, span: whole };
}

function lower(tree: ValueTree, field: string, fieldIsStar: boolean): Query {
  switch (tree.kind) {
    case "value":
      return lowerValue(tree.literal, field, fieldIsStar);
    case "or":
    case "and": {
      const children = tree.children.map((c) => lower(c, field, fieldIsStar));
      const start = children[0]?.span?.start ?? 0;
      const end = children[children.length - 1]?.span?.end ?? 0;
      return { kind: tree.kind, children, span: { start, end } };
    }
    case "not": {
      const child = lower(tree.child, field, fieldIsStar);
      return { kind: "not", child, span: { start: tree.start, end: child.span?.end ?? tree.start } };
    }
  }
}

function lowerValue(lit: KqlLiteral, field: string, fieldIsStar: boolean): Query {
  const span = { start: lit.start, end: lit.end };
  const onlyPart = lit.parts.length === 1 ? lit.parts[0] : undefined;
  if (!lit.quoted && onlyPart?.kind === "any") {
    return fieldIsStar ? { kind: "all", span } : { kind: "exists", field, span };
  }
  // Kibana's grammar reads unquoted `true`/`false` as typed literals: the value is the boolean,
  // except on an ECS string field, where Elasticsearch compares its text (`process.name:true`).
  const word = !lit.quoted && onlyPart?.kind === "text" ? onlyPart.value : undefined;
  const type = ecsFieldType(field);
  if ((word === "true" || word === "false") && !(type !== undefined && ECS_STRING_TYPES.has(type))) return { kind: "match", field, value: { kind: "boolean", value: word === "true" }, caseSensitive: true, span };
  return { kind: "match", field, value: { kind: "string", parts: lit.parts }, caseSensitive: true, span };
}
