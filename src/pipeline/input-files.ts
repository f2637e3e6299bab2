/**
 * Finds rule files under the paths a user names: directories are walked in sorted order, symlinks
 * are not followed (a rule tree from a pull request must not reach outside itself).
 */
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { lineColAt } from "../diagnostics/source-text.js";
import { isAbsolute, join, relative } from "node:path";
import { CONFIG_FILE_NAME } from "../config/config-file.js";

export const RULE_EXTENSIONS = [".yml", ".yaml", ".toml", ".json", ".ndjson"] as const;

export interface InputFile {
  /** As the user will read it in messages: relative to the working directory when inside it. */
  readonly path: string;
  readonly absolute: string;
  /** Named by the user (or the config's `rules:`), not found by walking a folder. */
  readonly explicit?: boolean;
}

export interface InputScan {
  readonly files: InputFile[];
  readonly missing: string[];
}

/**
 * `skipDirs`: absolute folders never walked into (the output folder: converting `.` must not read
 * back the Sigma and Elastic files a previous run wrote), unless named themselves.
 */
export function collectInputFiles(paths: readonly string[], cwd: string, pattern?: RegExp, skipDirs: readonly string[] = []): InputScan {
  const files: InputFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (abs: string, explicit: boolean) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const rel = relative(cwd, abs);
    files.push({ path: rel && !rel.startsWith("..") ? rel.split("\\").join("/") : abs, absolute: abs, explicit });
  };
  const walk = (abs: string, explicit: boolean): void => {
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      if (explicit) missing.push(abs);
      return;
    }
    if (st.isSymbolicLink()) {
      if (!explicit) return;
      // A link the user named is followed: to a folder or to a file, whichever it points at.
      try {
        st = statSync(abs);
      } catch {
        missing.push(abs);
        return;
      }
    }
    if (st.isDirectory()) {
      if (!explicit && skipDirs.includes(abs)) return;
      let entries: string[];
      try {
        entries = readdirSync(abs).sort();
      } catch {
        if (explicit) missing.push(abs);
        return;
      }
      for (const e of entries) {
        // rulecast's own config sits beside the rules folder in a repository made by `init`.
        if (e.startsWith(".") || e === "node_modules" || e === CONFIG_FILE_NAME) continue;
        walk(join(abs, e), false);
      }
      return;
    }
    if (!st.isFile() && !explicit) return;
    const lower = abs.toLowerCase();
    const matches = RULE_EXTENSIONS.some((x) => lower.endsWith(x)) && (!pattern || pattern.test(abs));
    if (explicit || matches) add(abs, explicit);
  };
  for (const p of paths) walk(isAbsolute(p) ? p : join(cwd, p), true);
  return { files, missing };
}

export type InputText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * A rule file's text. Bytes that are not UTF-8 are refused with their position instead of being
 * turned into U+FFFD silently (a query would then match other text than the author wrote).
 */
export function readInputText(file: InputFile): InputText {
  const bytes = readFileSync(file.absolute);
  const text = bytes.toString("utf8");
  const bad = firstInvalidByte(bytes, text);
  if (bad === undefined) return { ok: true, text };
  const before = bytes.subarray(0, bad).toString("utf8");
  const { line, col } = lineColAt(before, before.length);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return {
    ok: false,
    diagnostic: {
      severity: "error",
      code: "input/invalid-utf8",
      message: `not UTF-8: byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, "0")} cannot start or continue a character`,
      file: file.path,
      line,
      col,
      hint: utf16 ? "the file is UTF-16: save it as UTF-8" : "save the file as UTF-8",
    },
  };
}

/** Re-encoding the decoded text gives the bytes back exactly when they were valid UTF-8. */
function firstInvalidByte(bytes: Buffer, text: string): number | undefined {
  const again = Buffer.from(text, "utf8");
  if (again.equals(bytes)) return undefined;
  let i = 0;
  while (i < bytes.length && i < again.length && bytes[i] === again[i]) i++;
  return i;
}
