/**
 * One entry point for every query language a rule can be written in.
 */
import type { Query } from "../ir/query.js";
import type { QueryLanguage } from "../ir/rule.js";
import type { ParseResult } from "../diagnostics/query-error.js";
import { parseKql } from "./kql/kql-parser.js";
import { parseEql } from "./eql/eql-parser.js";
import { parseEsqlAst } from "./esql/esql-parser.js";

export function parseQuery(language: QueryLanguage, text: string): ParseResult<Query> {
  switch (language) {
    case "kuery":
      return parseKql(text);
    case "eql":
      return parseEql(text);
    case "esql": {
      // Checked here, so that a query that is not ES|QL fails when the rule is read, at its line
      // and column; kept as text for the Elastic target, which writes it as written. Targets that
      // cannot run ES|QL read it into the IR themselves (passes/read-esql-rule.ts).
      const parsed = parseEsqlAst(text);
      if (!parsed.ok) return parsed;
      return { ok: true, value: { kind: "opaque", language, text, span: { start: 0, end: text.length } } };
    }
    case "lucene":
      // No parser reads Lucene: kept verbatim for the Elastic target, refused by every other one.
      return { ok: true, value: { kind: "opaque", language, text, span: { start: 0, end: text.length } } };
    case "sigma":
      return {
        ok: false,
        error: { code: "query/sigma-text", message: "a Sigma detection is a YAML block, not query text", offset: 0 },
      };
  }
}
