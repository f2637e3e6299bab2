/**
 * A small SPL AST for the subset rulecast writes: one `search` part (terms, implicit AND, OR, NOT,
 * parentheses, `IN`) followed by `| where <eval>` and `| regex` commands. It exists so that the
 * SPL a renderer prints can be read back and evaluated (spl-evaluate.ts); it is not a full SPL
 * grammar. Plain readonly data with a `kind` discriminant, offsets into the text as `at`.
 */

export type SearchOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type SearchNode =
  | { readonly kind: "and"; readonly children: readonly SearchNode[] }
  | { readonly kind: "or"; readonly children: readonly SearchNode[] }
  | { readonly kind: "not"; readonly child: SearchNode }
  /** `field=value`, `field>=5`: `value` is the unquoted text, `*` in it is a wildcard. */
  | { readonly kind: "compare"; readonly field: string; readonly op: SearchOp; readonly value: string; readonly at: number }
  /** `field IN (a, "b*")`: any of the values, each with search `=` semantics. */
  | { readonly kind: "in"; readonly field: string; readonly values: readonly string[]; readonly at: number }
  /** A bare or quoted term searched in the whole event (`"cmd.exe"`, `*`). */
  | { readonly kind: "term"; readonly value: string; readonly at: number };

export type EvalOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type EvalExpr =
  | { readonly kind: "and" | "or"; readonly left: EvalExpr; readonly right: EvalExpr }
  | { readonly kind: "not"; readonly child: EvalExpr }
  | { readonly kind: "compare"; readonly op: EvalOp; readonly left: EvalExpr; readonly right: EvalExpr }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly EvalExpr[]; readonly at: number }
  | { readonly kind: "field"; readonly name: string; readonly at: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number };

export type SplCommand =
  | { readonly kind: "where"; readonly expr: EvalExpr }
  /** `` | `drop_dm_object_name(Processes)` ``: the CIM macro that renames `Processes.x` to `x`. */
  | { readonly kind: "drop-object"; readonly object: string; readonly at: number }
  /** `` | `<slug>_filter` ``: a detection's tuning macro, which rulecast's macros.conf defines as `search *`. */
  | { readonly kind: "filter-macro"; readonly name: string; readonly at: number }
  /** `| regex field="re"` keeps events whose field matches; `!=` keeps those that do not. */
  | { readonly kind: "regex"; readonly field: string; readonly negate: boolean; readonly pattern: string; readonly at: number };

/**
 * `| tstats <options> count min(_time) as firstTime max(_time) as lastTime from datamodel=<DM>.<DS>
 * [where <search>] by <field>...`: one result row per distinct combination of the grouped fields.
 */
export interface TstatsHead {
  readonly datamodel: string;
  readonly options: Readonly<Record<string, string>>;
  readonly where: SearchNode | undefined;
  readonly by: readonly string[];
  readonly at: number;
}

export interface SplPipeline {
  /** `undefined`: the search part was empty or `*` alone (every event), or the pipeline starts with tstats. */
  readonly search: SearchNode | undefined;
  /** Set when the pipeline is a data-model search (then `search` is undefined). */
  readonly tstats?: TstatsHead;
  readonly commands: readonly SplCommand[];
}
