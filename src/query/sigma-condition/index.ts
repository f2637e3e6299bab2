export type { ConditionNode, ConditionKind } from "./condition-ast.js";
export { parseCondition } from "./condition-parser.js";
export { lexCondition } from "./condition-lexer.js";
export { selectionsMatching } from "./condition-selectors.js";
