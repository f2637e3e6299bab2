/**
 * Half a UTF-16 surrogate pair (`"\ud800"` in JSON or a YAML double-quoted scalar) is no
 * character: decoded, it is a string no output can hold, and every encoder turns it into U+FFFD,
 * so a rule would match other text than it says. Text decoded from UTF-8 never holds one, so only
 * escapes can make them; each reader refuses them where its data is parsed, at the escape.
 */
import { isScalar, visit, type Document } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string holds half a surrogate pair. */
export function hasUnpairedSurrogate(s: string): boolean {
  return UNPAIRED.test(s);
}

/**
 * Offset of the first unpaired surrogate that a `\uXXXX` (or YAML `\UXXXXXXXX`) escape inside a
 * double-quoted string writes, scanning `text` from `start` to `end` (JSON text, or the source of
 * one YAML scalar). A high half counts as paired only when the next escape is its low half.
 */
export function unpairedEscapeAt(text: string, start = 0, end = text.length): number | undefined {
  let inString = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === 0x22) inString = true;
      i++;
      continue;
    }
    if (c === 0x22) {
      inString = false;
      i++;
      continue;
    }
    if (c !== 0x5c) {
      i++;
      continue;
    }
    const unit = escapedUnit(text, i);
    if (unit === undefined) {
      i += 2; // `\"`, `\\`, `\n`, …: never a surrogate
      continue;
    }
    if (unit.value < 0xd800 || unit.value > 0xdfff) {
      i += unit.width;
      continue;
    }
    const low = unit.value <= 0xdbff ? escapedUnit(text, i + unit.width) : undefined;
    if (low === undefined || low.value < 0xdc00 || low.value > 0xdfff) return i;
    i += unit.width + low.width;
  }
  return undefined;
}

function escapedUnit(text: string, i: number): { value: number; width: number } | undefined {
  if (text.charCodeAt(i) !== 0x5c) return undefined;
  const m = /^\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(text.slice(i, i + 10));
  if (!m) return undefined;
  return m[1] !== undefined ? { value: parseInt(m[1], 16), width: 6 } : { value: parseInt(m[2]!, 16), width: 10 };
}

/** A `\u` or `\U` escape: the only way YAML text without half a pair can write one. */
const UNICODE_ESCAPE = /\\[uU]/;

/** Offset of the first YAML scalar (key or value) holding half a surrogate pair: at its escape in `text`. */
export function yamlUnpairedSurrogateAt(doc: Document, text: string): number | undefined {
  // Scalars hold the document's text, changed only by escapes (`\x` writes at most U+00FF): text with
  // neither half a pair nor a Unicode escape has no scalar to look for (2,894 of SigmaHQ's 3,141 files).
  if (!UNICODE_ESCAPE.test(text) && !UNPAIRED.test(text)) return undefined;
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== "string" || !UNPAIRED.test(node.value)) return undefined;
      const [start, end] = node.range ?? [0, 0];
      found = unpairedEscapeAt(text, start, end) ?? start;
      return visit.BREAK;
    },
  });
  return found;
}

/** The one diagnostic every reader gives, at the escape. */
export function unpairedSurrogateDiagnostic(file: string, at: { line: number; col: number }, ruleId?: string): Diagnostic {
  return {
    severity: "error",
    code: "input/unpaired-surrogate",
    message: "an escape writes half of a UTF-16 surrogate pair without the other half: that is no character, and output would hold U+FFFD instead",
    file,
    line: at.line,
    col: at.col,
    ...(ruleId ? { ruleId } : {}),
    hint: "write the character itself, or both halves together (\\uD83D\\uDE00 is one emoji)",
  };
}
