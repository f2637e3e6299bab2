import type { Query } from "../ir/query.js";

/** A construct a printer cannot say in its language, with the reason a user will read. */
export interface Unsupported {
  readonly code: string;
  readonly reason: string;
  readonly node: Query;
}

/** Printers never approximate: text is only usable when `unsupported` is empty. */
export interface PrintResult {
  readonly text: string;
  readonly unsupported: readonly Unsupported[];
}
