/** What `evaluateStream` returns. */
export interface StreamMatch {
  /** Indexes into the caller's event array: one per step (sequence, sample) or per event in the window (correlation, plain query). */
  readonly events: readonly number[];
  /** Join key (sequence, sample) or group-by values (correlation), one per key field; null for an optional/absent one. */
  readonly key?: readonly (string | null)[];
  /** Correlation: the measured count (events, distinct values, or rules matched) when the condition held. */
  readonly count?: number;
}

export type StreamResult =
  | { readonly ok: true; readonly matches: readonly StreamMatch[] }
  | { readonly ok: false; readonly reason: string };
