/**
 * The Sigma condition as written (`selection and not 1 of filter_*`), before selection names are
 * resolved against a detection block. Spans are offsets into the condition string.
 */
import type { Span } from "../../ir/query.js";

export type ConditionNode =
  | { readonly kind: "and"; readonly children: readonly ConditionNode[]; readonly span: Span }
  | { readonly kind: "or"; readonly children: readonly ConditionNode[]; readonly span: Span }
  | { readonly kind: "not"; readonly child: ConditionNode; readonly span: Span }
  /** A search identifier: the name of one selection in the detection block. */
  | { readonly kind: "ref"; readonly name: string; readonly span: Span }
  /**
   * `1 of sel*`, `any of sel*`, `all of them`: `target` null means `them` (every selection whose
   * name does not start with `_`); otherwise a pattern where `*` matches any run of characters.
   */
  | {
      readonly kind: "of";
      readonly quantifier: "any" | "all";
      readonly target: string | null;
      readonly span: Span;
    };

export type ConditionKind = ConditionNode["kind"];
