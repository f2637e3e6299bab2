/**
 * Lucene query string → query IR, for the subset a precise rule needs and rulecast writes:
 * `f:term` (backslash escapes, `*` and `?` wildcards), `f:"phrase"`, `f:/regex/`, `f:[a TO b]`
 * and `{…}` ranges, `_exists_:f`, `*:*`, `NOT`, and parenthesised `AND`/`OR` groups.
 *
 * Refused rather than guessed: a group mixing `AND` and `OR` (the query string parser turns them
 * into must/should clauses and ignores their precedence), clauses side by side with no operator
 * (their meaning depends on `default_operator`), a `NOT` clause under `OR` (`a OR NOT b` is a
 * must_not beside a should: it means `a AND NOT b`), a group or query of `NOT` clauses only (no
 * positive clause: Lucene matches nothing), bare terms without a field (analysed per field),
 * boosts, fuzziness, proximity and `+`/`-` prefixes.
 *
 * Lowering, as Elasticsearch builds queries on keyword fields: terms, phrases and regexes compare
 * case-sensitively; a regex is Lucene's own dialect, anchored on the whole value. Values are
 * strings (the query string is untyped); a range bound written as a number stays a number.
 */
import type { Part, Query, RangeOp, Value } from "../../ir/query.js";
import { type ParseResult, QuerySyntaxError } from "../../diagnostics/query-error.js";
import { checkNesting } from "../nesting.js";
import { RESERVED, UNESCAPABLE, WHITESPACE } from "./lucene-syntax.js";

const isSpace = (c: string | undefined): boolean => c !== undefined && WHITESPACE.has(c);

