/**
 * GROK and DISSECT: the columns they make from text. Neither drops a row (a value that does not
 * match gives NULL columns), so they change which events match only through a later command that
 * reads one of their columns. The reader binds each column to a marker (`extractedColumn`); a
 * command that only shows it (KEEP, DROP, SORT, RENAME, an EVAL nothing reads, VALUES/MIN/MAX in
 * STATS) leaves the meaning as it was, and any condition, group key or measure that reads it is
 * refused by name, at the GROK or DISSECT (`refuseExtracted`).
 *
 * Only columns whose names the pattern says are known: a DISSECT reference key (`%{*k}`/`%{&k}`)
 * takes its names from the data, and a GROK pattern other than the simple ones below may hold named
 * captures of its own (`%{COMBINEDAPACHELOG}`, and `%{URIHOST}` whose port is a capture in the
 * legacy pattern set): both refused, since an unseen column could hide a field a later condition
 * tests.
 */
import type { EsqlCommand, EsqlExpr } from "./esql-ast.js";
import { refuse } from "./esql-ir-build.js";

/** The marker's function name: a space cannot occur in an ES|QL function name, so no query can call it. */
const EXTRACTED = "extracted column";

/** Grok library patterns made only of plain regex and each other: no named captures inside. */
const SIMPLE_GROK: ReadonlySet<string> = new Set([
  "WORD", "NOTSPACE", "SPACE", "DATA", "GREEDYDATA", "INT", "POSINT", "NONNEGINT", "NUMBER", "BASE10NUM", "BASE16NUM",
  "IP", "IPV4", "IPV6", "HOSTNAME", "IPORHOST", "USERNAME", "USER", "QUOTEDSTRING", "QS", "UUID", "URIPROTO",
]);

type Extract = Extract_<EsqlCommand>;
type Extract_<C> = C extends { t: "grok" | "dissect" } ? C : never;

/** The columns the command makes, each bound to its marker. */
export function extractedColumns(cmd: Extract): Map<string, EsqlExpr> {
  const names = cmd.t === "grok" ? cmd.patterns.flatMap((p) => grokNames(p, cmd)) : dissectNames(cmd.pattern, cmd);
  const out = new Map<string, EsqlExpr>();
  for (const name of names) {
    out.set(name, {
      t: "call",
      name: EXTRACTED,
      args: [{ t: "lit", value: { type: "string", value: `${cmd.t.toUpperCase()}\u0000${name}` }, span: cmd.span }],
      star: false,
      span: cmd.span,
    });
  }
  return out;
}

/** Refuses when `e` is a column GROK or DISSECT made: a later command reads it. */
export function refuseExtracted(e: EsqlExpr): void {
  if (e.t !== "call" || e.name !== EXTRACTED) return;
  const arg = e.args[0];
  const [command, column] = arg?.t === "lit" && arg.value.type === "string" ? arg.value.value.split("\u0000") : ["GROK", "?"];
  refuse("esql/unsupported-command", `${command} (extracting new columns from text) has no IR form, and \`${column}\` is read by a later command`, e.span,
    `a ${command} whose columns are only kept, sorted or shown is left out of the reading`);
}

function grokNames(pattern: string, cmd: Extract): string[] {
  const names: string[] = [];
  for (const inner of enclosed(pattern, "%{", "}")) {
    const [syntax, name] = inner.split(":");
    if (!SIMPLE_GROK.has(syntax ?? "")) refuse("esql/unsupported-command", `GROK pattern \`%{${syntax}}\` may make columns of its own; no IR form`, cmd.span);
    if (name !== undefined) names.push(checkedName(name, cmd));
  }
  if (/\(\?(P<|')/.test(pattern)) refuse("esql/unsupported-command", "GROK with this named-group syntax has no IR form", cmd.span);
  for (const inner of enclosed(pattern, "(?<", ">", (first) => first !== "=" && first !== "!")) names.push(checkedName(inner, cmd));
  return names;
}

function dissectNames(pattern: string, cmd: Extract): string[] {
  const names: string[] = [];
  for (const inner of enclosed(pattern, "%{", "}")) {
    let key = inner;
    if (key === "" || key.startsWith("?")) continue;
    if (key.startsWith("*") || key.startsWith("&")) refuse("esql/unsupported-command", "DISSECT with reference keys (column names from the data) has no IR form", cmd.span);
    if (key.startsWith("+")) key = key.slice(1);
    key = key.replace(/->$/, "").replace(/\/\d+$/, "");
    names.push(checkedName(key, cmd));
  }
  return names;
}

function checkedName(name: string, cmd: Extract): string {
  if (!/^[A-Za-z_@][A-Za-z0-9_.@-]*$/.test(name)) refuse("esql/unsupported-command", `${cmd.t.toUpperCase()} column name \`${name}\` is not read`, cmd.span);
  return name;
}

/**
 * What stands between each `open` and the next `close`, left to right, as the global regex
 * /open([^close]*)close/ finds it (`accepts` limits the first character, which must exist). A loop
 * that stops at the first open without a close: the regex rescans the rest from every later open,
 * quadratic on a hostile pattern such as `%{%{%{…`.
 */
function enclosed(text: string, open: string, close: string, accepts?: (first: string) => boolean): string[] {
  const found: string[] = [];
  let at = text.indexOf(open);
  while (at !== -1) {
    const from = at + open.length;
    const first = text[from];
    if (accepts && (first === undefined || first === close || !accepts(first))) {
      at = text.indexOf(open, at + 1);
      continue;
    }
    const end = text.indexOf(close, from);
    if (end === -1) break;
    found.push(text.slice(from, end));
    at = text.indexOf(open, end + close.length);
  }
  return found;
}
