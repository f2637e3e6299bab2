/**
 * The ES|QL syntax tree between parsing and lowering (and what the ES|QL evaluator runs). It keeps
 * what the surface said: which command, which operator, `NOT LIKE` vs `NOT (… LIKE …)`, lists.
 * Function names are lower-cased (ES|QL reads them case-insensitively); field names are not.
 */
import type { Span } from "../../ir/query.js";

export type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type ArithOp = "+" | "-" | "*" | "/" | "%";

export type EsqlLiteral =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "integer" | "decimal"; readonly value: number; readonly raw: string }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "null" }
  /** `[1, 2]`, `["a", "b"]`: a multi-valued constant. */
  | { readonly type: "list"; readonly items: readonly EsqlLiteral[] };

export type EsqlExpr =
  | { readonly t: "field"; readonly name: string; readonly span: Span }
  | { readonly t: "lit"; readonly value: EsqlLiteral; readonly span: Span }
  /** `1 minute`, `5m`: a time span constant (integer and unit as written). */
  | { readonly t: "timespan"; readonly value: number; readonly unit: string; readonly span: Span }
  | {
      readonly t: "call";
      readonly name: string;
      readonly args: readonly EsqlExpr[];
      /** `COUNT(*)`. */
      readonly star: boolean;
      /** A trailing `{ "option": value }` map (MATCH options, …), as its source text. */
      readonly options?: string;
      readonly span: Span;
    }
  | { readonly t: "neg"; readonly operand: EsqlExpr; readonly span: Span }
  | { readonly t: "arith"; readonly op: ArithOp; readonly left: EsqlExpr; readonly right: EsqlExpr; readonly span: Span }
  | { readonly t: "cmp"; readonly op: CmpOp; readonly left: EsqlExpr; readonly right: EsqlExpr; readonly span: Span }
  /** `a AND b AND c` as one node: a chain of thousands of terms must not nest as deep. */
  | { readonly t: "and" | "or"; readonly operands: readonly EsqlExpr[]; readonly span: Span }
  | { readonly t: "not"; readonly operand: EsqlExpr; readonly span: Span }
  /** `x [NOT] LIKE "p"`, `x [NOT] RLIKE ("p", "q")`: patterns as decoded strings. */
  | {
      readonly t: "like";
      readonly op: "like" | "rlike";
      readonly negated: boolean;
      readonly operand: EsqlExpr;
      readonly patterns: readonly { readonly value: string; readonly span: Span }[];
      readonly span: Span;
    }
  | { readonly t: "in"; readonly negated: boolean; readonly operand: EsqlExpr; readonly items: readonly EsqlExpr[]; readonly span: Span }
  | { readonly t: "isnull"; readonly negated: boolean; readonly operand: EsqlExpr; readonly span: Span }
  /** `x::type`. */
  | { readonly t: "cast"; readonly operand: EsqlExpr; readonly type: string; readonly span: Span }
  /** `field : constant` (the match operator: full-text search on the field). */
  | { readonly t: "match"; readonly field: string; readonly fieldSpan: Span; readonly query: EsqlLiteral; readonly span: Span }
  | { readonly t: "paren"; readonly inner: EsqlExpr; readonly span: Span };

/** `name = expr` or a bare `expr` (EVAL, STATS, BY). */
export interface EsqlField {
  readonly name?: string;
  readonly expr: EsqlExpr;
  readonly span: Span;
}

export interface NameAt {
  readonly name: string;
  readonly span: Span;
}

export type EsqlCommand =
  | { readonly t: "from"; readonly sources: readonly NameAt[]; readonly metadata: readonly NameAt[]; readonly span: Span }
  | { readonly t: "where"; readonly cond: EsqlExpr; readonly span: Span }
  | { readonly t: "eval"; readonly fields: readonly EsqlField[]; readonly span: Span }
  | {
      readonly t: "stats";
      /** `INLINE STATS` / `INLINESTATS`: every row is kept, with the aggregates added. */
      readonly inline: boolean;
      readonly aggs: readonly { readonly field: EsqlField; readonly where?: EsqlExpr }[];
      readonly by: readonly EsqlField[];
      readonly span: Span;
    }
  /** Name patterns: `*` matches any characters, dots included. */
  | { readonly t: "keep" | "drop"; readonly patterns: readonly NameAt[]; readonly span: Span }
  | { readonly t: "rename"; readonly pairs: readonly { readonly from: NameAt; readonly to: NameAt }[]; readonly span: Span }
  | {
      readonly t: "sort";
      readonly keys: readonly { readonly expr: EsqlExpr; readonly desc: boolean; readonly nulls?: "first" | "last" }[];
      readonly span: Span;
    }
  | { readonly t: "limit"; readonly count: number; readonly span: Span }
  | { readonly t: "mv_expand"; readonly field: NameAt; readonly span: Span }
  | { readonly t: "dissect"; readonly input: EsqlExpr; readonly pattern: string; readonly span: Span }
  | { readonly t: "grok"; readonly input: EsqlExpr; readonly patterns: readonly string[]; readonly span: Span }
  /** A command this reader recognises but does not model (ENRICH, COMPLETION, LOOKUP JOIN, ROW, …). */
  | { readonly t: "other"; readonly name: string; readonly span: Span };

export interface EsqlQuery {
  /** `SET name = value;` directives before the query. */
  readonly settings: readonly NameAt[];
  /** The source command first, then the processing commands in order. */
  readonly commands: readonly EsqlCommand[];
}
