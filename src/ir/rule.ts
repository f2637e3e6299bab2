/**
 * The rule IR: everything a rule says besides its query. Every field on the Elastic rule pages
 * has a home here; keys rulecast does not know are kept in `custom`, in source order.
 */
import type { CimPlan } from "./cim.js";
import type { Duration, Logsource, Query } from "./query.js";
export type { Logsource } from "./query.js";

export type RuleType =
  | "query"
  | "eql"
  | "threshold"
  | "esql"
  | "new_terms"
  | "threat_match"
  | "machine_learning"
  | "saved_query";

/** The language the query text was written in. `sigma` is a Sigma detection block. */
export type QueryLanguage = "kuery" | "eql" | "lucene" | "esql" | "sigma";

/** Whose field names the query uses; field mapping passes translate between them. */
export type Taxonomy = "ecs" | "sigma";

export type Severity = "informational" | "low" | "medium" | "high" | "critical";

export type SigmaStatus = "stable" | "test" | "experimental" | "deprecated" | "unsupported";

export interface AttackRef {
  readonly id: string;
  readonly name: string;
  readonly reference?: string;
}

export interface ThreatTechnique extends AttackRef {
  readonly subtechniques: readonly AttackRef[];
}

/** One tactic and the techniques mapped under it (Kibana's `threat` entry). */
export interface Threat {
  readonly framework: string; // "MITRE ATT&CK"
  readonly tactic: AttackRef;
  readonly techniques: readonly ThreatTechnique[];
}

export interface HistoryEntry {
  readonly version: number;
  readonly release?: string; // Elastic Stack release, e.g. "7.9.1"
  readonly changes: readonly string[]; // "Formatting only", "Updated query"
  readonly previousQuery?: string; // the query as it was before this version
}

export interface Schedule {
  /** "Runs every". */
  readonly interval: Duration;
  /** "Searches indices from": Elastic date math, e.g. `now-9m`. */
  readonly from: string;
  readonly to: string;
}


/** Events a rule must and must not match (`rulecast test`). */
export interface Samples {
  readonly match: readonly Record<string, unknown>[];
  readonly noMatch: readonly Record<string, unknown>[];
}

export interface RuleSource {
  readonly file: string;
  /** The format it was read as (a format of src/sources/registry.ts: `sigma`, `native`, …). */
  readonly format: string;
  /** 1-based line of the rule in the file (multi-document and ndjson files hold several). */
  readonly line: number;
  /** Where the query text starts in the file (1-based), for problems found after parsing. */
  readonly queryLine?: number;
  readonly queryCol?: number;
  /**
   * For a query held in a string scalar: the query offset where each file line of it starts, and
   * that position in the file, so that a node's span (a query offset) maps to a file line and column.
   */
  readonly queryLines?: readonly { readonly offset: number; readonly line: number; readonly col: number }[];
  /**
   * `queryText` is the file's own text from queryLine:queryCol (a Sigma detection block), not a
   * decoded string value, so a span in the query is a position in the file too.
   */
  readonly queryVerbatim?: boolean;
  /**
   * Where the keys that say the rule's name and log source are (`title:` or `name:`,
   * `logsource:`), so that a finding about them points there rather than at the query.
   */
  readonly keys?: { readonly [K in RuleKey]?: { readonly line: number; readonly col: number } };
}

export interface NewTermsSettings {
  readonly fields: readonly string[];
  /** Date math relative to the end of each run's window: `now-7d`. */
  readonly historyStart: string;
}

/** Rule keys a finding can be about as a whole. */
export type RuleKey = "name" | "logsource";

export interface Rule {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly type: RuleType;
  readonly language: QueryLanguage;
  readonly taxonomy: Taxonomy;
  readonly index: readonly string[];
  readonly severity: Severity;
  readonly riskScore: number;
  readonly schedule: Schedule;
  readonly maxSignals: number;
  readonly enabled: boolean;
  /**
   * `enabled` as the rule itself says it, when it does; `enabled` then holds the source format's
   * default (Kibana installs rules without it disabled, rulecast rule files enabled). Targets that
   * ship detections disabled unless told (Splunk, as ESCU does) need to know the difference.
   */
  readonly enabledByRule?: boolean;
  readonly tags: readonly string[];
  readonly version: number;
  readonly authors: readonly string[];
  readonly license?: string;
  readonly falsePositives: readonly string[];
  readonly references: readonly string[];
  readonly note?: string;
  readonly setup?: string;
  /** The query as its author wrote it. */
  readonly queryText: string;
  readonly query: Query;
  /**
   * Conditions the source platform applies beside the query (Kibana `filters`), for targets that
   * have no such thing of their own: `query` is ANDed with the rule's query there; `unsupported`
   * names a filter that could not be read, so those targets refuse the rule; `elsewhere` names
   * exclusions kept on the platform (Kibana exception lists), which those targets warn about.
   */
  readonly sideFilters?: { readonly query?: Query; readonly unsupported?: string; readonly elsewhere?: string };
  /**
   * A new-terms rule's settings (type `new_terms`), as the source platform wrote them and kept in
   * `custom` for it too: the fields whose combination of values must be new, and the date math
   * (`now-7d`) where its history starts. Targets without such rules get a `newTerms` query from the
   * lowerPlatformRuleTypes rewrite when they declare they can search it, and refuse the rule otherwise.
   */
  readonly newTerms?: NewTermsSettings;
  readonly threat: readonly Threat[];
  readonly history: readonly HistoryEntry[];
  /** Elastic Stack release the rule was added in / last modified in. */
  readonly added?: string;
  readonly lastModified?: string;
  /** Sigma lifecycle fields (dates are YYYY-MM-DD). */
  readonly status?: SigmaStatus;
  readonly date?: string;
  readonly modified?: string;
  readonly logsource?: Logsource;
  readonly samples?: Samples;
  /** The rule as CIM data-model searches, once the `toCim` rewrite ran (a CIM form's renderer prints it). */
  readonly cim?: CimPlan;
  /** Keys no field above holds, kept in source order so that no target loses them silently. */
  readonly custom: Readonly<Record<string, unknown>>;
  readonly source: RuleSource;
}

/** The risk score Elastic's own rules use for each severity. */
export const RISK_FOR_SEVERITY: Readonly<Record<Severity, number>> = {
  informational: 21,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};
