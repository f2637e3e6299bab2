/**
 * Finds rule files under the paths a user names: directories are walked in sorted order, symlinks
 * are not followed (a rule tree from a pull request must not reach outside itself).
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { CONFIG_FILE_NAME } from "../config/config-file.js";
import { DEFAULT_MAX_INPUT_SIZE } from "../input/limits.js";
import { readTextInput, type TextRead } from "../input/read-text.js";

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

export type InputText = TextRead;

/**
 * A rule file's text, read with the size bound (a file over it fails alone, naming the file) and
 * decoded as UTF-8 or refused at the first byte that is not (see src/input/read-text.ts).
 */
export function readInputText(file: InputFile, maxBytes: number = DEFAULT_MAX_INPUT_SIZE): InputText {
  return readTextInput({ shown: file.path, absolute: file.absolute }, { bytes: maxBytes, setting: "--max-input-size" });
}
