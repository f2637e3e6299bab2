/**
 * Elasticsearch EQL → query IR (grammar after elasticsearch `EqlBase.g4` and `eql-syntax.md`).
 *
 * Lowering choices (details in eql-lower.ts):
 * - `process where c` → and[match(event.category, "process", caseSensitive), ...c]; the
 *   conjuncts of `c` join that `and` flat; `where true` adds nothing; `any where c` → c.
 * - `f : "a*"` → case-insensitive match with wildcard parts; lists → `or` of matches.
 * - `f == "a*"` → case-sensitive match, `*` literal; `f != v` → not(match); `f != null` → exists.
 * - `like`/`like~` → wildcard match, case-sensitive / not; `regex`/`regex~` → regex (lucene);
 *   `in`/`in~` → `or` of literal matches; `not in` → not(or).
 * - field vs number/string with `<`.. → range; anything with functions or arithmetic → compare;
 *   `startsWith`/`endsWith`/`stringContains(field, "x")` → wildcard match; `cidrMatch` → cidr;
 *   other functions → predicate; a bare `true`/`false` → all/none.
 * - sequence/sample → their IR nodes (join keys as plain field names); `| head`/`| tail` → pipe.
 *
 * @example parseEql('process where process.name : "cmd.exe"')
 */
import { QuerySyntaxError, type ParseResult } from "../../diagnostics/query-error.js";
import type { Duration, Query, SequenceStep } from "../../ir/query.js";
import { checkDuration } from "../../ir/duration.js";
import type { EventFilterAst, JoinKey, StatementAst, StepAst } from "./eql-ast.js";
import {
  type Cursor, expectKeyword, expectOp, fail, isKeyword, isOp, isReserved, lastEnd, next, peek, unexpected,
} from "./eql-cursor.js";
import { EQL_DIALECT } from "./eql-dialect.js";
import { parseCondition, parseField } from "./eql-expr-parser.js";
import { lexEql } from "./eql-lexer.js";
import { lowerEventFilter } from "./eql-lower.js";

