/**
 * Reads events from text: a JSON array of objects, JSON lines, or JSON objects written one after
 * another (the Sigma regression data files). Errors carry the offset into `text`.
 */

export type ReadEventsResult =
  | { readonly ok: true; readonly events: Record<string, unknown>[] }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** `readEvents('{"a":1}\n{"a":2}')` → `{ok: true, events: [{a: 1}, {a: 2}]}`. */
export function readEvents(text: string): ReadEventsResult {
  const start = skipSpace(text, 0);
  if (text[start] === "[") {
    const r = parseAt(text, start, text.length);
    if (!r.ok) return r;
    if (!Array.isArray(r.value)) return { ok: false, message: "expected a JSON array", offset: start };
    const events: Record<string, unknown>[] = [];
    for (const [i, v] of r.value.entries()) {
      if (!isRecord(v)) return { ok: false, message: `array element ${i} is not a JSON object`, offset: start };
      events.push(v);
    }
    return { ok: true, events };
  }
  const events: Record<string, unknown>[] = [];
  let i = start;
  while (i < text.length) {
    if (text[i] !== "{") return { ok: false, message: `expected "{" to start an event, found ${JSON.stringify(text[i])}`, offset: i };
    const end = objectEnd(text, i);
    if (end < 0) return { ok: false, message: "unterminated JSON object", offset: i };
    const r = parseAt(text, i, end);
    if (!r.ok) return r;
    events.push(r.value as Record<string, unknown>);
    i = skipSpace(text, end);
  }
  return { ok: true, events };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Index just past the object starting at `i` (braces balanced outside strings), or -1. */
function objectEnd(text: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === "\\") j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string; offset: number };

function parseAt(text: string, from: number, to: number): Parsed {
  try {
    return { ok: true, value: JSON.parse(text.slice(from, to)) };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    return { ok: false, message, offset: from + (at ? Number(at[1]) : 0) };
  }
}
