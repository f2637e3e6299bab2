/**
 * SPL eval expressions (the argument of `| where`) → EvalExpr. Precedence: NOT > comparison >
 * AND > OR. Field names are bare (`a_b`) or single-quoted (`'process.name'`, no escape inside);
 * strings are double-quoted with `\\` and `\"`; `true()`/`false()` are calls.
 */
import { QuerySyntaxError } from "../../../src/diagnostics/query-error.js";
import type { EvalExpr, EvalOp } from "./spl-ast.js";
import { readQuoted, type SplCursor } from "./spl-cursor.js";

const EVAL_OPS: readonly (readonly [string, EvalOp])[] = [
  ["==", "=="],
  ["!=", "!="],
  ["<=", "<="],
  [">=", ">="],
  ["<", "<"],
  [">", ">"],
  // A single `=` is equality in eval, as `==` is.
  ["=", "=="],
];

export function parseEval(c: SplCursor): EvalExpr {
  return parseOr(c);
}

function parseOr(c: SplCursor): EvalExpr {
  let left = parseAnd(c);
  for (;;) {
    c.skipSpace();
    if (!c.keyword("OR")) return left;
    left = { kind: "or", left, right: parseAnd(c) };
  }
}

function parseAnd(c: SplCursor): EvalExpr {
  let left = parseNot(c);
  for (;;) {
    c.skipSpace();
    if (!c.keyword("AND")) return left;
    left = { kind: "and", left, right: parseNot(c) };
  }
}

function parseNot(c: SplCursor): EvalExpr {
  c.skipSpace();
  if (c.keyword("NOT")) return { kind: "not", child: parseNot(c) };
  return parseCompare(c);
}

function parseCompare(c: SplCursor): EvalExpr {
  const left = parsePrimary(c);
  c.skipSpace();
  const op = EVAL_OPS.find(([t]) => c.text.startsWith(t, c.pos));
  if (!op) return left;
  c.pos += op[0].length;
  return { kind: "compare", op: op[1], left, right: parsePrimary(c) };
}

function parsePrimary(c: SplCursor): EvalExpr {
  c.skipSpace();
  const at = c.pos;
  const ch = c.peek();
  if (ch === "(") {
    c.pos++;
    const inner = parseOr(c);
    c.skipSpace();
    c.expect(")");
    return inner;
  }
  if (ch === '"') return { kind: "string", value: readQuoted(c) };
  if (ch === "'") {
    const end = c.text.indexOf("'", c.pos + 1);
    if (end < 0) throw new QuerySyntaxError({ code: "spl/unterminated-field", message: "unterminated quoted field name", offset: at });
    c.pos = end + 1;
    return { kind: "field", name: c.text.slice(at + 1, end), at };
  }
  const num = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(c.text.slice(c.pos));
  if (num) {
    c.pos += num[0].length;
    return { kind: "number", value: Number(num[0]) };
  }
  const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.text.slice(c.pos));
  if (!ident) throw new QuerySyntaxError({ code: "spl/unexpected", message: `unexpected ${c.describe()} in eval expression`, offset: at });
  c.pos += ident[0].length;
  if (c.peek() !== "(") return { kind: "field", name: ident[0], at };
  c.pos++;
  const args: EvalExpr[] = [];
  c.skipSpace();
  if (c.peek() === ")") c.pos++;
  else {
    for (;;) {
      args.push(parseOr(c));
      c.skipSpace();
      if (c.peek() === ",") {
        c.pos++;
        continue;
      }
      c.expect(")");
      break;
    }
  }
  return { kind: "call", name: ident[0].toLowerCase(), args, at };
}
