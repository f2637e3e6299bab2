/**
 * "Did you mean" for names a user types (rule keys, field names): the candidate nearest by edit
 * distance, compared case-insensitively, when it is near enough to be a slip of the keyboard.
 */

/** `maxDistance(word)`: how far a slip may go for a word of this length. */
export function closest(word: string, candidates: Iterable<string>, maxDistance: (word: string) => number): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= maxDistance(word) ? best : undefined;
}

/** Levenshtein distance in one row. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