export function parseEql(text: string): ParseResult<Query> {
  try {
    return { ok: true, value: parseOrThrow(text) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

function parseOrThrow(text: string): Query {
  const c: Cursor = { tokens: lexEql(text), pos: 0, depth: 0 };
  const first = peek(c);
  if (first.type === "eof") fail("eql/empty-query", "the query is empty", first);
  const stmt = parseStatement(c);
  const pipes: { name: "head" | "tail"; count: number }[] = [];
  while (isOp(peek(c), "|")) {
    next(c);
    const name = peek(c);
    if (name.type !== "ident" || (name.text !== "head" && name.text !== "tail")) {
      fail("eql/unsupported-pipe", `unsupported pipe ${name.type === "eof" ? "(none)" : name.text}`, name,
        `${EQL_DIALECT} has only \`| head N\` and \`| tail N\``);
    }
    next(c);
    pipes.push({ name: name.text as "head" | "tail", count: positiveInt(c, "the pipe's count", 1, Number.MAX_SAFE_INTEGER) });
  }
  const end = peek(c);
  if (end.type !== "eof") unexpected(end, "`and`, `or`, a pipe `|` or the end of the query");
  const q = lowerStatement(stmt);
  return pipes.length ? { kind: "pipe", input: q, pipes, span: { start: first.start, end: lastEnd(c) } } : q;
}

function positiveInt(c: Cursor, what: string, min: number, max: number): number {
  const t = peek(c);
  if (t.type !== "number" || !/^[0-9]+$/.test(t.text)) unexpected(t, `an integer for ${what}`);
  const n = Number(t.text);
  if (n < min || n > max) fail("eql/out-of-range", `${what} must be between ${min} and ${max}`, t);
  next(c);
  return n;
}

function parseStatement(c: Cursor): StatementAst {
  const t = peek(c);
  if (isKeyword(t, "sequence")) return parseSequence(c);
  if (isKeyword(t, "sample")) {
    next(c);
    const by = isKeyword(peek(c), "by") ? parseJoinKeys(c) : [];
    if (isKeyword(peek(c), "with")) fail("eql/sample-with", "`sample` takes no `with` parameters", peek(c));
    const steps = parseSteps(c, "sample");
    return { t: "sample", by, steps, span: { start: t.start, end: lastEnd(c) } };
  }
  return { t: "event", filter: parseEventFilter(c) };
}

function parseSequence(c: Cursor): StatementAst {
  const start = next(c).start;
  let by: JoinKey[] = [];
  let maxspan: Duration | undefined;
  if (isKeyword(peek(c), "by")) by = parseJoinKeys(c);
  if (isKeyword(peek(c), "with")) {
    next(c);
    expectKeyword(c, "maxspan");
    expectOp(c, "=");
    maxspan = parseDuration(c);
    if (isKeyword(peek(c), "by")) fail("eql/by-after-with", "`by` must come before `with maxspan`", peek(c), "write `sequence by k with maxspan=5m`");
  }
  const steps = parseSteps(c, "sequence");
  let until: StepAst | undefined;
  if (isKeyword(peek(c), "until")) {
    const u = next(c);
    until = parseStep(c, "sequence");
    if (until.missing) fail("eql/missing-until", "`until` cannot be a missing event", u);
  }
  const span = { start, end: lastEnd(c) };
  const missing = steps.find((s) => s.missing);
  if (missing && maxspan === undefined) {
    throw new QuerySyntaxError({ code: "eql/missing-needs-maxspan", message: "a sequence with missing events `![...]` needs `with maxspan`", offset: missing.span.start, end: missing.span.end });
  }
  if (steps.every((s) => s.missing)) {
    throw new QuerySyntaxError({ code: "eql/no-positive-step", message: "a sequence needs at least one step that is not a missing event", offset: start, end: span.end });
  }
  return { t: "sequence", by, ...(maxspan ? { maxspan } : {}), steps, ...(until ? { until } : {}), span };
}

const UNITS: ReadonlySet<string> = new Set(["ms", "s", "m", "h", "d"]);

function parseDuration(c: Cursor): Duration {
  const num = peek(c);
  if (num.type !== "number") unexpected(num, "a time span such as `15m`");
  next(c);
  const unit = peek(c);
  if (unit.type !== "ident" || unit.start !== num.end) {
    fail("eql/bad-maxspan", "maxspan needs a unit", num, "write e.g. `maxspan=30s` (units: ms, s, m, h, d)");
  }
  if (!UNITS.has(unit.text)) fail("eql/bad-maxspan", `unknown time unit ${unit.text}`, unit, "units: ms, s, m, h, d");
  next(c);
  const span = checkDuration(num.text, unit.text as Duration["unit"]);
  if (!span.ok) fail("eql/bad-maxspan", `maxspan ${span.problem}`, num, "a whole number above zero, at most a year: maxspan=30s");
  return span.duration;
}

function parseJoinKeys(c: Cursor): JoinKey[] {
  next(c); // `by`
  const keys: JoinKey[] = [];
  do {
    if (keys.length) next(c);
    const t = peek(c);
    const optional = isOp(t, "?");
    if (optional) next(c);
    const f = parseField(c, optional, t.start);
    if (f.t !== "field") unexpected(t, "a field");
    keys.push({ field: f.name, span: f.span });
  } while (isOp(peek(c), ","));
  return keys;
}

function parseSteps(c: Cursor, what: "sequence" | "sample"): StepAst[] {
  const steps: StepAst[] = [];
  while (isOp(peek(c), "[") || isOp(peek(c), "!")) steps.push(parseStep(c, what));
  // `[..] with runs=2` alone is two steps.
  if (steps.reduce((n, s) => n + (s.runs ?? 1), 0) < 2) unexpected(peek(c), `another \`[ ... ]\` step: a ${what} needs at least two`);
  return steps;
}

function parseStep(c: Cursor, what: "sequence" | "sample"): StepAst {
  const open = peek(c);
  const missing = isOp(open, "!");
  if (missing) {
    if (what === "sample") fail("eql/sample-missing", "`sample` has no missing events", open);
    next(c);
  }
  expectOp(c, "[", "`[` starting a step");
  const filter = parseEventFilter(c);
  expectOp(c, "]", "`]` closing the step");
  const by = isKeyword(peek(c), "by") ? parseJoinKeys(c) : [];
  let runs: number | undefined;
  if (isKeyword(peek(c), "with")) {
    const w = next(c);
    if (what === "sample") fail("eql/sample-with", "`sample` steps take no `with` parameters", w);
    const key = peek(c);
    if (!isKeyword(key, "runs")) unexpected(key, "`runs`");
    next(c);
    expectOp(c, "=");
    runs = positiveInt(c, "runs", 1, 100);
  }
  return { filter, by, ...(runs !== undefined ? { runs } : {}), missing, span: { start: open.start, end: lastEnd(c) } };
}

function parseEventFilter(c: Cursor): EventFilterAst {
  const t = peek(c);
  let category: EventFilterAst["category"];
  if (isKeyword(t, "any")) next(c);
  else if (t.type === "string" || (t.type === "ident" && !isReserved(t))) {
    next(c);
    category = { name: t.text, span: { start: t.start, end: t.end } };
  } else unexpected(t, "an event category or `any`");
  expectKeyword(c, "where");
  const cond = parseCondition(c);
  return { category, cond, span: { start: t.start, end: lastEnd(c) } };
}

function lowerStep(s: StepAst): SequenceStep {
  return {
    query: lowerEventFilter(s.filter),
    by: s.by.map((k) => k.field),
    ...(s.runs !== undefined ? { runs: s.runs } : {}),
    ...(s.missing ? { missing: true } : {}),
    span: s.span,
  };
}

function lowerStatement(s: StatementAst): Query {
  switch (s.t) {
    case "event":
      return lowerEventFilter(s.filter);
    case "sequence":
      return {
        kind: "sequence",
        by: s.by.map((k) => k.field),
        ...(s.maxspan ? { maxspan: s.maxspan } : {}),
        steps: s.steps.map(lowerStep),
        ...(s.until ? { until: lowerStep(s.until) } : {}),
        span: s.span,
      };
    case "sample":
      return { kind: "sample", by: s.by.map((k) => k.field), steps: s.steps.map(lowerStep), span: s.span };
  }
}
