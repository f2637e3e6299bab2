/**
 * ES|QL query text → ES|QL syntax tree (grammar after Elasticsearch `EsqlBaseParser.g4`; Kibana's
 * generated copy is the test oracle). The commands detection rules use are read in full: FROM …
 * METADATA, WHERE, EVAL, STATS … BY (and INLINE STATS), KEEP, DROP, RENAME, SORT, LIMIT,
 * MV_EXPAND, DISSECT, GROK. Other commands of the language (ENRICH, COMPLETION, LOOKUP JOIN, FORK,
 * …) are recognised by name and kept as `other`, so that a rule using them reads and lowering can
 * refuse it by name; an unknown command word is a syntax error, as in Elasticsearch.
 *
 * @example parseEsqlAst('FROM logs-* | WHERE process.name == "cmd.exe"')
 */
import { QuerySyntaxError, type ParseResult } from "../../diagnostics/query-error.js";
import type { EsqlCommand, EsqlField, EsqlQuery, NameAt } from "./esql-ast.js";
import {
  type Cursor, expectKeyword, expectOp, fail, isKeyword, isOp, lastEnd, next, peek, span, unexpected,
} from "./esql-cursor.js";
import { parseBoolean, parseConstant, parseFieldName } from "./esql-expr-parser.js";
import { lexEsql, type Token } from "./esql-lexer.js";

/**
 * Commands of the released grammar this reader keeps as `other` (lowering refuses them by name).
 * Commands only a snapshot build knows (EXPLAIN, LEFT JOIN, INSIST, MMR) are syntax errors, as on
 * the Elasticsearch that runs rules.
 */
const OTHER_COMMANDS: ReadonlySet<string> = new Set(["enrich", "completion", "change_point", "fork", "sample", "rerank", "fuse"]);
const SOURCE_COMMANDS_OTHER: ReadonlySet<string> = new Set(["row", "show", "ts", "promql"]);

