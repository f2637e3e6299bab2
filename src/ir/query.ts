/**
 * The query IR: one tree for every source language (KQL, EQL, Sigma) and every target.
 * Plain, readonly, JSON-serialisable data with a `kind` discriminant. No target words here:
 * a node says what it matches, never how a language spells it. See docs/ir.md.
 */

/** Byte offsets into the source text the node was parsed from (query text, not the rule file). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * A string value is a list of parts so that a literal `*` and a wildcard never share a
 * representation: `{text:"a*b"}` is the three characters, `[{text:"a"},{any},{text:"b"}]` is a pattern.
 */
export type Part =
  | { readonly kind: "text"; readonly value: string }
  | { readonly kind: "any" } // zero or more characters
  | { readonly kind: "one" }; // exactly one character

export type Value =
  | { readonly kind: "string"; readonly parts: readonly Part[] }
  | { readonly kind: "number"; readonly value: number; readonly raw: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" };

export type RangeOp = "lt" | "lte" | "gt" | "gte";

/** A duration as written by rule authors: `9m`, `1h`, `30s`, `2d`. */
export interface Duration {
  readonly value: number;
  readonly unit: "ms" | "s" | "m" | "h" | "d";
}

/**
 * Scalar expressions, for the comparisons a boolean node cannot hold directly
 * (EQL functions and arithmetic: `length(process.args) > 3`, `a + 1 == 2`).
 */
export type Expr =
  | { readonly kind: "field"; readonly field: string; readonly optional: boolean }
  | { readonly kind: "literal"; readonly value: Value }
  | {
      readonly kind: "call";
      readonly name: string; // canonical lower-camel name: startsWith, cidrMatch, length, ...
      readonly caseInsensitive: boolean; // EQL `name~(...)`
      readonly args: readonly Expr[];
    }
  | {
      readonly kind: "arith";
      readonly op: "+" | "-" | "*" | "/" | "%";
      readonly left: Expr;
      readonly right: Expr;
    };

/**
 * The name a Sigma rule gave the search this node is (`filter_main_generic`), set by the Sigma
 * reader on the top node of each search identifier and kept by every pass that spreads the node.
 * Only the Sigma printer reads it, to write the search under its own name again; it never changes
 * what a node matches. See docs/ir.md.
 */
export type SearchName = string;

export type CompareOp = "eq" | "neq" | RangeOp;

export interface SequenceStep {
  readonly query: Query;
  /** Join keys of this step, after the sequence-wide `by` keys. */
  readonly by: readonly string[];
  /** EQL `with runs=N`: the step must match N consecutive times. */
  readonly runs?: number;
  /** EQL missing event `![...]`: no event may match here. */
  readonly missing?: boolean;
  /** Where this step's events come from, once a mapping pass has lifted it out of the query. */
  readonly logsource?: Logsource;
  readonly span?: Span;
}

/**
 * A log source in the Sigma sense (category/product/service). Passes lift source conditions such
 * as ECS `event.category` out of a query into this, and put them back for targets that need them.
 */
export interface Logsource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
  readonly definition?: string;
}

export type CorrelationType = "event_count" | "value_count" | "value_sum" | "value_avg" | "temporal" | "temporal_ordered";

export interface CountCondition {
  readonly op: "gt" | "gte" | "lt" | "lte" | "eq" | "neq";
  readonly value: number;
}

/**
 * A further measure of a correlation's groups with its own bounds: ES|QL's `STATS n = COUNT(*),
 * d = COUNT_DISTINCT(f) … | WHERE n >= 50 AND d >= 2` bounds two measures of one group. A group
 * alerts when the correlation's own condition and every one of these hold. A target that cannot
 * say this refuses the rule: dropping a bound would match other groups.
 */
export interface CorrelationMeasure {
  readonly type: "event_count" | "value_count" | "value_sum" | "value_avg";
  readonly condition: readonly CountCondition[];
  readonly valueField?: string;
  /**
   * value_count only: where an event has no `valueField`, the value counted is that of the first of
   * these fields it has (ES|QL `COUNT_DISTINCT(COALESCE(a, b))`; all of that field's values).
   */
  readonly valueFallbacks?: readonly string[];
  /**
   * value_count only: the values are counted lower-cased (ES|QL `COUNT_DISTINCT(TO_LOWER(f))`):
   * Unicode's default lower-casing, as Java's `toLowerCase(Locale.ROOT)` and JavaScript's
   * `toLowerCase()` do it, so `Abc` and `ABC` are one value. Only an extra measure can be computed
   * like this or with `valueFallbacks`, never a correlation's own: the targets whose correlations
   * bound one measure refuse extra measures by name, and the others refuse these by name.
   */
  readonly valueLowerCased?: boolean;
  /** Measures only the events that also match this (ES|QL `COUNT(*) WHERE …`); all of them when absent. */
  readonly filter?: Query;
}

