/**
 * ES|QL query text → query IR, in two steps with two kinds of failure:
 * - a syntax error (`ok: false`): the text is not ES|QL; one message with its position;
 * - a refusal (`kind: "refused"`): valid ES|QL whose meaning the IR cannot hold (a command such as
 *   GROK, an aggregate condition over two counts, a function with no IR form). Elastic can keep
 *   such a query as written; other targets refuse it with this reason.
 *
 * @example readEsql('FROM logs-* | WHERE process.name == "cmd.exe"')
 */
import { QuerySyntaxError, type ParseResult, type QueryError } from "../../diagnostics/query-error.js";
import type { Query } from "../../ir/query.js";
import type { EsqlQuery } from "./esql-ast.js";
import { type EsqlNote, type EsqlWindow, lowerEsql } from "./esql-lower.js";
import { parseEsqlAst } from "./esql-parser.js";

export type { EsqlNote, EsqlWindow } from "./esql-lower.js";

export type EsqlReading =
  | {
      readonly kind: "ir";
      readonly query: Query;
      /** FROM's index patterns, for the rule's `index`. */
      readonly indices: readonly string[];
      /** FROM's METADATA fields (`_id`, `_index`, `_version`). */
      readonly metadata: readonly string[];
      readonly notes: readonly EsqlNote[];
      /** `WHERE @timestamp >= NOW() - span`, left out of `query`: the run's look-back (see EsqlWindow). */
      readonly window?: EsqlWindow;
      readonly ast: EsqlQuery;
    }
  | {
      readonly kind: "refused";
      readonly refusal: QueryError;
      readonly indices: readonly string[];
      readonly metadata: readonly string[];
      readonly ast: EsqlQuery;
    };

export function readEsql(text: string): ParseResult<EsqlReading> {
  const parsed = parseEsqlAst(text);
  if (!parsed.ok) return parsed;
  const ast = parsed.value;
  const from = ast.commands[0];
  const indices = from?.t === "from" ? from.sources.map((s) => s.name) : [];
  const metadata = from?.t === "from" ? from.metadata.map((s) => s.name) : [];
  try {
    const lowered = lowerEsql(ast, text);
    return { ok: true, value: { kind: "ir", ...lowered, ast } };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: true, value: { kind: "refused", refusal: e.detail, indices, metadata, ast } };
    throw e;
  }
}
