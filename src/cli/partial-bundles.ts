/**
 * Bundles when a run converts only some of the rules of an output folder (`rulecast convert
 * rules/one.yaml` with the config's `out:`): savedsearches.conf, macros.conf, rules.ndjson and the
 * Splunk app must still hold every rule the manifest says is there, with this run's rules' new
 * pieces in place of their old ones (pipeline/bundle-merge.ts).
 *
 * The other rules' pieces are read back from the bundle on disk, not reconverted from their rule
 * files: the bundle then holds what the folder's per-rule files were written from (a rule edited
 * since is not half-updated), a one-file run stays as fast as one file, and no rule file outside
 * this run's inputs is ever read. The bundle is untrusted (a commit may edit it): only the target's
 * own file in its own folder is read, no link followed, bounded; each piece is re-validated alone
 * by the target (TargetSpec.readBundle), the bundle rebuilt from the pieces is read back again and
 * must be exactly those pieces, and anything else stops the run (exit 2) rather than drop a rule.
 * The manifest's piece records are keys to compare, never paths.
 *
 * A run streams its bundles (pipeline/bundle-writer.ts) and keeps of each piece only its key and
 * rule file, which is all the manifest's record needs. Only a partial run needs its pieces: it reads
 * them back from the bundles it wrote (its own output, still re-validated by the target and held to
 * the keys appended), once, here; a partial run is as small as the files it names.
 */
import { relative, resolve } from "node:path";
import { oneLine } from "../diagnostics/display-text.js";
import { targetNamed, type ConvertContext } from "../pipeline/convert.js";
import type { FreshPieces } from "../pipeline/bundle-writer.js";
import { mergeBundle, type OwnedPiece } from "../pipeline/bundle-merge.js";
import type { OutputFolder } from "../pipeline/output-folder.js";
import type { Manifest, OwnershipPlan } from "../pipeline/output-manifest.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import type { BundlePiece, RenderedFile, TargetSpec } from "../targets/target.js";
import { UsageError } from "./io.js";

/** A bundle over this is not one rulecast wrote for a rules repository (a stale rules.ndjson of 10,000 rules is ~30 MB). */
const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export interface PartialBundlesRequest {
  readonly targets: readonly string[];
  readonly ctx: ConvertContext;
  /** This run's pieces per target (the run's BundleWriter, finished). */
  readonly fresh: FreshPieces;
  /** No rule failed: a rule of this run that wrote nothing now loses its old pieces. */
  readonly clean: boolean;
  readonly cwd: string;
}

