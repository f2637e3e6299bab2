/**
 * Evaluates a query IR against one event (`evaluate`) or a time-ordered stream (`evaluateStream`,
 * in stream.ts). Field names inside the IR are used as-is: the caller has already mapped them to
 * the event's taxonomy (ECS names for ECS documents, Sigma names for flattened Windows events).
 *
 * Semantics, per node kind:
 * - Field resolution: `a.b.c` is looked up as a flat key, through nested objects, and through
 *   every mix of the two; arrays fan out. A field with several values (an array) matches when
 *   any value does. An empty array is an absent field.
 * - `match` with a string value: the whole value must match the parts; `any` is zero or more
 *   characters, `one` exactly one (code point), text parts are literal (a `*` in text is a
 *   star, not a wildcard). `caseSensitive: false` folds case (Unicode simple folding via `i`).
 *   Numbers and booleans in the event are matched through their string form (`4688` -> "4688").
 * - `match` with a number value: a numeric field equal to it, or a string field whose text is
 *   the number's source text or canonical form (`"4688"` matches 4688; `"4688.0"` does not).
 *   A boolean value matches a boolean field or the strings "true"/"false" (any case unless the
 *   match is case-sensitive, as KQL and SPL read a bare `true` as that text).
 *   A `null` value matches an absent field, or one whose every value is null (a multi-valued field
 *   with one real value is present, as KQL `not f:*` and SPL `NOT f=*` read it).
 * - `exists`: at least one non-null value.
 * - `range`: a number value compares numerically against numeric fields and numeric strings.
 *   A string value that is an ISO-8601 date compares against ISO date strings as instants (the
 *   same order as lexicographic for same-format UTC strings; no zone means UTC). Any other
 *   string compares lexicographically with string fields (KQL on keyword fields). Date math
 *   (`now-9m`, `...||/d`) is refused: it depends on the clock of the search, not on the event.
 * - `regex`: see query/regex/regex-dialects.ts (`pcre` searches unanchored, `lucene` is anchored; what cannot
 *   be translated is an error value, never an approximation).
 * - `cidr`: IPv4 and IPv6 blocks; non-IP values do not match; an invalid block is an error.
 * - `keyword` approximates Sigma keyword search and KQL free text: the pattern matches when it
 *   is contained in the string form of any scalar value anywhere in the event (implicit `any`
 *   on both sides), with the node's case flag. Real full-text search tokenizes; this does not.
 * - `fieldref`: some value of `field` equals some value of `other` (string forms, case per flag).
 * - `compare` / `predicate`: EQL functions and arithmetic, see expr-eval.ts (null-propagating,
 *   `~` folds case, `==` on strings is case-sensitive).
 * - `nested`: the inner query must hold inside one element of the array at `path`; inside it,
 *   field names resolve relative to the element and also with the `path.` prefix.
 * - `all` / `none`: true / false. `sequence`, `sample`, `correlation`, `pipe` need a stream
 *   (`evaluateStream`) and `opaque` cannot be evaluated: both give `{ok:false}` here.
 * - KQL: fields are assumed to be keyword fields (exact, case per the node flag, which KQL
 *   parsers set to case-sensitive); text-field analysis (tokenizing, stemming) is out of scope.
 * - With `ecsTyped: "eql" | "kql"` (EvalOptions), matches and ranges on ECS fields compare by the
 *   field's mapped type as Elasticsearch does, and a literal of the wrong type is refused where
 *   the language refuses it (ecs-typed.ts).
 */
import { assertNever, type NodeOf, type Query, type Span } from "../ir/query.js";
import { inCidr, parseCidr, parseIp } from "./cidr.js";
import { checkExpr, compareValues, evalExpr, truthy } from "./expr-eval.js";
import { allLeaves, fieldValues, stringForm } from "./field-values.js";
import { translateLucene, translatePcre } from "../query/regex/regex-dialects.js";
import { compileParts, partsText } from "./string-pattern.js";
import { typedMatch, typedRange, type TypedLanguage, type TypedTest } from "./ecs-typed.js";

export type EvalResult =
  | { readonly ok: true; readonly matched: boolean }
  | { readonly ok: false; readonly reason: string; readonly span?: Span };

/** A query checked once and turned into a test over events, reusable across a stream. */
export type Compiled =
  | { readonly ok: true; readonly test: (event: unknown) => boolean }
  | { readonly ok: false; readonly reason: string; readonly span?: Span };

