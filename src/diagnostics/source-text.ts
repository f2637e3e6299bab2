/**
 * Offsets are what nodes store; line and column are computed only when a message is made.
 */
export interface LineCol {
  readonly line: number; // 1-based
  readonly col: number; // 1-based, in UTF-16 code units
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function lineColAt(text: string, offset: number, starts: readonly number[] = lineStarts(text)): LineCol {
  const o = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= o) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: o - (starts[lo] ?? 0) + 1 };
}