export function parseEsqlAst(text: string): ParseResult<EsqlQuery> {
  try {
    return { ok: true, value: parseOrThrow(text) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}

function parseOrThrow(text: string): EsqlQuery {
  const c: Cursor = { tokens: lexEsql(text), pos: 0, depth: 0 };
  if (peek(c).type === "eof") fail("esql/empty-query", "the query is empty", peek(c));
  const settings: NameAt[] = [];
  while (isKeyword(peek(c), "set")) {
    const t = next(c);
    const name = peek(c);
    if (name.type !== "ident" && name.type !== "quotedIdent") unexpected(name, "a setting name after `SET`");
    next(c);
    expectOp(c, "=");
    if (parseConstant(c) === undefined) unexpected(peek(c), "a constant value for the setting");
    expectOp(c, ";", "`;` ending the `SET` directive");
    settings.push({ name: name.text, span: span(t.start, lastEnd(c)) });
  }
  const commands: EsqlCommand[] = [parseSource(c)];
  while (isOp(peek(c), "|")) {
    next(c);
    commands.push(parseProcessing(c));
  }
  const end = peek(c);
  if (end.type !== "eof") unexpected(end, "`|` or the end of the query");
  return { settings, commands };
}

function parseSource(c: Cursor): EsqlCommand {
  const t = peek(c);
  if (isKeyword(t, "from")) return parseFrom(c);
  if (t.type === "ident" && SOURCE_COMMANDS_OTHER.has(t.text.toLowerCase())) return skipCommand(c, t.text.toLowerCase());
  return unexpected(t, "`FROM` starting the query", "an ES|QL rule starts with `FROM <index patterns>`");
}

function parseFrom(c: Cursor): EsqlCommand {
  const start = next(c).start;
  const sources: NameAt[] = [];
  const metadata: NameAt[] = [];
  do {
    if (sources.length) next(c);
    sources.push(parseIndexPattern(c));
  } while (isOp(peek(c), ","));
  const m = peek(c);
  if (m.type === "source" && m.text.toLowerCase() === "metadata") {
    next(c);
    do {
      if (metadata.length) next(c);
      const f = peek(c);
      if (f.type !== "source") unexpected(f, "a metadata field such as `_id`");
      next(c);
      metadata.push({ name: f.text, span: span(f.start, f.end) });
    } while (isOp(peek(c), ","));
  }
  return { t: "from", sources, metadata, span: span(start, lastEnd(c)) };
}

/** `index`, `"index"`, `cluster:index`, `index::selector`. */
function parseIndexPattern(c: Cursor): NameAt {
  const t = peek(c);
  if (t.type === "string") {
    next(c);
    return { name: t.text, span: span(t.start, t.end) };
  }
  if (t.type !== "source" || t.text.toLowerCase() === "metadata") unexpected(t, "an index pattern");
  next(c);
  let name = t.text;
  if (isOp(peek(c), ":") || isOp(peek(c), "::")) {
    const sep = next(c);
    const rest = peek(c);
    if (rest.type !== "source") unexpected(rest, `an index name after \`${sep.text}\``);
    next(c);
    name += sep.text + rest.text;
  }
  return { name, span: span(t.start, lastEnd(c)) };
}

function parseProcessing(c: Cursor): EsqlCommand {
  const t = peek(c);
  if (t.type !== "ident") return unexpected(t, "a command after `|`");
  const word = t.text.toLowerCase();
  switch (word) {
    case "where": {
      next(c);
      const cond = parseBoolean(c);
      return { t: "where", cond, span: span(t.start, lastEnd(c)) };
    }
    case "eval": {
      next(c);
      const fields = parseFields(c);
      return { t: "eval", fields, span: span(t.start, lastEnd(c)) };
    }
    case "stats":
    case "inlinestats":
      next(c);
      return parseStats(c, t, word === "inlinestats");
    case "inline":
      next(c);
      expectKeyword(c, "stats");
      return parseStats(c, t, true);
    case "keep":
    case "drop": {
      next(c);
      const patterns = parsePatterns(c);
      return { t: word, patterns, span: span(t.start, lastEnd(c)) };
    }
    case "rename":
      return parseRename(c);
    case "sort":
      return parseSort(c);
    case "limit": {
      next(c);
      const n = peek(c);
      if (n.type !== "integer") unexpected(n, "a row count after `LIMIT`");
      next(c);
      return { t: "limit", count: Number(n.text), span: span(t.start, n.end) };
    }
    case "mv_expand": {
      next(c);
      const f = parseFieldName(c);
      if (f.t !== "field") unexpected(t, "a field");
      return { t: "mv_expand", field: { name: f.name, span: f.span }, span: span(t.start, lastEnd(c)) };
    }
    case "dissect":
    case "grok":
      return parseExtract(c, word);
    default:
      if (OTHER_COMMANDS.has(word)) return skipCommand(c, word);
      if (word === "lookup" && isKeyword(peek(c, 1), "join")) return skipCommand(c, "lookup join");
      return fail("esql/unknown-command", `unknown command \`${t.text}\``, t,
        "ES|QL processing commands: WHERE, EVAL, STATS, KEEP, DROP, RENAME, SORT, LIMIT, MV_EXPAND, DISSECT, GROK, ENRICH, LOOKUP JOIN, …");
  }
}

function parseStats(c: Cursor, t: Token, inline: boolean): EsqlCommand {
  const aggs: { field: EsqlField; where?: ReturnType<typeof parseBoolean> }[] = [];
  if (!isKeyword(peek(c), "by") && !isOp(peek(c), "|") && peek(c).type !== "eof") {
    do {
      if (aggs.length) next(c);
      const field = parseField(c);
      if (isKeyword(peek(c), "where")) {
        next(c);
        aggs.push({ field, where: parseBoolean(c) });
      } else aggs.push({ field });
    } while (isOp(peek(c), ","));
  }
  let by: EsqlField[] = [];
  if (isKeyword(peek(c), "by")) {
    next(c);
    by = parseFields(c);
  }
  if (aggs.length === 0 && by.length === 0) unexpected(peek(c), "an aggregation or `BY` after `STATS`");
  return { t: "stats", inline, aggs, by, span: span(t.start, lastEnd(c)) };
}

function parseFields(c: Cursor): EsqlField[] {
  const fields = [parseField(c)];
  while (isOp(peek(c), ",")) {
    next(c);
    fields.push(parseField(c));
  }
  return fields;
}

/** `name = expr` or `expr`: a name followed by `=` is an assignment. */
function parseField(c: Cursor): EsqlField {
  const start = peek(c).start;
  const save = c.pos;
  const t = peek(c);
  if (t.type === "ident" || t.type === "quotedIdent") {
    try {
      const name = parseFieldName(c);
      if (name.t === "field" && isOp(peek(c), "=")) {
        next(c);
        const expr = parseBoolean(c);
        return { name: name.name, expr, span: span(start, lastEnd(c)) };
      }
    } catch (e) {
      if (!(e instanceof QuerySyntaxError)) throw e;
    }
    c.pos = save;
  }
  const expr = parseBoolean(c);
  return { expr, span: span(start, lastEnd(c)) };
}

/**
 * KEEP/DROP/RENAME names with `*` wildcards (`Esql.*`, `process.*`, `*`): pieces written without
 * space between them form one pattern; in this mode keywords are names too.
 */
function parsePattern(c: Cursor): NameAt {
  const first = peek(c);
  let name = "";
  let end = first.start;
  for (;;) {
    const t = peek(c);
    const piece = t.type === "ident" || t.type === "quotedIdent" || t.type === "integer" || isOp(t, "*") || isOp(t, ".");
    if (!piece || (name !== "" && t.start !== end)) break;
    next(c);
    name += t.text;
    end = t.end;
  }
  if (name === "" || name.startsWith(".") || name.endsWith(".")) unexpected(first, "a field name or pattern");
  return { name, span: span(first.start, end) };
}

function parsePatterns(c: Cursor): NameAt[] {
  const out = [parsePattern(c)];
  while (isOp(peek(c), ",")) {
    next(c);
    out.push(parsePattern(c));
  }
  return out;
}

/** `old AS new`, or `new = old`. */
function parseRename(c: Cursor): EsqlCommand {
  const t = next(c);
  const pairs: { from: NameAt; to: NameAt }[] = [];
  do {
    if (pairs.length) next(c);
    const a = parsePattern(c);
    if (isKeyword(peek(c), "as")) {
      next(c);
      pairs.push({ from: a, to: parsePattern(c) });
    } else if (isOp(peek(c), "=")) {
      next(c);
      pairs.push({ from: parsePattern(c), to: a });
    } else unexpected(peek(c), "`AS` or `=` in RENAME");
  } while (isOp(peek(c), ","));
  return { t: "rename", pairs, span: span(t.start, lastEnd(c)) };
}

function parseSort(c: Cursor): EsqlCommand {
  const t = next(c);
  const keys: { expr: ReturnType<typeof parseBoolean>; desc: boolean; nulls?: "first" | "last" }[] = [];
  do {
    if (keys.length) next(c);
    const expr = parseBoolean(c);
    let desc = false;
    if (isKeyword(peek(c), "asc")) next(c);
    else if (isKeyword(peek(c), "desc")) {
      next(c);
      desc = true;
    }
    let nulls: "first" | "last" | undefined;
    if (isKeyword(peek(c), "nulls")) {
      next(c);
      const w = peek(c);
      if (!isKeyword(w, "first") && !isKeyword(w, "last")) unexpected(w, "`FIRST` or `LAST` after `NULLS`");
      next(c);
      nulls = w.text.toLowerCase() as "first" | "last";
    }
    keys.push({ expr, desc, ...(nulls ? { nulls } : {}) });
  } while (isOp(peek(c), ","));
  return { t: "sort", keys, span: span(t.start, lastEnd(c)) };
}

function parseExtract(c: Cursor, word: "dissect" | "grok"): EsqlCommand {
  const t = next(c);
  const input = parseBoolean(c);
  const patterns: string[] = [];
  do {
    if (patterns.length) next(c);
    const s = peek(c);
    if (s.type !== "string") unexpected(s, `a ${word} pattern string`);
    next(c);
    patterns.push(s.text);
  } while (word === "grok" && isOp(peek(c), ","));
  if (word === "dissect") {
    // `APPEND_SEPARATOR = "…"` options.
    while (peek(c).type === "ident" && isOp(peek(c, 1), "=")) {
      next(c);
      next(c);
      if (parseConstant(c) === undefined) unexpected(peek(c), "a constant option value");
      if (isOp(peek(c), ",")) next(c);
    }
    return { t: "dissect", input, pattern: patterns[0] ?? "", span: span(t.start, lastEnd(c)) };
  }
  return { t: "grok", input, patterns, span: span(t.start, lastEnd(c)) };
}

/** A command kept by name: its tokens up to the next `|` outside brackets. */
function skipCommand(c: Cursor, name: string): EsqlCommand {
  const t = next(c);
  let depth = 0;
  for (let n = peek(c); n.type !== "eof" && !(depth === 0 && isOp(n, "|")); n = peek(c)) {
    if (isOp(n, "(") || isOp(n, "[") || isOp(n, "{")) depth++;
    if (isOp(n, ")") || isOp(n, "]") || isOp(n, "}")) {
      if (depth === 0) unexpected(n, "`|` or the end of the query");
      depth--;
    }
    next(c);
  }
  if (depth > 0) unexpected(peek(c), "a closing bracket");
  return { t: "other", name, span: span(t.start, lastEnd(c)) };
}
