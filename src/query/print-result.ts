import type { Query } from "../ir/query.js";

/**
 * Something a printer could not say exactly in its language. `error`: the construct cannot be
 * said at all and the text must not be used. `warning`: the text is usable but matches more or
 * less than the IR (e.g. case-insensitivity a language cannot keep); the user must be told.
 */
export interface PrintIssue {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly reason: string;
  readonly node: Query;
}

/** Printers never approximate silently: text is usable only when no issue is an error. */
export interface PrintResult {
  readonly text: string;
  readonly issues: readonly PrintIssue[];
}
