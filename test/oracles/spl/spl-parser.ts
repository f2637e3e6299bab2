/**
 * `parseSpl('process.name="cmd*" | where like(lower(\'process.name\'), "cmd%")')` → an SplPipeline:
 * the search part, then each `| where` / `| regex` command. Other commands are refused with a
 * named error: this reads what rulecast writes, not SPL at large.
 */
import { type ParseResult, QuerySyntaxError } from "../../../src/diagnostics/query-error.js";
import type { SplCommand, SplPipeline } from "./spl-ast.js";
import { readQuoted, SplCursor } from "./spl-cursor.js";
import { parseEval } from "./spl-eval-parser.js";
import { parseSearch } from "./spl-search-parser.js";

export function parseSpl(text: string): ParseResult<SplPipeline> {
  const c = new SplCursor(text);
  try {
    const search = parseSearch(c);
    const commands: SplCommand[] = [];
    c.skipSpace();
    while (!c.atEnd()) {
      c.expect("|");
      c.skipSpace();
      commands.push(parseCommand(c));
      c.skipSpace();
    }
    return { ok: true, value: { search, commands } };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

function parseCommand(c: SplCursor): SplCommand {
  const at = c.pos;
  const name = /^[a-z]+/.exec(c.text.slice(c.pos))?.[0] ?? "";
  c.pos += name.length;
  switch (name) {
    case "where":
      return { kind: "where", expr: parseEval(c) };
    case "regex": {
      c.skipSpace();
      const field = /^[^\s=!]+/.exec(c.text.slice(c.pos))?.[0] ?? "";
      c.pos += field.length;
      const negate = c.peek() === "!";
      if (negate) c.pos++;
      c.expect("=");
      return { kind: "regex", field, negate, pattern: readQuoted(c), at };
    }
    default:
      throw new QuerySyntaxError({ code: "spl/unknown-command", message: `the command \`${name}\` is not part of the SPL subset rulecast writes`, offset: at });
  }
}
