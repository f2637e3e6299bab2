/**
 * Byte-level encodings for the base64 and UTF-16 modifiers. A "byte string" holds one byte per
 * UTF-16 code unit (0–255), so encoded values stay ordinary IR text parts.
 */

/** `wide`/`utf16le`/`utf16be`: each character as two bytes. */
export function encodeUtf16(text: string, bigEndian: boolean): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lo = String.fromCharCode(c & 0xff);
    const hi = String.fromCharCode(c >> 8);
    out += bigEndian ? hi + lo : lo + hi;
  }
  return out;
}

export function toBase64(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("base64");
}

/**
 * `base64offset`: the value encoded at the three byte alignments it can have inside a longer
 * base64 text, with the characters that depend on neighbouring bytes cut off (pySigma's offsets).
 */
export function toBase64Offsets(bytes: string): string[] {
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  return [0, 1, 2].map((i) => {
    const enc = toBase64(" ".repeat(i) + bytes);
    return enc.slice(starts[i], ends[(bytes.length + i) % 3]);
  });
}