type Test = (event: unknown) => boolean;

class Refused {
  constructor(
    readonly reason: string,
    readonly span: Span | undefined,
  ) {}
}

/**
 * `evaluate(q, {"process.name": "cmd.exe"})` → `{ok: true, matched: true}` for
 * `{kind:"match", field:"process.name", value:{kind:"string", parts:[{kind:"text", value:"cmd.exe"}]}, caseSensitive:true}`.
 */
export function evaluate(q: Query, event: Record<string, unknown>, opts: EvalOptions = {}): EvalResult {
  const c = compileQuery(q, opts);
  if (!c.ok) return c;
  return { ok: true, matched: c.test(event) };
}

export interface EvalOptions {
  /**
   * Compare as Elasticsearch does in this language, by each field's mapped ECS type
   * (ecs-typed.ts): `"3"` is 3 for a long field in KQL and a verification error in EQL.
   * Without it values compare by their string forms, whatever the field.
   */
  readonly ecsTyped?: TypedLanguage;
  /** The mapped type of a field; ECS's by default. */
  readonly fieldType?: (field: string) => string | undefined;
}

/** Checks a boolean query (regexes, CIDR blocks, functions) and compiles it into a test. */
export function compileQuery(q: Query, opts: EvalOptions = {}): Compiled {
  try {
    return { ok: true, test: compile(q, opts) };
  } catch (e) {
    // `Refused` is raised only inside this module and always caught here.
    if (e instanceof Refused) return e.span ? { ok: false, reason: e.reason, span: e.span } : { ok: false, reason: e.reason };
    throw e;
  }
}

function refuse(reason: string, node: { readonly span?: Span }): never {
  throw new Refused(reason, node.span);
}

function compile(q: Query, opts: EvalOptions): Test {
  switch (q.kind) {
    case "and": {
      const cs = q.children.map((c) => compile(c, opts));
      return (e) => cs.every((c) => c(e));
    }
    case "or": {
      const cs = q.children.map((c) => compile(c, opts));
      return (e) => cs.some((c) => c(e));
    }
    case "not": {
      const c = compile(q.child, opts);
      return (e) => !c(e);
    }
    case "all":
      return () => true;
    case "none":
      return () => false;
    case "match":
      return typed(q, opts.ecsTyped && typedMatch(q, opts.ecsTyped, opts.fieldType)) ?? compileMatch(q);
    case "exists":
      return (e) => fieldValues(e, q.field).some((v) => v !== null);
    case "range":
      return typed(q, opts.ecsTyped && typedRange(q, opts.ecsTyped, opts.fieldType)) ?? compileRange(q);
    case "regex": {
      const flags = { caseSensitive: q.caseSensitive, multiline: q.multiline, dotAll: q.dotAll };
      const r = q.dialect === "pcre" ? translatePcre(q.pattern, flags) : translateLucene(q.pattern, flags);
      if (!r.ok) refuse(`regex /${q.pattern}/ (${q.dialect}): ${r.reason}`, q);
      const re = r.re;
      return (e) => fieldValues(e, q.field).some((v) => {
        const s = stringForm(v);
        return s !== undefined && re.test(s);
      });
    }
    case "cidr": {
      const block = parseCidr(q.cidr);
      if (!block) refuse(`"${q.cidr}" is not an IPv4 or IPv6 CIDR block`, q);
      return (e) => fieldValues(e, q.field).some((v) => {
        const ip = typeof v === "string" ? parseIp(v) : undefined;
        return ip !== undefined && inCidr(ip, block);
      });
    }
    case "keyword":
      return compileKeyword(q);
    case "fieldref": {
      const norm = (s: string) => (q.caseSensitive ? s : s.toLowerCase());
      return (e) => {
        const others = new Set(fieldValues(e, q.other).map(stringForm).filter((s) => s !== undefined).map((s) => norm(s!)));
        return fieldValues(e, q.field).some((v) => {
          const s = stringForm(v);
          return s !== undefined && others.has(norm(s));
        });
      };
    }
    case "compare": {
      const err = checkExpr(q.left) ?? checkExpr(q.right);
      if (err) refuse(err, q);
      return (e) => compareValues(q.op, evalExpr(q.left, e), evalExpr(q.right, e));
    }
    case "predicate": {
      const err = checkExpr(q.expr);
      if (err) refuse(err, q);
      return (e) => truthy(evalExpr(q.expr, e));
    }
    case "nested": {
      const inner = compile(q.query, opts);
      return (e) => fieldValues(e, q.path).some((el) => {
        if (el === null || typeof el !== "object") return false;
        return inner({ ...(el as Record<string, unknown>), [q.path]: el });
      });
    }
    case "sequence":
    case "sample":
    case "correlation":
    case "newTerms":
    case "pipe":
      return refuse(`a ${q.kind} query matches a stream of events, not one event: use evaluateStream`, q);
    case "opaque":
      return refuse(`an opaque ${q.language} query (kept as text) cannot be evaluated`, q);
    default:
      return assertNever(q);
  }
}

