import { readdirSync } from "node:fs";
import { join } from "node:path";

/** `.yml` and `.yaml` files under `dir`, in sorted order (links to folders named at the top are followed). */
export function ruleFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) ruleFiles(p, out);
    else if (e.name.endsWith(".yml") || e.name.endsWith(".yaml")) out.push(p);
  }
  return out;
}
