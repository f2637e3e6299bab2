import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir` whose name ends in `ext` (".toml", ".yml"), at any depth, sorted by path. */
export function corpusFiles(dir: string, ext: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = join(d, e.name);
      return e.isDirectory() ? walk(p) : e.name.endsWith(ext) ? [p] : [];
    });
  return walk(dir).sort();
}
