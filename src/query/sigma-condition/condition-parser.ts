/**
 * Recursive-descent parser for Sigma conditions. Precedence, loosest first:
 * or < and < not < `x of` < parentheses. Runs of the same operator become one n-ary node.
 */
import type { ParseResult, QueryError } from "../../diagnostics/query-error.js";
import { QuerySyntaxError } from "../../diagnostics/query-error.js";
import type { ConditionNode } from "./condition-ast.js";
import { lexCondition, type Token } from "./condition-lexer.js";
import { checkNesting } from "../nesting.js";

const KEYWORDS = new Set(["and", "or", "not", "of", "them"]);

/** `parseCondition("sel and not 1 of filter_*")` → an `and` of a ref and a `not` over an `of`. */
export function parseCondition(text: string): ParseResult<ConditionNode> {
  try {
    const p = new Parser(lexCondition(text));
    const node = p.parseOr();
    const t = p.peek();
    if (t.kind !== "eof") p.fail(t, "expected `and`, `or` or the end of the condition");
    return { ok: true, value: node };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

class Parser {
  private pos = 0;
  /** Open `(` and `not` around the cursor (see ../nesting.ts). */
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === "word" && t.text === w;
  }

  fail(t: Token, expected: string): never {
    const detail: QueryError =
      t.kind === "eof"
        ? { code: "sigma/condition-unexpected-end", message: `condition ends early: ${expected}`, offset: t.start }
        : {
            code: "sigma/condition-unexpected-token",
            message: `unexpected '${t.text}': ${expected}`,
            offset: t.start,
            end: t.end,
            ...(KEYWORDS.has(t.text.toLowerCase()) && t.text !== t.text.toLowerCase()
              ? { hint: "Sigma condition keywords are lowercase (pySigma rejects `AND`, `Not`)" }
              : {}),
          };
    throw new QuerySyntaxError(detail);
  }

  parseOr(): ConditionNode {
    const first = this.parseAnd();
    const children = [first];
    while (this.isWord(this.peek(), "or")) {
      this.next();
      children.push(this.parseAnd());
    }
    return children.length === 1 ? first : { kind: "or", children, span: spanOf(children) };
  }

  private parseAnd(): ConditionNode {
    const first = this.parseNot();
    const children = [first];
    while (this.isWord(this.peek(), "and")) {
      this.next();
      children.push(this.parseNot());
    }
    return children.length === 1 ? first : { kind: "and", children, span: spanOf(children) };
  }

  private parseNot(): ConditionNode {
    const t = this.peek();
    if (this.isWord(t, "not")) {
      checkNesting("sigma/condition-nesting-too-deep", ++this.depth, t.start, t.end);
      this.next();
      const child = this.parseNot();
      this.depth--;
      return { kind: "not", child, span: { start: t.start, end: child.span.end } };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const t = this.next();
    if (t.kind === "lparen") {
      checkNesting("sigma/condition-nesting-too-deep", ++this.depth, t.start, t.end);
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== "rparen") this.fail(close, "expected ')'");
      this.depth--;
      return inner;
    }
    if (t.kind !== "word") this.fail(t, "expected a selection name, `not`, `(` or `1 of`/`all of`");
    const q = t.text === "1" || t.text === "any" ? "any" : t.text === "all" ? "all" : undefined;
    if (q && this.isWord(this.peek(), "of")) {
      this.next();
      const target = this.next();
      if (target.kind !== "word" || (KEYWORDS.has(target.text) && target.text !== "them")) {
        this.fail(target, "expected `them` or a selection name pattern after `of`");
      }
      return {
        kind: "of",
        quantifier: q,
        target: target.text === "them" ? null : target.text,
        span: { start: t.start, end: target.end },
      };
    }
    if (KEYWORDS.has(t.text) || t.text.includes("*")) {
      this.fail(t, t.text.includes("*") ? "a pattern is only allowed after `1 of`/`all of`" : "expected a selection name");
    }
    if (KEYWORDS.has(t.text.toLowerCase()) && t.text !== t.text.toLowerCase()) {
      this.fail(t, "expected a selection name");
    }
    return { kind: "ref", name: t.text, span: { start: t.start, end: t.end } };
  }
}

function spanOf(nodes: readonly ConditionNode[]): { start: number; end: number } {
  return { start: nodes[0]?.span.start ?? 0, end: nodes[nodes.length - 1]?.span.end ?? 0 };
}
