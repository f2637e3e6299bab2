/**
 * A rule as a search over Splunk CIM data sets: which data set holds each query's events and the
 * query in that data set's field names. The pipeline's `toCim` rewrite (passes/to-cim.ts) records
 * it on the rule (`Rule.cim`); a CIM renderer only prints it. When the rule cannot be said in CIM,
 * the reason is recorded instead, naming the field or construct.
 */
import type { CorrelationMeasure, CorrelationType, CountCondition, Duration, Query } from "./query.js";

export interface CimDataset {
  /** `Endpoint.Processes`: what `from datamodel=` names. */
  readonly key: string;
  readonly model: string;
  /** The name tstats prefixes fields with (`Processes.process_name`). */
  readonly object: string;
  readonly fields: readonly string[];
  /** The tags that put an event into the data set (its constraint), for searches over raw events. */
  readonly tags: readonly string[];
  /** What a search groups by besides the fields its `| where` needs (ESCU's habit: where and who). */
  readonly group: readonly string[];
}

/** One query in the CIM names of its data set, unprefixed (`process_name`), the log source's CIM conditions ANDed in. */
export interface CimQuery {
  readonly query: Query;
  readonly dataset: CimDataset;
}

/** A sequence or sample step: its join keys (the sequence's, then its own) in CIM names. */
export interface CimStep extends CimQuery {
  readonly keys: readonly string[];
}

export type CimPlan =
  | { readonly kind: "search"; readonly search: CimQuery }
  | { readonly kind: "sequence"; readonly steps: readonly CimStep[]; readonly until?: CimStep; readonly maxspan?: Duration }
  | { readonly kind: "sample"; readonly steps: readonly CimStep[] }
  /**
   * A boolean query whose OR branches hold events of different data sets of one data model
   * (`(file creation and X) or (process start and Y)`): each branch over its own data set, the
   * events any of them matches.
   */
  | { readonly kind: "union"; readonly searches: readonly CimQuery[] }
  /**
   * A correlation (a Sigma correlation, or a threshold rule's count): each correlated rule a step
   * whose keys are the group-by fields in its data set's names; `valueField` is the measured field
   * in CIM names, the same in every step's data set.
   */
  | {
      readonly kind: "correlation";
      readonly type: CorrelationType;
      readonly rules: readonly CimStep[];
      readonly condition: readonly CountCondition[];
      readonly timespan?: Duration;
      readonly valueField?: string;
      /** Bounds on further measures of the same groups, their fields and filters in CIM names. */
      readonly extraMeasures?: readonly CorrelationMeasure[];
      /** Sets of further bounds, at least one of which must hold whole (as the query's `anyOf`). */
      readonly anyOf?: readonly (readonly CorrelationMeasure[])[];
    }
  /**
   * First-seen combinations (a `newTerms` query): the search's keys are the new-terms fields in
   * its data set's names, each a plain rename (a widened field would change which values are new).
   */
  | { readonly kind: "newTerms"; readonly search: CimStep; readonly history: Duration }
  /** Why the rule is not a CIM search (one line, naming the field or construct). */
  | { readonly kind: "not-cim"; readonly reason: string };