/** The typed test, a refusal, or undefined where the field is compared untyped. */
function typed(q: Query, t: TypedTest | "" | undefined): Test | undefined {
  if (!t) return undefined;
  if ("refused" in t) refuse(t.refused, q);
  return t.test;
}

function compileMatch(q: NodeOf<"match">): Test {
  const v = q.value;
  switch (v.kind) {
    case "string": {
      const t = compileParts(v.parts, q.caseSensitive);
      return (e) => fieldValues(e, q.field).some((x) => {
        const s = stringForm(x);
        return s !== undefined && t(s);
      });
    }
    case "number": {
      const forms = new Set([v.raw, String(v.value)]);
      return (e) => fieldValues(e, q.field).some((x) => (typeof x === "number" ? x === v.value : typeof x === "string" && forms.has(x)));
    }
    case "boolean": {
      const text = v.value ? "true" : "false";
      return (e) =>
        fieldValues(e, q.field).some((x) => x === v.value || (typeof x === "string" && (q.caseSensitive ? x : x.toLowerCase()) === text));
    }
    case "null":
      return (e) => {
        const vs = fieldValues(e, q.field);
        return vs.every((x) => x === null);
      };
    default:
      return assertNever(v);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO-8601 date string; a date-time without zone is taken as UTC. */
export function isoInstant(s: string): number | undefined {
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const hasTime = s.length > 10;
  const t = Date.parse(hasTime && !m[1] ? `${s.replace(" ", "T").replace(",", ".")}Z` : s.replace(" ", "T").replace(",", "."));
  return Number.isNaN(t) ? undefined : t;
}

function numeric(x: unknown): number | undefined {
  if (typeof x === "number") return x;
  if (typeof x === "string" && x.trim() !== "" && !Number.isNaN(Number(x))) return Number(x);
  return undefined;
}

function compileRange(q: NodeOf<"range">): Test {
  const cmp = (c: number) => (q.op === "lt" ? c < 0 : q.op === "lte" ? c <= 0 : q.op === "gt" ? c > 0 : c >= 0);
  const v = q.value;
  let bound: number | undefined;
  if (v.kind === "number") bound = v.value;
  else if (v.kind === "string") {
    const text = partsText(v.parts);
    if (/^now\b/.test(text) || text.includes("||")) refuse(`date math "${text}" depends on the search time; cannot be evaluated on an event`, q);
    const instant = isoInstant(text);
    if (instant !== undefined) {
      return (e) => fieldValues(e, q.field).some((x) => {
        const t = typeof x === "string" ? isoInstant(x) : undefined;
        return t !== undefined && cmp(t - instant);
      });
    }
    bound = numeric(text);
    if (bound === undefined) {
      return (e) => fieldValues(e, q.field).some((x) => typeof x === "string" && cmp(x < text ? -1 : x > text ? 1 : 0));
    }
  } else refuse(`a range needs a number or string bound, got ${v.kind}`, q);
  const b = bound;
  return (e) => fieldValues(e, q.field).some((x) => {
    const n = numeric(x);
    return n !== undefined && cmp(n - b);
  });
}

function compileKeyword(q: NodeOf<"keyword">): Test {
  const v = q.value;
  let t: (s: string) => boolean;
  if (v.kind === "string") t = compileParts(v.parts, q.caseSensitive, true);
  else if (v.kind === "number") t = compileParts([{ kind: "text", value: v.raw }], true, true);
  else if (v.kind === "boolean") t = compileParts([{ kind: "text", value: String(v.value) }], false, true);
  else return refuse("a keyword search for null has no meaning", q);
  return (e) => allLeaves(e).some((x) => {
    const s = stringForm(x);
    return s !== undefined && t(s);
  });
}