export type Query =
  | { readonly kind: "and"; readonly children: readonly Query[]; readonly span?: Span; readonly search?: SearchName }
  | { readonly kind: "or"; readonly children: readonly Query[]; readonly span?: Span; readonly search?: SearchName }
  | { readonly kind: "not"; readonly child: Query; readonly span?: Span }
  /** Matches every event (empty KQL query, EQL `where true`). */
  | { readonly kind: "all"; readonly span?: Span }
  /** Matches no event (EQL `where false`). */
  | { readonly kind: "none"; readonly span?: Span }
  /**
   * Field equals a value or matches a wildcard pattern. A multi-valued field matches when any of
   * its values does. `null` value: the field is absent or null.
   */
  | {
      readonly kind: "match";
      readonly field: string;
      readonly value: Value;
      readonly caseSensitive: boolean;
      /** EQL `?field`: the field may be missing from the index mapping (then it is null). */
      readonly optional?: boolean;
      readonly span?: Span;
      readonly search?: SearchName;
    }
  | { readonly kind: "exists"; readonly field: string; readonly optional?: boolean; readonly span?: Span; readonly search?: SearchName }
  | {
      readonly kind: "range";
      readonly field: string;
      readonly op: RangeOp;
      readonly value: Value; // number, or string for dates / date math
      readonly optional?: boolean;
      readonly span?: Span;
      readonly search?: SearchName;
    }
  | {
      readonly kind: "regex";
      readonly field: string;
      readonly pattern: string; // the source dialect's syntax is recorded in `dialect`
      readonly dialect: "pcre" | "lucene";
      readonly caseSensitive: boolean;
      readonly multiline?: boolean;
      readonly dotAll?: boolean;
      readonly optional?: boolean;
      readonly span?: Span;
      readonly search?: SearchName;
    }
  | { readonly kind: "cidr"; readonly field: string; readonly cidr: string; readonly optional?: boolean; readonly span?: Span; readonly search?: SearchName }
  /** Free text over every field (KQL bare value, Sigma keywords). */
  | {
      readonly kind: "keyword";
      readonly value: Value;
      readonly caseSensitive: boolean;
      /**
       * The field where the rule's log source keeps the event's text (ECS `message`), for a
       * language that cannot search every field; set by the Sigma → ECS mapping from its
       * `keywords` rows. The node still means every field: a printer that searches only this
       * field narrows the match and must say so.
       */
      readonly textField?: string;
      readonly span?: Span;
      readonly search?: SearchName;
    }
  /** Two fields hold the same value (Sigma `fieldref`). */
  | {
      readonly kind: "fieldref";
      readonly field: string;
      readonly other: string;
      readonly caseSensitive: boolean;
      readonly span?: Span;
      readonly search?: SearchName;
    }
  /** A comparison between expressions, for what the nodes above cannot say. */
  | {
      readonly kind: "compare";
      readonly op: CompareOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly span?: Span;
    }
  /** A boolean-valued function call used as a condition (`stringContains(a, b)`). */
  | { readonly kind: "predicate"; readonly expr: Expr; readonly span?: Span }
  /** A KQL nested-field query: `parent:{ child:x and other:y }` (all inside one object). */
  | { readonly kind: "nested"; readonly path: string; readonly query: Query; readonly span?: Span }
  /** Ordered steps joined by keys within a time span (EQL sequence, Sigma temporal_ordered). */
  | {
      readonly kind: "sequence";
      readonly by: readonly string[];
      readonly maxspan?: Duration;
      readonly steps: readonly SequenceStep[];
      readonly until?: SequenceStep;
      readonly span?: Span;
    }
  /** Unordered steps joined by keys (EQL `sample`). */
  | {
      readonly kind: "sample";
      readonly by: readonly string[];
      readonly steps: readonly SequenceStep[];
      readonly span?: Span;
    }
  /**
   * Aggregation over matches of sub-queries (Sigma correlations; a threshold rule is an event_count
   * or value_count correlation, see count-threshold.ts). No `timespan`: counted over each run's
   * look-back.
   */
  | {
      readonly kind: "correlation";
      readonly type: CorrelationType;
      readonly rules: readonly {
        readonly name: string;
        readonly query: Query;
        readonly logsource?: Logsource;
        /** Sigma aliases: this sub-rule's field that stands for each group-by name. */
        readonly aliases?: Readonly<Record<string, string>>;
      }[];
      readonly groupBy: readonly string[];
      readonly timespan?: Duration;
      readonly condition: readonly CountCondition[];
      readonly valueField?: string; // value_count: the field whose distinct values are counted; value_sum, value_avg: the field summed or averaged
      /** value_count: a group also needs at least this many events (a threshold's event count beside its distinct count). */
      readonly minEvents?: number;
      /** Bounds on further measures of the same groups, all of which must hold too (measured over the same window; not for temporal_ordered). */
      readonly extraMeasures?: readonly CorrelationMeasure[];
      /**
       * Alternatives of further bounds: the bounds of at least one of these sets must hold too
       * (ES|QL `WHERE c >= 5 AND (d >= 2 OR e >= 3)`), measured as extra measures are. A target
       * that cannot say an OR of measures refuses the rule: dropping it would match other groups.
       */
      readonly anyOf?: readonly (readonly CorrelationMeasure[])[];
      readonly span?: Span;
    }
  /**
   * First appearance of a combination of field values (a Kibana new-terms rule, made by the
   * lowerPlatformRuleTypes rewrite for targets that declare they can say it). Each run, the events
   * `query` matches in the run's window are grouped by the combination of `fields` values (one
   * combination per value of a multi-valued field, the product over several; an event without one
   * of the fields is in no group); a combination alerts when no event the query matches has it in
   * the `history` that ends where the run's window ends, before the window starts.
   */
  | {
      readonly kind: "newTerms";
      readonly query: Query;
      readonly fields: readonly string[];
      readonly history: Duration;
      readonly span?: Span;
    }
  /** EQL pipes after a query: `| head 5`, `| tail 3`. */
  | {
      readonly kind: "pipe";
      readonly input: Query;
      readonly pipes: readonly { readonly name: "head" | "tail"; readonly count: number }[];
      readonly span?: Span;
    }
  /**
   * A query kept as text because no parser reads it (ES|QL, Lucene). Only a target of the same
   * language can carry it; every other target refuses it with a named reason.
   */
  | { readonly kind: "opaque"; readonly language: string; readonly text: string; readonly span?: Span };

export type QueryKind = Query["kind"];
export type NodeOf<K extends QueryKind> = Extract<Query, { kind: K }>;

/** Compile-time exhaustiveness: reaching this means a `switch` missed a kind. */
export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
