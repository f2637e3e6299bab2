/** Reading back the SPL rulecast writes, and evaluating it with SPL's semantics (spl-evaluate.ts). */
export type { EvalExpr, SearchNode, SplCommand, SplPipeline } from "./spl-ast.js";
export { parseSpl } from "./spl-parser.js";
export { evaluateSpl, evaluateSplSearch, type SplEvalOptions, type SplEvalResult } from "./spl-evaluate.js";
