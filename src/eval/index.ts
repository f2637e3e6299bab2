/** The event evaluator: queries of the IR run against JSON events. Semantics: evaluate.ts. */
export { compileQuery, evaluate, type Compiled, type EvalOptions, type EvalResult } from "./evaluate.js";
export type { TypedLanguage } from "./ecs-typed.js";
export { evaluateStream, type StreamOptions } from "./stream.js";
export type { StreamMatch, StreamResult } from "./stream-result.js";
export { flattenWindowsEvent } from "./windows-event.js";
export { readEvents, type ReadEventsResult } from "./read-events.js";
export { fieldValues } from "./field-values.js";
export { esqlMatches, runEsql, type EsqlOptions, type EsqlRunResult } from "./esql-run.js";
