/**
 * A small YAML emitter for plain data (maps, lists, strings, numbers, booleans, null), in the
 * SigmaHQ style: 4-space indentation, block collections, single quotes where quoting is needed.
 * The `yaml` package can do this too, but its document model costs more than the rest of a
 * Sigma conversion together; this emitter is held to parse(emit(x)) = x by a property test.
 */

export interface EmitOptions {
  /** Quote every string scalar (detection values, as SigmaHQ writes them). */
  readonly quoteStrings?: boolean;
}

const INDENT = 4;
/** Scalars YAML 1.1/1.2 would read as something other than a string. */
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|\.nan|\.inf|-\.inf|\+\.inf)$/i;
const NUMBER_LIKE = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xob][0-9a-fA-F_]+$|^[-+]?\.(?:inf|nan)$|^\d+(?::\d+)+$/;
/** Characters that may start a plain scalar, and runs that end one. */
const PLAIN_START = /^[^\s\-?:,[\]{}#&*!|>'"%@`]/;
const PLAIN_BREAKERS = /: |:$| #|[\t\n\r\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|^ | $/u;

/** A scalar as it appears after `key: ` or `- `. */
export function emitScalar(v: unknown, opts: EmitOptions = {}): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (Number.isFinite(v)) return String(v);
    return Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
  }
  if (typeof v !== "string") throw new Error(`emitScalar: not a scalar: ${typeof v}`);
  return emitString(v, opts.quoteStrings === true);
}

function emitString(s: string, forceQuote: boolean): string {
  if (!forceQuote && s !== "" && PLAIN_START.test(s) && !PLAIN_BREAKERS.test(s) && !RESERVED.test(s) && !NUMBER_LIKE.test(s)) return s;
  // Single quotes hold anything printable and visible on one line; only `'` itself is doubled.
  // Control and invisible format characters (U+202E, zero-width space) are written as escapes.
  if (!/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

/** JSON string syntax is valid YAML double-quoted syntax for every character. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

/** A map key: plain when safe, quoted otherwise. */
function emitKey(k: string): string {
  return emitString(k, false);
}

function isCollection(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

/**
 * A value placed after `key:` at nesting column `indent`: scalars and empty collections stay on
 * the key's line, collections start on the next line, indented by `indent`.
 */
export function emitBlock(v: unknown, indent: number, opts: EmitOptions = {}): string {
  if (!isCollection(v)) return ` ${emitValueScalar(v, indent, opts)}`;
  if (Array.isArray(v) && v.length === 0) return " []";
  if (!Array.isArray(v) && Object.keys(v).length === 0) return " {}";
  const lines: string[] = [];
  emitCollection(v, indent, opts, lines);
  return "\n" + lines.join("\n");
}

/** Multi-line strings as literal blocks when that reads back exactly; else quoted. */
function emitValueScalar(v: unknown, indent: number, opts: EmitOptions): string {
  if (typeof v === "string" && v.includes("\n") && !opts.quoteStrings && blockSafe(v)) {
    const body = v.endsWith("\n") ? v.slice(0, -1) : v;
    const chomp = v.endsWith("\n") ? "" : "-";
    const pad = " ".repeat(indent);
    return `|${chomp}\n${body.split("\n").map((l) => (l === "" ? "" : pad + l)).join("\n")}`;
  }
  return emitScalar(v, opts);
}

/** A literal block keeps every character except trailing blanks, leading blanks on line 1, a tab or control. */
function blockSafe(s: string): boolean {
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  if (body.endsWith("\n") || body === "") return false;
  if (/^[ \t]/.test(body)) return false;
  return !body.split("\n").some((l) => /[ \t]$/.test(l) || /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(l));
}

function emitCollection(v: object, indent: number, opts: EmitOptions, lines: string[]): void {
  const pad = " ".repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isCollection(item) && !isEmpty(item)) {
        // `- key: value` with the rest of the map aligned after the dash.
        const inner: string[] = [];
        emitCollection(item, indent + 2, opts, inner);
        lines.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
      } else lines.push(`${pad}-${emitBlock(item, indent + 2, opts)}`);
    }
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    lines.push(`${pad}${emitKey(k)}:${emitBlock(val, indent + INDENT, opts)}`);
  }
}

function isEmpty(v: object): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}