export function parseLucene(text: string): ParseResult<Query> {
  try {
    const p = new Parser(text);
    p.skipSpace();
    if (p.atEnd()) return { ok: true, value: { kind: "all", span: { start: 0, end: 0 } } };
    const q = p.expr(0);
    p.skipSpace();
    if (!p.atEnd()) p.fail("lucene/unexpected-text", "clauses side by side need AND or OR between them (their meaning would depend on default_operator)");
    return { ok: true, value: q };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (isSpace(this.s[this.i])) this.i++;
  }

  fail(code: string, message: string, at = this.i): never {
    throw new QuerySyntaxError({ code, message, offset: at, end: Math.min(this.s.length, at + 1) });
  }

  private word(w: string): boolean {
    if (!this.s.startsWith(w, this.i)) return false;
    const after = this.s[this.i + w.length];
    if (after !== undefined && !isSpace(after) && after !== "(") return false;
    this.i += w.length;
    return true;
  }

  /** A whole query or parenthesised group, which must hold a positive clause. */
  expr(depth: number): Query {
    const start = this.i;
    const g = this.group(depth);
    if (g.negative) this.fail("lucene/negative-only", "a group of NOT clauses only matches nothing in Lucene; put a positive clause (`*:*`) beside it", start);
    return g.query;
  }

  private group(depth: number): { query: Query; negative: boolean } {
    checkNesting("lucene/nesting-too-deep", depth, this.i);
    const start = this.i;
    const first = this.unary(depth);
    const clauses = [first];
    let op: "AND" | "OR" | undefined;
    for (;;) {
      this.skipSpace();
      const at = this.i;
      const next = this.word("AND") ? "AND" : this.word("OR") ? "OR" : undefined;
      if (!next) break;
      if (op && op !== next) this.fail("lucene/mixed-operators", "AND and OR in one group: the query string ignores their precedence, so parenthesise each", at);
      op = next;
      this.skipSpace();
      clauses.push(this.unary(depth));
    }
    if (!op) return first;
    if (op === "OR" && clauses.some((c) => c.negative)) this.fail("lucene/negative-in-or", "`a OR NOT b` is a must_not beside a should in Lucene (it means a AND NOT b); write (a OR (*:* AND NOT b))", start);
    const query: Query = { kind: op === "AND" ? "and" : "or", children: clauses.map((c) => c.query), span: { start, end: this.i } };
    return { query, negative: clauses.every((c) => c.negative) };
  }

  private unary(depth: number): { query: Query; negative: boolean } {
    this.skipSpace();
    const start = this.i;
    if (this.word("NOT")) {
      this.skipSpace();
      checkNesting("lucene/nesting-too-deep", depth + 1, start);
      const child = this.unary(depth + 1);
      if (child.negative) this.fail("lucene/negative-only", "NOT of a NOT clause has no positive clause to stand beside", start);
      return { query: { kind: "not", child: child.query, span: { start, end: this.i } }, negative: true };
    }
    return { query: this.primary(depth), negative: false };
  }

  private primary(depth: number): Query {
    const start = this.i;
    const c = this.s[this.i];
    if (c === undefined) this.fail("lucene/unexpected-end", "a clause is missing");
    if (c === "(") {
      this.i++;
      const q = this.expr(depth + 1);
      this.skipSpace();
      if (this.s[this.i] !== ")") this.fail("lucene/unclosed-group", "`(` has no matching `)`", start);
      this.i++;
      return q;
    }
    if ("+-".includes(c)) this.fail("lucene/prefix-operator", "`+`/`-` prefixes are not read; write AND / NOT");
    if (this.s.startsWith("*:*", this.i)) {
      this.i += 3;
      return { kind: "all", span: { start, end: this.i } };
    }
    const field = this.fieldName();
    if (this.s[this.i] !== ":") this.fail("lucene/bare-term", "a term without a field is analysed per field; write field:value", start);
    this.i++;
    if (field === "_exists_") {
      const f = this.fieldName();
      if (f === "") this.fail("lucene/missing-field", "_exists_: needs a field name");
      return { kind: "exists", field: f, span: { start, end: this.i } };
    }
    const v = this.s[this.i];
    if (v === '"') return this.match(field, this.phrase(), start);
    if (v === "/") return { kind: "regex", field, pattern: this.regex(), dialect: "lucene", caseSensitive: true, span: { start, end: this.i } };
    if (v === "[" || v === "{") return this.range(field, start);
    if (v === "(") this.fail("lucene/value-group", "value groups `f:(a OR b)` are not read; write (f:a OR f:b)");
    const parts = this.term();
    if (parts.length === 0) this.fail("lucene/missing-value", "a value is missing after `:`");
    return { kind: "match", field, value: { kind: "string", parts }, caseSensitive: true, span: { start, end: this.i } };
  }

  private match(field: string, text: string, start: number): Query {
    return { kind: "match", field, value: { kind: "string", parts: text === "" ? [] : [{ kind: "text", value: text }] }, caseSensitive: true, span: { start, end: this.i } };
  }

  private fieldName(): string {
    let out = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === "\\") {
        const n = this.s[this.i + 1];
        if (n === undefined) this.fail("lucene/trailing-backslash", "the query ends with a lone backslash");
        out += n;
        this.i += 2;
        continue;
      }
      if (c === ":" || isSpace(c) || c === "(" || c === ")") break;
      out += c;
      this.i++;
    }
    return out;
  }

  private phrase(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail("lucene/unclosed-phrase", "a quoted phrase has no closing quote", start);
      this.i++;
      if (c === '"') break;
      if (c === "\\") {
        const n = this.s[this.i];
        if (n === undefined) this.fail("lucene/unclosed-phrase", "a quoted phrase has no closing quote", start);
        out += n;
        this.i++;
        continue;
      }
      out += c;
    }
    if (this.s[this.i] === "~") this.fail("lucene/proximity", "phrase proximity `\"…\"~n` is not read");
    return out;
  }

  private regex(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail("lucene/unclosed-regex", "a regex has no closing `/`", start);
      this.i++;
      if (c === "/") break;
      if (c === "\\") {
        const n = this.s[this.i];
        if (n === undefined) this.fail("lucene/unclosed-regex", "a regex has no closing `/`", start);
        // `\/` stands for the slash itself; every other escape belongs to the regex.
        out += n === "/" ? "/" : c + n;
        this.i++;
        continue;
      }
      out += c;
    }
    return out;
  }

  private term(): Part[] {
    const parts: Part[] = [];
    let text = "";
    const flush = () => {
      if (text) parts.push({ kind: "text", value: text });
      text = "";
    };
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (isSpace(c) || c === "(" || c === ")") break;
      if (c === "\\") {
        const n = this.s[this.i + 1];
        if (n === undefined) this.fail("lucene/trailing-backslash", "the query ends with a lone backslash");
        text += n;
        this.i += 2;
        continue;
      }
      if (c === "*" || c === "?") {
        flush();
        const prev = parts[parts.length - 1];
        if (!(c === "*" && prev?.kind === "any")) parts.push({ kind: c === "*" ? "any" : "one" });
        this.i++;
        continue;
      }
      if (RESERVED.has(c) || UNESCAPABLE.has(c)) this.fail("lucene/reserved-character", `\`${c}\` is reserved in a term; escape it with a backslash`);
      text += c;
      this.i++;
    }
    flush();
    return parts;
  }

  private range(field: string, start: number): Query {
    const open = this.s[this.i]!;
    this.i++;
    const lower = this.bound();
    this.skipSpace();
    if (!this.word("TO")) this.fail("lucene/range", "a range reads `[low TO high]`");
    this.skipSpace();
    const upper = this.bound();
    const close = this.s[this.i];
    if (close !== "]" && close !== "}") this.fail("lucene/range", "a range ends with `]` or `}`");
    this.i++;
    const span = { start, end: this.i };
    const pieces: Query[] = [];
    if (lower) pieces.push({ kind: "range", field, op: (open === "[" ? "gte" : "gt") as RangeOp, value: lower, span });
    if (upper) pieces.push({ kind: "range", field, op: (close === "]" ? "lte" : "lt") as RangeOp, value: upper, span });
    if (pieces.length === 0) return { kind: "exists", field, span };
    return pieces.length === 1 ? pieces[0]! : { kind: "and", children: pieces, span };
  }

  /** A bound: `*` (open), a number, or a phrase. */
  private bound(): Value | undefined {
    this.skipSpace();
    if (this.s[this.i] === '"') {
      const t = this.phrase();
      return { kind: "string", parts: t === "" ? [] : [{ kind: "text", value: t }] };
    }
    const m = /^[^ \t\n\r\u3000\]}]+/.exec(this.s.slice(this.i));
    if (!m) this.fail("lucene/range", "a range bound is missing");
    this.i += m[0].length;
    if (m[0] === "*") return undefined;
    if (!NUMBER.test(m[0])) this.fail("lucene/range", "an unquoted range bound must be a number or `*`");
    return { kind: "number", value: Number(m[0]), raw: m[0] };
  }
}
