/**
 * `<out>/.rulecast-manifest.json`: which rule file wrote which output files. Stale removal needs
 * it: converting `rules/one.yaml` into a folder that holds every rule's output may remove only
 * what an earlier run wrote for `rules/one.yaml`, never the other rules' files.
 *
 * The manifest lives in a folder a rules repository commits, so it is untrusted data: its paths
 * are never opened or removed as such. Removal walks the target folders on disk (no links
 * followed, output-folder.ts) and asks the manifest only whether a file found there may go.
 * Source paths are stored relative to the output folder, so the file is the same in every clone.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { OutputFolder } from "./output-folder.js";

export const MANIFEST_NAME = ".rulecast-manifest.json";
const VERSION = 1;
/** A manifest of 100,000 rules with three outputs each is about 25 MB; a larger one is not ours. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface Manifest {
  /** Source path (relative to the output folder, `/`-separated) → output paths, both sorted. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  /** Files made from many rules at once (rules.ndjson, savedsearches.conf, the Splunk app). */
  readonly bundles: readonly string[];
  /**
   * Target → piece key (a stanza name, a rule_id) → the source that wrote that piece of the target's
   * bundle, so a run over some of the rules keeps the others' pieces (bundle-merge.ts). Keys are
   * compared, never opened.
   */
  readonly pieces?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export type ManifestRead = { readonly kind: "missing" } | { readonly kind: "ok"; readonly manifest: Manifest } | { readonly kind: "invalid"; readonly why: string };

/** The manifest in `folder`, read as any output file is: regular file only, bounded, no link followed. */
export function readManifest(folder: OutputFolder): ManifestRead {
  const entry = folder.entry(MANIFEST_NAME);
  if (entry.kind === "missing") return { kind: "missing" };
  if (entry.kind !== "file") return { kind: "invalid", why: "not a regular file" };
  const r = folder.read(MANIFEST_NAME, MAX_MANIFEST_BYTES);
  if (r.kind !== "bytes") return { kind: "invalid", why: `${r.size} bytes, too large` };
  return parseManifest(r.bytes.toString("utf8"));
}

export function parseManifest(text: string): ManifestRead {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: "invalid", why: "not JSON" };
  }
  const o = v as { version?: unknown; sources?: unknown; bundles?: unknown } | null;
  if (typeof o !== "object" || o === null || o.version !== VERSION) return { kind: "invalid", why: `not a version ${VERSION} manifest` };
  if (typeof o.sources !== "object" || o.sources === null || Array.isArray(o.sources) || !Array.isArray(o.bundles)) return { kind: "invalid", why: "sources or bundles missing" };
  const sources = new Map<string, string[]>();
  for (const [key, outs] of Object.entries(o.sources)) {
    if (!Array.isArray(outs)) return { kind: "invalid", why: "an entry is not a list of files" };
    // Entries that are not plain relative file names are dropped: they can name nothing rulecast wrote.
    const files = outs.filter(isCleanRelative);
    if (key !== "" && !key.includes("\0") && files.length > 0) sources.set(key, files);
  }
  const pieces = new Map<string, Map<string, string>>();
  const rawPieces = (o as { pieces?: unknown }).pieces;
  if (rawPieces !== undefined && !isPlainObject(rawPieces)) return { kind: "invalid", why: "pieces is not an object" };
  for (const [target, owners] of Object.entries(rawPieces ?? {})) {
    if (!isPlainObject(owners)) return { kind: "invalid", why: "a target's pieces are not an object" };
    const m = new Map<string, string>();
    for (const [key, source] of Object.entries(owners)) if (typeof source === "string" && source !== "") m.set(key, source);
    pieces.set(target, m);
  }
  return { kind: "ok", manifest: { sources, bundles: o.bundles.filter(isCleanRelative), pieces } };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Stable text: keys and lists sorted, two-space indent, LF, trailing newline. */
export function renderManifest(m: Manifest): string {
  const sources: Record<string, string[]> = {};
  for (const key of [...m.sources.keys()].sort(byCodePoint)) {
    const files = [...new Set(m.sources.get(key))].sort(byCodePoint);
    if (files.length > 0) sources[key] = files;
  }
  const pieces: Record<string, Record<string, string>> = {};
  for (const target of [...(m.pieces?.keys() ?? [])].sort(byCodePoint)) {
    const owners = m.pieces!.get(target)!;
    if (owners.size === 0) continue;
    const sorted: Record<string, string> = {};
    for (const key of [...owners.keys()].sort(byCodePoint)) sorted[key] = owners.get(key)!;
    pieces[target] = sorted;
  }
  const body = { version: VERSION, sources, bundles: [...new Set(m.bundles)].sort(byCodePoint), ...(Object.keys(pieces).length > 0 ? { pieces } : {}) };
  return JSON.stringify(body, null, 2) + "\n";
}

