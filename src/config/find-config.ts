/**
 * Finds `rulecast.config.yaml` in the working directory or the nearest folder above it, as git
 * finds `.git`: a command run anywhere inside a rules repository uses that repository's config.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CONFIG_FILE_NAME } from "./config-file.js";

/** The absolute path of the nearest config file at or above `cwd`, if any. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
