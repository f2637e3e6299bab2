/**
 * The EQL syntax tree between parsing and lowering. It keeps what the surface said (which
 * operator, `~`, lists) so lowering can choose IR nodes with the whole comparison in view.
 */
import type { Duration, Span, Value } from "../../ir/query.js";

export type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type ArithOp = "+" | "-" | "*" | "/" | "%";

export type Ast =
  | { readonly t: "field"; readonly name: string; readonly optional: boolean; readonly span: Span }
  /** Strings carry one text part: wildcards are decided by the operator, at lowering. */
  | { readonly t: "lit"; readonly value: Value; readonly span: Span }
  | { readonly t: "call"; readonly name: string; readonly ci: boolean; readonly args: readonly Ast[]; readonly span: Span }
  | { readonly t: "arith"; readonly op: ArithOp; readonly left: Ast; readonly right: Ast; readonly span: Span }
  | { readonly t: "neg"; readonly operand: Ast; readonly span: Span }
  | { readonly t: "cmp"; readonly op: CmpOp; readonly left: Ast; readonly right: Ast; readonly span: Span }
  /** `:`, `like`, `like~`, `regex`, `regex~`, `in`, `in~` with one value or a list. */
  | {
      readonly t: "pattern";
      readonly op: ":" | "like" | "regex" | "in";
      readonly ci: boolean;
      readonly negated: boolean; // `not in`
      readonly left: Ast;
      readonly values: readonly Ast[];
      readonly span: Span;
    }
  | { readonly t: "not"; readonly child: Ast; readonly span: Span }
  | { readonly t: "and" | "or"; readonly left: Ast; readonly right: Ast; readonly span: Span }
  | { readonly t: "paren"; readonly inner: Ast; readonly span: Span };

export interface EventFilterAst {
  /** `undefined` for `any`. */
  readonly category: { readonly name: string; readonly span: Span } | undefined;
  readonly cond: Ast;
  readonly span: Span;
}

export interface JoinKey {
  readonly field: string;
  readonly span: Span;
}

export interface StepAst {
  readonly filter: EventFilterAst;
  readonly by: readonly JoinKey[];
  readonly runs?: number;
  readonly missing: boolean;
  readonly span: Span;
}

export type StatementAst =
  | { readonly t: "event"; readonly filter: EventFilterAst }
  | {
      readonly t: "sequence";
      readonly by: readonly JoinKey[];
      readonly maxspan?: Duration;
      readonly steps: readonly StepAst[];
      readonly until?: StepAst;
      readonly span: Span;
    }
  | { readonly t: "sample"; readonly by: readonly JoinKey[]; readonly steps: readonly StepAst[]; readonly span: Span };