/** `a/b.yml`: no absolute path, no `.` or `..` or empty part, no backslash or NUL. */
export function isCleanRelative(p: unknown): p is string {
  return typeof p === "string" && p !== "" && !/[\\\0]/.test(p) && !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** What one run reads: the rule files it was given, and the folders it walked for them. */
export interface RunInputs {
  /** Absolute paths of the rule files read. */
  readonly files: ReadonlySet<string>;
  /** Absolute paths of the folders walked. */
  readonly folders: readonly string[];
  /** Whether a file exists at an absolute path (a rule under a walked folder that is gone is this run's to clean up). */
  readonly exists: (abs: string) => boolean;
}

export interface WrittenFile {
  readonly path: string;
  /** The rule file it was made from, as the run names it (relative to the working folder or absolute); none for bundles. */
  readonly source?: string;
}

export interface OwnershipPlan {
  readonly manifest: Manifest;
  /** Whether a source (as the manifest keys it) is this run's: read now, or gone from a folder it walked. */
  readonly covered: (key: string) => boolean;
  /** The old manifest's sources are all this run's: what it writes is the whole output. */
  readonly full: boolean;
  /** The key the manifest gives a source as the run names it. */
  readonly keyOf: (source: string) => string;
  /** May a file found in a target folder, which this run does not write, be removed? */
  readonly removable: (rel: string) => boolean;
}

/**
 * The manifest after this run, and which files not written now are stale. A source is this run's
 * when it is one of its inputs, or it lay under a folder the run walked and is gone (its rule was
 * deleted). A file is stale when every source recorded for it is this run's; a bundle or a file
 * recorded for no source (hand-made, or from before manifests) only when every source of the
 * manifest is this run's. With `clean` false (some rule failed) nothing is stale and a source's
 * earlier files stay recorded beside its new ones, so a failed rule keeps its last good output.
 */
export function planOwnership(
  outDir: string,
  cwd: string,
  old: Manifest | undefined,
  written: readonly WrittenFile[],
  inputs: RunInputs,
  clean: boolean,
  /** Files this run could write (its targets' folders): a source's files elsewhere stay recorded as they were. */
  inScope: (rel: string) => boolean = () => true,
): OwnershipPlan {
  // Asked for every file written (three per rule with three targets) and again per bundle piece: once per source.
  const keys = new Map<string, string>();
  const keyOf = (source: string): string => {
    let key = keys.get(source);
    if (key === undefined) keys.set(source, (key = relative(outDir, resolve(cwd, source)).split(sep).join("/")));
    return key;
  };
  const covered = (key: string): boolean => {
    const abs = resolve(outDir, key);
    if (inputs.files.has(abs)) return true;
    return !isAbsolute(key) && inputs.folders.some((f) => abs.startsWith(f + sep)) && !inputs.exists(abs);
  };
  const fresh = new Map<string, Set<string>>();
  const bundles = new Set<string>();
  for (const f of written) {
    if (f.source === undefined) bundles.add(f.path);
    else {
      const key = keyOf(f.source);
      const set = fresh.get(key) ?? new Set<string>();
      set.add(f.path);
      fresh.set(key, set);
    }
  }
  const writtenNow = new Set(written.map((f) => f.path));
  const oldSources = old?.sources ?? new Map<string, readonly string[]>();
  const full = old !== undefined && [...oldSources.keys()].every(covered);
  const sources = new Map<string, string[]>();
  const owners = new Map<string, string[]>();
  for (const [key, files] of oldSources) {
    for (const f of files) owners.set(f, [...(owners.get(f) ?? []), key]);
    if (covered(key)) {
      const kept = files.filter((f) => (!clean || !inScope(f)) && (!writtenNow.has(f) || fresh.get(key)?.has(f)));
      if (kept.length > 0) sources.set(key, kept);
    } else {
      // A file this run now writes for another rule belongs to that rule.
      sources.set(key, files.filter((f) => !writtenNow.has(f)));
    }
  }
  for (const [key, files] of fresh) sources.set(key, [...(sources.get(key) ?? []), ...files]);
  const keptBundles = (old?.bundles ?? []).filter((b) => !bundles.has(b) && !(clean && full && inScope(b)));
  return {
    manifest: { sources, bundles: [...bundles, ...keptBundles] },
    covered,
    full,
    keyOf,
    removable: (rel) => {
      if (!clean || writtenNow.has(rel) || !inScope(rel)) return false;
      const by = owners.get(rel);
      if (by !== undefined) return by.every(covered);
      return full;
    },
  };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
