/** Deep copy without `span` keys: the IR as parsing and printing should agree on it. */
export function stripSpans<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === "span" ? undefined : v))) as T;
}
