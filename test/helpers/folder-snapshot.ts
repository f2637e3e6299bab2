/**
 * What a folder holds, without following links: each regular file's bytes (base64), each
 * link's target, each folder, and `special` for anything else. Two snapshots are equal exactly
 * when the trees are, so a test can say "this folder was not touched" or "this is run A's output".
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(join(dir, r))}`;
      else if (st.isDirectory()) {
        out[`${r}/`] = "folder";
        walk(r);
      } else if (st.isFile()) out[r] = readFileSync(join(dir, r)).toString("base64");
      else out[r] = "special";
    }
  };
  walk("");
  return out;
}

/** Paths (relative) of every entry whose name marks a temporary file or a lock. */
export function leftovers(dir: string): string[] {
  return Object.keys(snapshot(dir)).filter((p) => /rulecast-tmp|\.rulecast\.lock/.test(p));
}
