/**
 * `parseSpl('process.name="cmd*" | where like(lower(\'process.name\'), "cmd%")')` → an SplPipeline:
 * the search part, then each `| where` / `| regex` command. Other commands are refused with a
 * named error: this reads what rulecast writes, not SPL at large.
 */
import { type ParseResult, QuerySyntaxError } from "../../../src/diagnostics/query-error.js";
import type { SplCommand, SplPipeline, TstatsHead } from "./spl-ast.js";
import { readQuoted, SplCursor } from "./spl-cursor.js";
import { parseEval } from "./spl-eval-parser.js";
import { parseSearch } from "./spl-search-parser.js";

export function parseSpl(text: string): ParseResult<SplPipeline> {
  const c = new SplCursor(text);
  try {
    c.skipSpace();
    const tstats = /^\|\s*tstats\b/.test(text.slice(c.pos)) ? parseTstats(c) : undefined;
    const search = tstats ? undefined : parseSearch(c);
    const commands: SplCommand[] = [];
    c.skipSpace();
    while (!c.atEnd()) {
      c.expect("|");
      c.skipSpace();
      commands.push(parseCommand(c));
      c.skipSpace();
    }
    return { ok: true, value: { search, ...(tstats ? { tstats } : {}), commands } };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

/** The tstats options rulecast writes, and the one aggregation it asks for. */
const TSTATS_OPTIONS = new Set(["summariesonly", "allow_old_summaries", "fillnull_value"]);
const TSTATS_AGGREGATION = "count min(_time) as firstTime max(_time) as lastTime";

function parseTstats(c: SplCursor): TstatsHead {
  const at = c.pos;
  c.expect("|");
  c.skipSpace();
  c.expect("tstats");
  const options: Record<string, string> = {};
  for (;;) {
    c.skipSpace();
    const m = /^([a-z_]+)=(\S+)/.exec(c.text.slice(c.pos));
    if (!m || m[1] === "datamodel") break;
    if (!TSTATS_OPTIONS.has(m[1]!)) throw new QuerySyntaxError({ code: "spl/tstats-option", message: `the tstats option \`${m[1]}\` is not one rulecast writes`, offset: c.pos });
    options[m[1]!] = m[2]!;
    c.pos += m[0].length;
  }
  c.expect(TSTATS_AGGREGATION);
  c.skipSpace();
  c.expect("from datamodel=");
  const dm = /^[A-Za-z_]+\.[A-Za-z_]+/.exec(c.text.slice(c.pos))?.[0];
  if (!dm) throw new QuerySyntaxError({ code: "spl/tstats-datamodel", message: "expected <data model>.<data set>", offset: c.pos });
  c.pos += dm.length;
  c.skipSpace();
  // The where clause is a search up to ` by `; the search grammar would read `by` as a term.
  const end = commandEnd(c.text, c.pos);
  const by = lastTopLevelBy(c.text, c.pos, end);
  if (by < 0) throw new QuerySyntaxError({ code: "spl/tstats-by", message: "a tstats search without `by` is not one rulecast writes", offset: c.pos });
  let where;
  if (c.keyword("where")) {
    const sub = new SplCursor(c.text.slice(0, by));
    sub.pos = c.pos;
    where = parseSearch(sub);
    sub.skipSpace();
    if (!sub.atEnd()) throw new QuerySyntaxError({ code: "spl/unexpected", message: `unexpected ${sub.describe()} in the tstats where clause`, offset: sub.pos });
  } else if (by !== c.pos) throw new QuerySyntaxError({ code: "spl/unexpected", message: `unexpected ${c.describe()} in tstats`, offset: c.pos });
  c.pos = by;
  c.expect("by");
  const fields = c.text.slice(c.pos, end).trim().split(/\s+/).filter((f) => f !== "");
  c.pos = end;
  return { datamodel: dm, options, where, by: fields, at };
}

/** Offset of the `|` that ends the command starting at `from` (outside quotes), or the end. */
function commandEnd(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === "\\") i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "|") return i;
  }
  return text.length;
}

/** Offset of the last ` by ` outside quotes and parentheses in [from, end), or -1. */
function lastTopLevelBy(text: string, from: number, end: number): number {
  let quoted = false;
  let depth = 0;
  let found = -1;
  for (let i = from; i < end; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && text.startsWith("by ", i) && (i === from || /\s/.test(text[i - 1]!))) found = i;
  }
  return found;
}

function parseCommand(c: SplCursor): SplCommand {
  const at = c.pos;
  const macro = /^`drop_dm_object_name\(([A-Za-z_]+)\)`/.exec(c.text.slice(c.pos));
  if (macro) {
    c.pos += macro[0].length;
    return { kind: "drop-object", object: macro[1]!, at };
  }
  const filter = /^`([a-z0-9_]+_filter)`/.exec(c.text.slice(c.pos));
  if (filter) {
    c.pos += filter[0].length;
    return { kind: "filter-macro", name: filter[1]!, at };
  }
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
