/**
 * `text` without the characters ending it that `drop` takes. A loop, not a regex such as
 * `/[ \t]+$/`: that one retries from every character of a long inner run (quadratic on hostile text).
 */
export function trimEndWhere(text: string, drop: (c: string) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}
