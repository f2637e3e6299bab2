/**
 * Where each converted file goes under `--out`: a naming template with `{target}`, `{slug}`,
 * `{id}` and `{path}` (the rule file's path under the folder it was read from, without
 * extension, so `{target}/{path}` mirrors the rules tree). The target's file extension is
 * appended. Bundles stay at `<target>/<bundle name>`.
 *
 * Ids and file names are the rule author's, so a name may be one no disk takes: a control
 * character, over 255 bytes, a Windows device name (`CON.yml`, `aux/`), a name ending in a dot or
 * space (which Windows drops). Device names and trailing dots or spaces get `_rule` appended;
 * the rest fail that rule alone (`output/invalid-name`). Two files given one name, compared as
 * macOS and Windows checkouts compare them (Unicode NFC, case folded), are a collision: an
 * error, never an overwrite.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RuleResult } from "../pipeline/convert.js";
import type { TextFile } from "../pipeline/write-output.js";

export const NAMING_PLACEHOLDERS = ["target", "slug", "id", "path"] as const;

/** The longest name of one file or folder, in UTF-8 bytes (NAME_MAX on Linux and macOS). */
export const MAX_NAME_BYTES = 255;
/** The longest path below `--out`, in UTF-8 bytes (macOS's PATH_MAX, for the whole path, is 1024). */
export const MAX_PATH_BYTES = 1024;

/** Names Windows gives to devices in every folder, whatever extension follows (`CON.yml`, `com1.tar.gz`). */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?=[. ]|$)/i;

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

export function nameOutputs(files: readonly NamedFile[], template: string): { files: TextFile[]; collisions: Diagnostic[] } {
  const namer = new OutputNamer(template);
  const out: TextFile[] = [];
  for (const f of files) {
    const named = namer.name(f);
    if (named) out.push(named);
  }
  return { files: out, collisions: namer.collisions };
}

/** `nameOutputs` a file at a time, in the run's order: a later file never takes an earlier one's name. */
export class OutputNamer {
  readonly collisions: Diagnostic[] = [];
  private readonly taken = new Map<string, NamedFile>();

  constructor(private readonly template: string) {}

  /** The file under its name, or undefined when it cannot have one (a collision, recorded). */
  name(f: NamedFile): TextFile | undefined {
    const path = f.rule ? expand(this.template, f) : `${f.target}/${f.path}`;
    const problem = f.rule ? nameProblem(path) : undefined;
    if (problem !== undefined) {
      this.collisions.push(invalidName(f.rule!, path, problem));
      return undefined;
    }
    const key = foldName(path);
    const first = this.taken.get(key);
    if (first) {
      const who = (x: NamedFile) => (x.rule ? `rule ${x.rule.id} (${x.rule.file})` : `the ${x.target} bundle`);
      this.collisions.push({
        severity: "error",
        code: "output/name-collision",
        message: `${path}: ${who(f)} and ${who(first)} would both be written here`,
        ...(f.rule ? { file: f.rule.file, line: f.rule.line, col: 1, ruleId: f.rule.id } : {}),
        hint: "add {slug} or {id} to --naming",
      });
      return undefined;
    }
    // Only what the messages above name is kept of an earlier file, not its content.
    this.taken.set(key, { target: f.target, path: f.path, content: "", ...(f.rule ? { rule: f.rule } : {}) });
    return { path, content: f.content, ...(f.rule ? { source: f.rule.file } : {}) };
  }
}

/**
 * Before bundles are assembled: a rule whose own files would get a name no disk takes fails
 * alone, with one `output/invalid-name` error, and is left out of the bundles too, so
 * `--skip-errors` writes every other rule and nothing of this one.
 */
export function failUnwritableNames(results: readonly RuleResult[], template: string, relativePaths: ReadonlyMap<string, string>): RuleResult[] {
  return results.map((r) => {
    const rule = r.outcome.rule;
    const info = { id: rule.id, file: rule.source.file, line: rule.source.line, relativePath: relativePaths.get(rule.source.file) ?? rule.source.file };
    for (const f of r.files) {
      const path = expand(template, { target: f.target, path: f.path, content: "", rule: info });
      const problem = nameProblem(path);
      if (problem === undefined) continue;
      const targets = [...new Set([...r.outcome.converted, ...r.outcome.failed])];
      return {
        outcome: { ...r.outcome, converted: [], failed: targets, skipped: false },
        files: [],
        pieces: {},
        diagnostics: [...r.diagnostics, invalidName(info, path, problem)],
      };
    }
    return r;
  });
}

/** Why no disk takes this name as written, or undefined. */
export function nameProblem(path: string): string | undefined {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) return "it holds a control character";
  if (/[\uD800-\uDFFF]/u.test(path)) return "it holds a lone UTF-16 surrogate, which no disk stores as written";
  // On Windows `\` separates folders and `:` opens a stream of another file: both would write elsewhere.
  if (/[\\:]/.test(path)) return "it holds `\\` or `:`, which Windows reads as a folder or stream";
  const long = path.split("/").find((s) => Buffer.byteLength(s) > MAX_NAME_BYTES);
  if (long !== undefined) return `a name in it is ${Buffer.byteLength(long)} bytes long (at most ${MAX_NAME_BYTES})`;
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_PATH_BYTES) return `it is ${bytes} bytes long (at most ${MAX_PATH_BYTES})`;
  return undefined;
}

/** The key two names share when macOS or Windows would take them for one file: NFC, case folded. */
export function foldName(path: string): string {
  return path.normalize("NFC").toUpperCase().toLowerCase().normalize("NFC");
}

/** Windows device names and names ending in a dot or space get `_rule`: `CON` → `CON_rule`, `name. ` → `name. _rule`. */
export function portableName(segment: string): string {
  const device = WINDOWS_DEVICE.exec(segment);
  const named = device ? `${device[0]}_rule${segment.slice(device[0].length)}` : segment;
  return /[. ]$/.test(named) ? `${named}_rule` : named;
}

function invalidName(rule: NonNullable<NamedFile["rule"]>, path: string, problem: string): Diagnostic {
  return {
    severity: "error",
    code: "output/invalid-name",
    message: `cannot name a file ${shown(path)} under --out: ${problem}`,
    file: rule.file,
    line: rule.line,
    col: 1,
    ruleId: rule.id,
    hint: "use {slug} in --naming, or give the rule a shorter id or file name",
  };
}

/** The name on one line, escaped, and cut when it is long (the rule is named beside it). */
function shown(path: string): string {
  const cut = [...path].length > 120 ? `${[...path].slice(0, 120).join("")}…` : path;
  return JSON.stringify(cut);
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
  const segments = name.split("/").filter((s) => s !== "" && s !== "." && s !== "..");
  return segments.map(portableName).join("/") + ext;
}
