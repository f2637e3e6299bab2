/**
 * ES|QL's URL_DECODE: Elasticsearch runs Java's `URLDecoder.decode(s, UTF_8)` (UrlDecode.java) and
 * gives NULL where it throws. Java's decoder, step by step:
 * - `+` is a space; a character other than `%` is kept;
 * - each run of `%XY` escapes is read as bytes, then decoded as UTF-8 by Java's decoder (`new
 *   String(bytes, UTF_8)`), which replaces malformed bytes with U+FFFD as WHATWG's decoder
 *   (TextDecoder) does, one per maximal subpart, except for an encoded surrogate (`ED` then `A0`–`BF`):
 *   Java reads it as one malformed three-byte unit (two bytes when the third is no continuation);
 * - `XY` is parsed by `Integer.parseInt(s, i + 1, i + 3, 16)`: each character by `Character.digit`,
 *   which also takes any Unicode decimal digit and the fullwidth letters `Ａ`–`Ｆ`, `ａ`–`ｆ`, and a
 *   leading `+` (`%+5` is byte 5) or `-` (negative: an error, except `%-0`, which is 0);
 * - a `%` with fewer than two characters after it, or that does not parse, is an error (NULL).
 * Checked against Java 17's URLDecoder over the vectors in test/eval/url-decode.test.ts.
 */

const UTF8 = new TextDecoder("utf-8");

export function urlDecode(s: string): string | null {
  let out = "";
  let i = 0;
  const n = s.length;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (c === 0x2b) {
      out += " ";
      i++;
      continue;
    }
    if (c !== 0x25) {
      out += s[i];
      i++;
      continue;
    }
    const bytes: number[] = [];
    while (i + 2 < n && c === 0x25) {
      const v = parseHexPair(s.charCodeAt(i + 1), s.charCodeAt(i + 2));
      if (v === undefined) return null;
      bytes.push(v & 0xff);
      i += 3;
      if (i < n) c = s.charCodeAt(i);
    }
    if (i < n && c === 0x25) return null; // an incomplete trailing escape
    out += javaUtf8(bytes);
  }
  return out;
}

/**
 * `new String(bytes, UTF_8)` in Java: TextDecoder's reading, except that `ED A0..BF [80..BF]` (a
 * surrogate, which UTF-8 may not encode) is one U+FFFD where WHATWG's decoder gives one per byte.
 * Checked against Java 17 over 100,000 random byte strings of the bytes at every boundary.
 */
export function javaUtf8(bytes: readonly number[]): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    const next = bytes[i + 1];
    if (bytes[i] !== 0xed || next === undefined || next < 0xa0 || next > 0xbf) continue;
    out += UTF8.decode(Uint8Array.from(bytes.slice(from, i))) + "\ufffd";
    const third = bytes[i + 2];
    i += third !== undefined && third >= 0x80 && third <= 0xbf ? 2 : 1;
    from = i + 1;
  }
  return out + UTF8.decode(Uint8Array.from(bytes.slice(from)));
}

/** `Integer.parseInt` of two characters in base 16; undefined where Java throws or gives a negative value. */
function parseHexPair(a: number, b: number): number | undefined {
  if (a === 0x2d || a === 0x2b) {
    const d = javaHexDigit(b);
    if (d < 0) return undefined;
    return a === 0x2b || d === 0 ? d : undefined;
  }
  const hi = javaHexDigit(a);
  const lo = javaHexDigit(b);
  return hi < 0 || lo < 0 ? undefined : hi * 16 + lo;
}

const DECIMAL = /\p{Nd}/u;

/** Java's `Character.digit(ch, 16)` for one UTF-16 unit (a surrogate is no digit). */
function javaHexDigit(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  if (ch >= 0xff21 && ch <= 0xff26) return ch - 0xff21 + 10;
  if (ch >= 0xff41 && ch <= 0xff46) return ch - 0xff41 + 10;
  if (ch >= 0xd800 && ch <= 0xdfff) return -1;
  if (!DECIMAL.test(String.fromCharCode(ch))) return -1;
  // Unicode encodes each set of decimal digits as one run from 0 to 9 (its stability policy), so
  // a digit's value is its distance from the start of its run, modulo 10 (runs may adjoin).
  let start = ch;
  while (start > 0 && DECIMAL.test(String.fromCharCode(start - 1))) start--;
  return (ch - start) % 10;
}
