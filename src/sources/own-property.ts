/**
 * Keys read from a rule file are data: `obj[key] = v` with `key === "__proto__"` would replace the
 * object's prototype instead (the rule would then inherit fields it never had, and the key would
 * vanish). These helpers always make own, enumerable properties, as JSON.parse does.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `Object.assign` for file data: copies own keys with `setOwn`. */
export function assignOwn(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): void {
  for (const [k, v] of Object.entries(source)) setOwn(target, k, v);
}
