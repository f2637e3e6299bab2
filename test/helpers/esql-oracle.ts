/**
 * Kibana's ES|QL parser (../shared/oracles/esql, read-only, see its README) as a typed test helper.
 * Tests run from the repository root, so the oracle is found from there, not from dist/.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export interface EsqlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface EsqlCheck {
  readonly ok: boolean;
  readonly first: EsqlSyntaxError | null;
}

const oracle = (await import(pathToFileURL(resolve("../shared/oracles/esql/check-esql.mjs")).href)) as {
  checkEsql: (query: string, options?: { release?: boolean }) => EsqlCheck;
};

/** Whether Kibana's parser accepts `query`; `release`: as on a released Elasticsearch build. */
export function checkEsql(query: string, options: { release?: boolean } = {}): EsqlCheck {
  return oracle.checkEsql(query, options);
}
