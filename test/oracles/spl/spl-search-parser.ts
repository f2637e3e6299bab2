/**
 * The search part of an SPL pipeline → SearchNode. Precedence is SPL's own: NOT binds tightest,
 * then OR, then AND (explicit or implicit by juxtaposition), so `a b OR c` is `a AND (b OR c)`.
 * Boolean operators are recognised only in upper case, as Splunk does (`or` is a search term).
 */
import { QuerySyntaxError } from "../../../src/diagnostics/query-error.js";
import type { SearchNode, SearchOp } from "./spl-ast.js";
import { readQuoted, SplCursor } from "./spl-cursor.js";

/** Characters that end a bare search word. */
const WORD_END = /[\s()"=<>!|,]/;
const SEARCH_OPS: readonly SearchOp[] = ["<=", ">=", "!=", "=", "<", ">"];

/** Parses from `c.pos` up to a top-level `|` or the end; `undefined` when there is nothing. */
export function parseSearch(c: SplCursor): SearchNode | undefined {
  c.skipSpace();
  if (c.atEnd() || c.peek() === "|") return undefined;
  return parseAnd(c);
}

function parseAnd(c: SplCursor): SearchNode {
  const children: SearchNode[] = [parseOr(c)];
  for (;;) {
    c.skipSpace();
    if (c.atEnd() || c.peek() === ")" || c.peek() === "|") break;
    if (c.keyword("AND")) c.skipSpace();
    children.push(parseOr(c));
  }
  return children.length === 1 ? children[0]! : { kind: "and", children };
}

function parseOr(c: SplCursor): SearchNode {
  const children: SearchNode[] = [parseNot(c)];
  for (;;) {
    c.skipSpace();
    if (!c.keyword("OR")) break;
    children.push(parseNot(c));
  }
  return children.length === 1 ? children[0]! : { kind: "or", children };
}

function parseNot(c: SplCursor): SearchNode {
  c.skipSpace();
  if (c.keyword("NOT")) return { kind: "not", child: parseNot(c) };
  return parsePrimary(c);
}

function parsePrimary(c: SplCursor): SearchNode {
  c.skipSpace();
  const at = c.pos;
  if (c.peek() === "(") {
    c.pos++;
    const inner = parseAnd(c);
    c.skipSpace();
    c.expect(")");
    return inner;
  }
  if (c.peek() === '"') return { kind: "term", value: readQuoted(c), at };
  const word = readWord(c);
  if (word === "") throw new QuerySyntaxError({ code: "spl/unexpected", message: `unexpected ${c.describe()} in search`, offset: c.pos });
  const op = SEARCH_OPS.find((o) => c.text.startsWith(o, c.pos));
  if (op) {
    c.pos += op.length;
    return { kind: "compare", field: word, op, value: readValue(c), at };
  }
  const save = c.pos;
  c.skipSpace();
  if (c.keyword("IN")) {
    c.skipSpace();
    c.expect("(");
    const values: string[] = [];
    for (;;) {
      c.skipSpace();
      values.push(readValue(c));
      c.skipSpace();
      if (c.peek() === ",") {
        c.pos++;
        continue;
      }
      c.expect(")");
      break;
    }
    return { kind: "in", field: word, values, at };
  }
  c.pos = save;
  return { kind: "term", value: word, at };
}

function readValue(c: SplCursor): string {
  if (c.peek() === '"') return readQuoted(c);
  const v = readWord(c);
  if (v === "") throw new QuerySyntaxError({ code: "spl/missing-value", message: `a value is missing before ${c.describe()}`, offset: c.pos });
  return v;
}

function readWord(c: SplCursor): string {
  const start = c.pos;
  while (!c.atEnd() && !WORD_END.test(c.peek()!)) c.pos++;
  return c.text.slice(start, c.pos);
}
