import { createHash } from "node:crypto";

/**
 * A stable UUID (version 5 layout, SHA-1) for something derived from a rule, e.g. the base rule of
 * a sequence step: the same input always gives the same id, so reruns are byte-identical.
 */
export function derivedUuid(...parts: readonly string[]): string {
  const h = createHash("sha1").update(parts.join("\u0000")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** `PsExec Network Connection` → `psexec_network_connection` (file names, Sigma `name`s). */
export function slugify(text: string, max = 80): string {
  const s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, max)
    .replace(/_+$/g, "");
  if (WINDOWS_DEVICE_NAME.test(s)) return `${s}_rule`;
  return s || "rule";
}

/** Names Windows reserves for devices in any folder (`con.yml` opens the console there). */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * The first character a rule id may not hold, or undefined. An id is written into conf comments,
 * JSON, YAML, file names and diagnostics: a control character or line break would start a new
 * line in some of them (a conf stanza, a forged log line), so no reader accepts one.
 */
export function idControlChar(id: string): { readonly index: number; readonly codePoint: string } | undefined {
  const m = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(id);
  return m ? { index: m.index, codePoint: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` } : undefined;
}

/** Sigma ids are UUIDs (any version, either case). */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
