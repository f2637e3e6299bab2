/**
 * Which selections an `x of` names. The spec's wildcard is `*` over the whole name; `them` skips
 * `_`-prefixed names. pySigma anchors the pattern only at the start (a Python `re.match` quirk),
 * which would make `1 of sel` also take `sel_x`; rulecast follows the spec and matches the whole name.
 */
export function selectionsMatching(target: string | null, names: readonly string[]): string[] {
  if (target === null) return names.filter((n) => !n.startsWith("_"));
  return names.filter((n) => globMatches(target, n));
}

/**
 * Whether `name` is `pattern` with each `*` standing for any run of characters. Not a regex: the
 * `.*` of each star backtracks into the others, and a dozen stars against a 40-character name took
 * a minute (a rule's condition and selection names are untrusted). Placing each literal piece at
 * its leftmost place after the previous one is exact for `*`-only patterns and linear.
 */
export function globMatches(pattern: string, name: string): boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return pattern === name;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  const end = name.length - last.length;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const i = name.indexOf(piece, at);
    if (i < 0 || i + piece.length > end) return false;
    at = i + piece.length;
  }
  return true;
}