export interface BundleOutputs {
  /** Bundle and package files to write instead of the run's own of the same path (or beside them). */
  readonly files: readonly FileToWrite[];
  /** The manifest's record: target → piece key → source. */
  readonly pieces: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The bundles this run leaves in `folder`, given the manifest there (`old`) and whose rules this
 * run stands for (`plan`). With no manifest, or a run over every rule it records, the run's own
 * bundles are the whole truth and nothing is read.
 */
export function bundlesIn(folder: OutputFolder, old: Manifest | undefined, plan: OwnershipPlan, req: PartialBundlesRequest): BundleOutputs {
  const files: FileToWrite[] = [];
  // Targets this run does not convert keep their bundles, and so their records.
  const pieces = new Map<string, ReadonlyMap<string, string>>([...(old?.pieces ?? [])].filter(([t]) => !req.targets.includes(t)));
  for (const name of req.targets) {
    const target = targetNamed(req.ctx, name);
    const key = target.pieceKey;
    if (!target.readBundle || !key) continue;
    if (old === undefined || plan.full) {
      const owners = new Map<string, string>();
      for (const o of req.fresh.owners(name)) if (o.key !== undefined) owners.set(o.key, plan.keyOf(o.source));
      pieces.set(name, owners);
      continue;
    }
    const read = readerIn(folder, name);
    const kept = target.readBundle(read, req.ctx);
    if ("error" in kept) throw cannotKeep(folder, name, read.last(), kept.error);
    const own = req.fresh.pieces(name);
    if ("error" in own) {
      throw new UsageError(`${name}: the ${target.title} bundle this run wrote does not read back as its entries (${oneLine(own.error)}); nothing written: convert every rule (the config's rules:) to write it anew`);
    }
    const fresh = own.map((f) => ({ piece: f.piece, source: plan.keyOf(f.source) }));
    const freshSources = new Set(fresh.map((f) => f.source));
    const merged = mergeBundle({
      old: kept,
      owners: old.pieces?.get(name) ?? new Map(),
      fresh,
      key,
      replaces: (source) => plan.covered(source) && (req.clean || freshSources.has(source)),
    });
    if (merged.kind === "collision") {
      const shown = (key: string) => oneLine(relative(req.cwd, resolve(folder.root, key)) || key);
      throw new UsageError(
        `${name}: ${shown(merged.source)} writes ${JSON.stringify(oneLine(merged.key))} into the ${target.title} bundle, where ${shown(merged.owner)} already has it; one would be lost: give one of the rules another name (or id), or convert both`,
      );
    }
    pieces.set(name, ownersOf(merged.pieces, key));
    if (merged.pieces.length === fresh.length && merged.pieces.every((p, i) => p.piece === fresh[i]!.piece)) continue;
    if (merged.pieces.length === 0) continue;
    files.push(...rebuilt(folder, target, merged.pieces, req.ctx));
  }
  return { files, pieces };
}

/** The target's bundle from the merged pieces, read back once more, and what the target packages from it. */
function rebuilt(folder: OutputFolder, target: TargetSpec, merged: readonly OwnedPiece[], ctx: ConvertContext): FileToWrite[] {
  const bundle = target.renderBundle(
    merged.map((p) => p.piece),
    ctx,
  );
  const back = target.readBundle!((path) => bundle.find((f) => f.path === path)?.content, ctx);
  const intended = merged.map((p) => target.pieceKey!(p.piece));
  if ("error" in back || back.length !== merged.length || back.some((p, i) => target.pieceKey!(p) !== intended[i] || p.text !== merged[i]!.piece.text.trimEnd())) {
    throw cannotKeep(folder, target.name, bundle[0]?.path ?? "", "error" in back ? back.error : "the rebuilt bundle does not read back as the pieces it was made from");
  }
  const files: FileToWrite[] = bundle.map((f) => ({ path: `${target.name}/${f.path}`, content: f.content }));
  const packed = target.package?.(bundle as readonly RenderedFile[], ctx);
  if (packed && "error" in packed) throw new UsageError(packed.error);
  if (packed) {
    files.push(...packed.files.map((f) => ({ path: f.path, content: f.content })));
    if (packed.archive) files.push({ path: packed.archive.path, content: packed.archive.bytes });
  }
  return files;
}

function ownersOf(pieces: readonly OwnedPiece[], key: (p: BundlePiece) => string | undefined): Map<string, string> {
  const owners = new Map<string, string>();
  for (const p of pieces) {
    const k = key(p.piece);
    if (k !== undefined && p.source !== undefined) owners.set(k, p.source);
  }
  return owners;
}

/** Reads `<target>/<path>` under the output folder as any output file is read: regular file, no link, bounded. */
function readerIn(folder: OutputFolder, target: string): ((path: string) => string | undefined) & { last: () => string } {
  let last = `${target}/`;
  const read = (path: string): string | undefined => {
    const rel = `${target}/${path}`;
    last = rel;
    const entry = folder.entry(rel);
    if (entry.kind === "missing" || entry.kind === "blocked") return undefined;
    if (entry.kind !== "file") throw cannotKeep(folder, target, rel, "it is not a regular file");
    const r = folder.read(rel, MAX_BUNDLE_BYTES);
    if (r.kind !== "bytes") throw cannotKeep(folder, target, rel, `${r.size} bytes, too large`);
    return r.bytes.toString("utf8");
  };
  return Object.assign(read, { last: () => last });
}

function cannotKeep(folder: OutputFolder, target: string, rel: string, why: string): UsageError {
  return new UsageError(
    `${oneLine(folder.abs(rel))}: cannot keep the other rules' ${target} entries (${oneLine(why)}); nothing written: convert every rule (the config's rules:) to write it anew`,
  );
}
