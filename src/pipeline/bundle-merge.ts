/**
 * One bundle (savedsearches.conf, rules.ndjson) after a run that converted only some of the rules:
 * the pieces the bundle held for other rules stay where they were, this run's rules' pieces replace
 * theirs, and a rule of this run that is gone or renamed loses its old piece. Which rule file owns
 * which piece comes from the manifest (output-manifest.ts); a piece it records for no file (written
 * before pieces were recorded) stays unless a piece of this run has its key.
 *
 * The order is the one a run over every rule gives: a file's pieces take the place its old pieces
 * had, and a file new to the bundle goes before the first kept file that a folder walk (sorted
 * name by name) reaches after it. So converting one file after a full run changes no byte.
 */
import type { BundlePiece } from "../targets/target.js";

export interface OwnedPiece {
  readonly piece: BundlePiece;
  /** The rule file that wrote it, as the manifest keys it; none when the manifest does not say. */
  readonly source?: string;
}

export interface BundleMerge {
  /** The pieces on disk, in bundle order. */
  readonly old: readonly BundlePiece[];
  /** Piece key → the rule file that wrote it (the manifest's record). */
  readonly owners: ReadonlyMap<string, string>;
  /** This run's pieces, in run order, each with its rule file. */
  readonly fresh: readonly (OwnedPiece & { readonly source: string })[];
  readonly key: (piece: BundlePiece) => string | undefined;
  /** Whether this run stands for that rule file: its old pieces go, whatever this run wrote for it. */
  readonly replaces: (source: string) => boolean;
}

export type MergeResult =
  | { readonly kind: "ok"; readonly pieces: readonly OwnedPiece[] }
  /** A piece of this run has the key a kept piece of another rule file has: one of them would be lost. */
  | { readonly kind: "collision"; readonly key: string; readonly source: string; readonly owner: string };

export function mergeBundle(m: BundleMerge): MergeResult {
  const bySource = new Map<string, BundlePiece[]>();
  const freshKeys = new Map<string, string>();
  for (const f of m.fresh) {
    bySource.set(f.source, [...(bySource.get(f.source) ?? []), f.piece]);
    const k = m.key(f.piece);
    if (k !== undefined) freshKeys.set(k, f.source);
  }
  const groups: { source?: string; pieces: BundlePiece[] }[] = [];
  const placed = new Set<string>();
  const place = (source: string) => {
    if (placed.has(source) || !bySource.has(source)) return;
    placed.add(source);
    groups.push({ source, pieces: bySource.get(source)! });
  };
  for (const p of m.old) {
    const k = m.key(p);
    const owner = k === undefined ? undefined : m.owners.get(k);
    if (owner !== undefined && m.replaces(owner)) {
      place(owner);
      continue;
    }
    const taker = k === undefined ? undefined : freshKeys.get(k);
    if (taker !== undefined) {
      if (owner !== undefined) return { kind: "collision", key: k!, source: taker, owner };
      // A piece recorded for no file, which this run's rule now writes: it is that rule's.
      place(taker);
      continue;
    }
    groups.push({ ...(owner !== undefined ? { source: owner } : {}), pieces: [p] });
  }
  for (const source of bySource.keys()) {
    if (placed.has(source)) continue;
    placed.add(source);
    const at = groups.findIndex((g) => g.source !== undefined && walkOrder(g.source, source) > 0);
    groups.splice(at < 0 ? groups.length : at, 0, { source, pieces: bySource.get(source)! });
  }
  return { kind: "ok", pieces: groups.flatMap((g) => g.pieces.map((piece) => ({ piece, ...(g.source !== undefined ? { source: g.source } : {}) }))) };
}

/** The order a folder walk reaches two files in: name by name, each compared as readdir's names are sorted. */
export function walkOrder(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}
