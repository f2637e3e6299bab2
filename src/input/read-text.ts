/**
 * A user's file as text: bounded (read-bounded.ts), then decoded as UTF-8 or refused with the
 * position of the first byte that is not UTF-8. Every input kind (rule files, stdin, `import`,
 * config, templates, events) goes through `readTextInput`, so the same bytes give the same answer
 * whichever way they came in.
 */
import { isUtf8 } from "node:buffer";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { lineColAt } from "../diagnostics/source-text.js";
import { describeProblem, readFdBounded, readFileBounded, type BoundedRead, type ReadProblem } from "./read-bounded.js";

export type TextRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

export interface TextSource {
  /** As messages show it. */
  readonly shown: string;
  /** The file to open; absent for an already open descriptor. */
  readonly absolute?: string;
  readonly fd?: number;
}

export interface Bound {
  readonly bytes: number;
  /** The setting that raises it, as the message names it: `--max-input-size`. */
  readonly setting: string;
}

/**
 * An input a run cannot do without (a template) could not be read: the CLI prints the message, one
 * line naming the file, and exits 2.
 */
export class InputFileError extends Error {}

const CODES: Readonly<Record<ReadProblem["kind"], string>> = {
  "too-large": "input/too-large",
  "is-a-folder": "input/not-a-file",
  "not-a-file": "input/not-a-file",
  missing: "input/unreadable",
  unreadable: "input/unreadable",
};

/** Reads and decodes one input; every failure is one diagnostic at line 1 (or at the bad byte). */
export function readTextInput(source: TextSource, bound: Bound): TextRead {
  const read = source.absolute !== undefined ? readFileBounded(source.absolute, bound.bytes) : readFdBounded(source.fd ?? 0, bound.bytes);
  return decodeRead(read, source.shown, bound);
}

/** What a bounded read gave, as text or as the one diagnostic that names the input. */
export function decodeRead(read: BoundedRead, shown: string, bound: Bound): TextRead {
  if (!read.ok) return { ok: false, diagnostic: problemDiagnostic(shown, read.problem, bound) };
  return decodeUtf8(read.bytes, shown);
}

function problemDiagnostic(shown: string, p: ReadProblem, bound: Bound): Diagnostic {
  const what = shown === "<stdin>" ? "standard input" : "the file";
  const hint =
    p.kind === "too-large"
      ? `split it, or raise ${bound.setting} if it is meant to be this big`
      : p.kind === "not-a-file"
        ? "name a regular file instead"
        : undefined;
  return {
    severity: "error",
    code: CODES[p.kind],
    message: `${what} ${describeProblem(p, bound.setting)}`,
    file: shown,
    line: 1,
    col: 1,
    ...(hint ? { hint } : {}),
  };
}

/**
 * UTF-8 bytes as text. Bytes that are not UTF-8 are refused with their position instead of being
 * turned into U+FFFD silently (a query would then match other text than the author wrote).
 */
export function decodeUtf8(bytes: Buffer, shown: string): TextRead {
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString("utf8") };
  const bad = Math.min(firstInvalidByte(bytes), bytes.length - 1);
  const before = bytes.subarray(0, bad).toString("utf8");
  const { line, col } = lineColAt(before, before.length);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return {
    ok: false,
    diagnostic: {
      severity: "error",
      code: "input/invalid-utf8",
      message: `not UTF-8: byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, "0")} at byte offset ${bad} cannot start or continue a character`,
      file: shown,
      line,
      col,
      hint: utf16 ? "the file is UTF-16: save it as UTF-8" : "save the file as UTF-8",
    },
  };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0) return i;
    // The second byte's range excludes overlong forms, surrogates (ED A0..BF) and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const ck = b[i + k];
      if (ck === undefined || ck < (k === 1 ? lo : 0x80) || ck > (k === 1 ? hi : 0xbf)) return i;
    }
    i += more + 1;
  }
  return b.length;
}
