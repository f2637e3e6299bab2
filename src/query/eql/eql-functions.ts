/**
 * The functions Elasticsearch EQL knows (docs `eql-function-ref.md`), by lower-case spelling:
 * rule authors write `cidrmatch` and `CIDRMatch` alike, the IR stores the canonical name.
 */
const CANONICAL = [
  "add", "between", "cidrMatch", "concat", "divide", "endsWith", "indexOf", "length", "modulo",
  "multiply", "number", "startsWith", "string", "stringContains", "substring", "subtract",
] as const;

const BY_LOWER: ReadonlyMap<string, string> = new Map(CANONICAL.map((n) => [n.toLowerCase(), n]));

export function canonicalFunction(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export const EQL_FUNCTIONS: readonly string[] = CANONICAL;
