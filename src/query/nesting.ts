/**
 * How deep a query may nest (parentheses, `not`, nested fields, function calls, unary signs,
 * arithmetic chains). Parsers, passes and printers recurse over the tree, so an unbounded depth
 * from a hostile rule would end in a stack overflow; real rules stay under 15 levels, and
 * Elasticsearch's own EQL parser stops at 200.
 */
import { QuerySyntaxError } from "../diagnostics/query-error.js";

export const MAX_QUERY_NESTING = 100;

/** Throws `code` (e.g. `kql/nesting-too-deep`) at `offset` once `depth` passes the limit. */
export function checkNesting(code: string, depth: number, offset: number, end: number = offset + 1): void {
  if (depth <= MAX_QUERY_NESTING) return;
  throw new QuerySyntaxError({
    code,
    message: `nesting too deep: more than ${MAX_QUERY_NESTING} levels of groups, \`not\` or calls`,
    offset,
    end,
    hint: "flatten the query; a list of alternatives needs no nesting",
  });
}
