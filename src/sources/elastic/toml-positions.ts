/**
 * Where keys and string values of one table sit in a detection-rules TOML file. smol-toml returns
 * values without positions, so a light line scan finds them: table headers (`[rule]`,
 * `[[rule.threat]]`, `[transform]` ...) tell which table a `key =` line belongs to, and only keys
 * directly in the asked table count (an osquery `query =` under `[transform]` is not the rule's).
 * Lines inside multi-line strings are skipped, so a `[x]` or `a = b` in a note is never a key.
 */

export interface TomlKeyPosition {
  /** Offset of the key in the file. */
  readonly keyOffset: number;
  /** Offset of the value's first character (after an opening quote and a trimmed newline). */
  readonly valueOffset: number;
}

const HEADER = /^\s*\[\[?\s*([A-Za-z0-9_."-]+?)\s*\]\]?\s*(#.*)?\r?$/;
const KEY = /^(\s*)([A-Za-z0-9_-]+|"[^"]*")\s*=\s*/;

/** Offsets of every `key =` directly in `table` (e.g. `rule`), first occurrence per key. */
export function tableKeyPositions(text: string, table: string): Map<string, TomlKeyPosition> {
  const out = new Map<string, TomlKeyPosition>();
  let current = "";
  let inMulti: string | undefined; // the closing delimiter of the multi-line string we are inside
  let pos = 0;
  for (;;) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end);
    if (inMulti) {
      if (countDelims(line, inMulti) % 2 === 1) inMulti = undefined;
    } else {
      const h = HEADER.exec(line);
      if (h) current = h[1]!.replace(/\s+/g, "");
      const k = h ? null : KEY.exec(line);
      if (k) {
        const key = k[2]!.replace(/^"|"$/g, "");
        const rest = line.slice(k[0].length);
        const delim = /^('''|"""|'|")/.exec(rest)?.[1];
        let valueOffset = pos + k[0].length + (delim?.length ?? 0);
        // A newline right after an opening `'''` / `"""` is not part of the value.
        if (delim && delim.length === 3 && rest.slice(3).trim() === "") valueOffset = end + 1;
        if (current === table && !out.has(key)) out.set(key, { keyOffset: pos + k[1]!.length, valueOffset });
      }
      inMulti = opensMulti(line);
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return out;
}

/** The delimiter of a multi-line string a line opens and leaves open (an odd count of it), if any. */
function opensMulti(line: string): string | undefined {
  const first = /'''|"""/.exec(line)?.[0];
  if (!first) return undefined;
  return countDelims(line, first) % 2 === 1 ? first : undefined;
}

/** Occurrences of a triple delimiter; `\"""` inside a basic string is escaped and does not count. */
function countDelims(line: string, delim: string): number {
  const re = delim === "'''" ? /'''/g : /(?<!\\)"""/g;
  return line.match(re)?.length ?? 0;
}
