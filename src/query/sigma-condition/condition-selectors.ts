/**
 * Which selections an `x of` names. The spec's wildcard is `*` over the whole name; `them` skips
 * `_`-prefixed names. pySigma anchors the pattern only at the start (a Python `re.match` quirk),
 * which would make `1 of sel` also take `sel_x`; rulecast follows the spec and matches the whole name.
 */
export function selectionsMatching(target: string | null, names: readonly string[]): string[] {
  if (target === null) return names.filter((n) => !n.startsWith("_"));
  const re = new RegExp(`^${target.split("*").map(escapeRegex).join(".*")}$`);
  return names.filter((n) => re.test(n));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}
