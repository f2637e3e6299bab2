/**
 * Where the top-level keys of a JSON object sit in its text (JSON.parse gives no positions), and
 * where a character of a string value sits once its escapes are counted, so that a query error
 * in a Kibana rule points into the file.
 */

export interface JsonKeyPosition {
  readonly keyOffset: number;
  /** Offset of the value's first character (the opening quote for strings). */
  readonly valueOffset: number;
}

/** Positions of the keys of the outermost object; the text is assumed to be valid JSON. */
export function topLevelKeyPositions(text: string): Map<string, JsonKeyPosition> {
  const out = new Map<string, JsonKeyPosition>();
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        let j = end;
        while (j < text.length && /[\s:]/.test(text[j]!)) j++;
        if (!out.has(key)) out.set(key, { keyOffset: i, valueOffset: j });
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (c === "{" || c === "[") {
      depth++;
      expectKey = c === "{" && depth === 1;
    } else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 1) expectKey = true;
    i++;
  }
  return out;
}

/** Offset just past the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Maps an offset in a JSON string's decoded value to the file (`quote` = the opening quote). */
export function jsonStringMapper(text: string, quote: number): (valueOffset: number) => number {
  return (valueOffset) => {
    let i = quote + 1;
    let v = 0;
    while (v < valueOffset && i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        const units = text[i + 1] === "u" ? 6 : 2;
        i += units;
      } else i++;
      v++;
    }
    return i;
  };
}
