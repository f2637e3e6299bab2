/**
 * Where each converted file goes under `--out`: a naming template with `{target}`, `{slug}`,
 * `{id}` and `{path}` (the rule file's path under the folder it was read from, without
 * extension, so `{target}/{path}` mirrors the rules tree). The target's file extension is
 * appended. Bundles stay at `<target>/<bundle name>`. Two files given one name (compared
 * case-insensitively, as macOS and Windows checkouts do) are a collision: an error, never an
 * overwrite.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { FileToWrite } from "../pipeline/write-output.js";

export const NAMING_PLACEHOLDERS = ["target", "slug", "id", "path"] as const;

export interface NamedFile {
  readonly target: string;
  /** The target's own name for the file, e.g. `psexec_network_connection.json`. */
  readonly path: string;
  readonly content: string;
  /** The rule this file renders; absent for bundles. */
  readonly rule?: { readonly id: string; readonly file: string; readonly line: number; readonly relativePath: string };
}

/** The first placeholder a template uses that is not one of ours. */
export function unknownPlaceholder(template: string): string | undefined {
  return [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).find((p) => !(NAMING_PLACEHOLDERS as readonly string[]).includes(p));
}

export function nameOutputs(files: readonly NamedFile[], template: string): { files: FileToWrite[]; collisions: Diagnostic[] } {
  const out: FileToWrite[] = [];
  const collisions: Diagnostic[] = [];
  const taken = new Map<string, NamedFile>();
  for (const f of files) {
    const path = f.rule ? expand(template, f) : `${f.target}/${f.path}`;
    const key = path.toLowerCase();
    const first = taken.get(key);
    if (first) {
      const who = (x: NamedFile) => (x.rule ? `rule ${x.rule.id} (${x.rule.file})` : `the ${x.target} bundle`);
      collisions.push({
        severity: "error",
        code: "output/name-collision",
        message: `${path}: ${who(f)} and ${who(first)} would both be written here`,
        ...(f.rule ? { file: f.rule.file, line: f.rule.line, col: 1, ruleId: f.rule.id } : {}),
        hint: "add {slug} or {id} to --naming",
      });
      continue;
    }
    taken.set(key, f);
    out.push({ path, content: f.content });
  }
  return { files: out, collisions };
}

function expand(template: string, f: NamedFile): string {
  const slash = f.path.lastIndexOf("/");
  const base = f.path.slice(slash + 1);
  const dot = base.indexOf(".");
  const slug = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : "";
  const values: Record<string, string> = { target: f.target, slug, id: f.rule!.id, path: f.rule!.relativePath };
  const name = template.replace(/\{(target|slug|id|path)\}/g, (_, k: string) => values[k]!);
  // Empty segments (`a//b`) and `.`/`..` would leave the output folder or name nothing.
  return name.split("/").filter((s) => s !== "" && s !== "." && s !== "..").join("/") + ext;
}
