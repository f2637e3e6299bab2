/**
 * Sigma string values → IR parts. `*` and `?` are wildcards; a backslash escapes `*`, `?` and
 * itself (`\\*` is a backslash then a wildcard); before any other character it is a literal backslash.
 */
import type { Part } from "../../ir/query.js";

export function parseSigmaString(s: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  const flush = (): void => {
    if (text) parts.push({ kind: "text", value: text });
    text = "";
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "\\") {
      const n = s[i + 1];
      if (n === "*" || n === "?" || n === "\\") {
        text += n;
        i++;
      } else text += c;
    } else if (c === "*" || c === "?") {
      flush();
      parts.push({ kind: c === "*" ? "any" : "one" });
    } else text += c;
  }
  flush();
  return parts.length ? parts : [{ kind: "text", value: "" }];
}

export function hasWildcard(parts: readonly Part[]): boolean {
  return parts.some((p) => p.kind !== "text");
}

/** The plain text of wildcard-free parts. */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
}

/** Joins adjacent text parts and drops empty ones (keeping one for the empty string). */
export function normaliseParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === "text") {
      if (!p.value) continue;
      if (last?.kind === "text") out[out.length - 1] = { kind: "text", value: last.value + p.value };
      else out.push(p);
    } else out.push(p);
  }
  return out.length ? out : [{ kind: "text", value: "" }];
}

/** Placeholders `%name%` in a raw value, for the `expand` modifier. */
export function placeholderNames(raw: string): string[] {
  return [...raw.matchAll(/%([A-Za-z0-9_.-]+)%/g)].map((m) => m[1] as string);
}

/** Every way of replacing each placeholder by one of its values (cartesian product, in order). */
export function expandPlaceholders(raw: string, values: Readonly<Record<string, readonly string[]>>): string[] {
  let out = [""];
  let last = 0;
  for (const m of raw.matchAll(/%([A-Za-z0-9_.-]+)%/g)) {
    const lit = raw.slice(last, m.index);
    const opts = values[m[1] as string] ?? [];
    out = out.flatMap((prefix) => opts.map((v) => prefix + lit + v));
    last = (m.index ?? 0) + m[0].length;
  }
  return out.map((p) => p + raw.slice(last));
}
