/**
 * Which output files a `convert` run may remove as stale, from the manifest in `--out`
 * (pipeline/output-manifest.ts): the run's inputs are the rule files it read and the folders it
 * walked, resolved the way the shell user named them.
 */
import { lstatSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { OutputFolder } from "../pipeline/output-folder.js";
import { MANIFEST_NAME, planOwnership, readManifest, renderManifest, type Manifest, type OwnershipPlan, type RunInputs } from "../pipeline/output-manifest.js";
import type { BundleOutputs } from "./partial-bundles.js";
import { printablePath } from "../pipeline/output-errors.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import type { Io } from "./io.js";
import { STDIN_PATH } from "./load-inputs.js";

export interface OwnershipRequest {
  /** Paths as the user gave them (files, folders, `-`). */
  readonly paths: readonly string[];
  /** The rule files read, as the run names them. */
  readonly files: Iterable<string>;
  /** Every file the run writes, with the rule file each came from. */
  readonly written: readonly FileToWrite[];
  /** No rule failed: stale files may go. */
  readonly clean: boolean;
  /** The folders this run's targets own (none with a naming template other than `{target}/…`). */
  readonly managedDirs: readonly string[];
}

export interface Ownership extends OwnershipPlan {
  /** The manifest as it will be written. */
  readonly file: { readonly path: string; readonly content: string };
  /** Files that take the place of the run's own of the same path: bundles that keep the other rules (partial-bundles.ts). */
  readonly replacing: readonly FileToWrite[];
}

/** The bundles the run leaves, from the manifest now in the folder and the plan (partial-bundles.ts). */
export type BundlesHook = (folder: OutputFolder, old: Manifest | undefined, plan: OwnershipPlan) => BundleOutputs;

/** The manifest after this run and the stale-file rule, from the manifest now in `folder`. */
export function ownershipIn(folder: OutputFolder, io: Io, req: OwnershipRequest, bundles?: BundlesHook): Ownership {
  const read = readManifest(folder);
  if (read.kind === "invalid") {
    io.err(`rulecast: ${printablePath(folder.abs(MANIFEST_NAME))}: ${read.why}; read as absent (no file is removed as stale) and written anew\n`);
  }
  const plan = planOwnership(folder.root, io.cwd, read.kind === "ok" ? read.manifest : undefined, req.written, runInputs(io.cwd, req.paths, req.files), req.clean, (rel) =>
    req.managedDirs.length === 0 ? true : req.managedDirs.some((d) => rel.startsWith(`${d}/`)),
  );
  const kept = bundles?.(folder, read.kind === "ok" ? read.manifest : undefined, plan) ?? { files: [], pieces: new Map() };
  const manifest = { ...plan.manifest, bundles: [...plan.manifest.bundles, ...kept.files.map((f) => f.path)], pieces: kept.pieces };
  return { ...plan, manifest, replacing: kept.files, file: { path: MANIFEST_NAME, content: renderManifest(manifest) } };
}

function runInputs(cwd: string, paths: readonly string[], files: Iterable<string>): RunInputs {
  const read = new Set<string>();
  for (const f of files) if (f !== STDIN_PATH) read.add(resolve(cwd, f));
  const folders = paths.filter((p) => p !== "-").map((p) => resolve(cwd, p)).filter(isFolder);
  return { files: read, folders, exists };
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** Only a file known to be gone makes its rule this run's to clean up; an unreadable one is kept. */
function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}
