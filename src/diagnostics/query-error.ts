/**
 * What a query parser reports: a position inside the query text. Readers translate it into the
 * rule file (a query embedded in YAML or TOML starts somewhere inside that file).
 */
export interface QueryError {
  readonly code: string; // e.g. `kql/unexpected-token`
  readonly message: string;
  readonly offset: number; // into the query text
  readonly end?: number;
  readonly hint?: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: QueryError };

/** Thrown inside parsers only, caught at their entry point and returned as a value. */
export class QuerySyntaxError extends Error {
  constructor(readonly detail: QueryError) {
    super(detail.message);
  }
}
