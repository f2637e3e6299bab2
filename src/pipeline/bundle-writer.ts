/**
 * Each target's bundle files as the rules come: a target that can stream its bundle
 * (TargetSpec.streamBundle) has each piece appended to its file at once; one that cannot (a
 * user's bundle template, read back whole) has its pieces held and rendered at the end.
 *
 * Of each piece it keeps only its key (TargetSpec.pieceKey) and its rule file: what the manifest
 * records. A run over some of the rules of an output folder needs its pieces themselves to merge
 * them with the other rules' (cli/partial-bundles.ts); only it asks (`pieces`), and streamed ones
 * are then read back from the bundle written, through the target's own reader, so a full run still
 * holds no piece.
 */
import type { BundleFileStream, BundlePiece, RenderedFile } from "../targets/target.js";
import { detached } from "../ir/detached.js";
import { targetNamed, type ConvertContext } from "./convert.js";
import type { Appender, OutputSink } from "./output-sink.js";

interface Streamed {
  readonly file: BundleFileStream;
  appender?: Appender;
}

/** A bundle file as written: its target, its name in the target's folder, its path under the output. */
export interface WrittenBundle {
  readonly target: string;
  readonly path: string;
  readonly output: string;
}

/** A piece of a bundle as a run keeps it: its key within the bundle and the rule file that wrote it. */
export interface PieceOwner {
  readonly key: string | undefined;
  /** The rule file, as the run names it. */
  readonly source: string;
}

export interface SourcedPiece {
  readonly piece: BundlePiece;
  /** The rule file, as the run names it. */
  readonly source: string;
}

/** What a run wrote into its bundles (BundleWriter), as cli/partial-bundles.ts asks for it. */
export interface FreshPieces {
  /** The target's pieces in bundle order, by key and rule file; empty for a target without `pieceKey`. */
  owners(target: string): readonly PieceOwner[];
  /** The target's pieces in bundle order with their rule files, or why they cannot be had. */
  pieces(target: string): readonly SourcedPiece[] | { readonly error: string };
}

export class BundleWriter implements FreshPieces {
  private readonly streams = new Map<string, Streamed[]>();
  private readonly held = new Map<string, BundlePiece[]>();
  private readonly keys = new Map<string, (p: BundlePiece) => string | undefined>();
  private readonly owned = new Map<string, PieceOwner[]>();
  private written: readonly WrittenBundle[] = [];

  constructor(
    private readonly targets: readonly string[],
    private readonly ctx: ConvertContext,
    private readonly sink: OutputSink,
  ) {
    for (const t of targets) {
      const files = targetNamed(ctx, t).streamBundle?.(ctx);
      if (files) this.streams.set(t, files.map((file) => ({ file })));
      else this.held.set(t, []);
      const key = targetNamed(ctx, t).pieceKey;
      if (key) {
        this.keys.set(t, key);
        this.owned.set(t, []);
      }
    }
  }

  /** A rule's pieces for `target`, `source` being its rule file. */
  add(target: string, pieces: readonly BundlePiece[], source: string): void {
    const key = this.keys.get(target);
    if (key) for (const p of pieces) this.owned.get(target)!.push(detached({ key: key(p), source }));
    const streamed = this.streams.get(target);
    if (!streamed) {
      this.held.get(target)?.push(...pieces);
      return;
    }
    for (const p of pieces) {
      for (const s of streamed) {
        if (!s.appender) {
          s.appender = this.sink.open(`${target}/${s.file.path}`);
          s.appender.append(s.file.head);
        }
        const text = s.file.piece(p);
        if (text !== "") s.appender.append(text);
      }
    }
  }

  /**
   * Every bundle made whole, in target order, under the path `name` gives it (undefined: not
   * written). A held bundle is rendered now; a user's template that does not read back throws
   * TemplateError, which stops the run.
   */
  finish(name: (f: RenderedFile, target: string) => string | undefined): WrittenBundle[] {
    const out: WrittenBundle[] = [];
    for (const t of this.targets) {
      for (const s of this.streams.get(t) ?? []) {
        if (!s.appender) continue;
        const output = name({ path: s.file.path, content: "" }, t);
        s.appender.close(output);
        if (output !== undefined) out.push({ target: t, path: s.file.path, output });
      }
      const pieces = this.held.get(t) ?? [];
      if (pieces.length === 0) continue;
      for (const f of targetNamed(this.ctx, t).renderBundle(pieces, this.ctx)) {
        const output = name(f, t);
        if (output === undefined) continue;
        this.sink.put({ path: output, content: f.content });
        out.push({ target: t, path: f.path, output });
      }
    }
    this.written = out;
    return out;
  }

  owners(target: string): readonly PieceOwner[] {
    return this.owned.get(target) ?? [];
  }

  /**
   * After `finish`. Held pieces are at hand; streamed ones are read back from the files written
   * (TargetSpec.readBundle) and must be, key by key, the pieces appended.
   */
  pieces(target: string): readonly SourcedPiece[] | { readonly error: string } {
    const owners = this.owners(target);
    const held = this.held.get(target);
    if (held) return held.length === owners.length ? held.map((piece, i) => ({ piece, source: owners[i]!.source })) : { error: "its pieces were not recorded" };
    const spec = targetNamed(this.ctx, target);
    if (!spec.readBundle || owners.length === 0) return [];
    const files = this.written.filter((b) => b.target === target);
    const back = spec.readBundle((path) => {
      const f = files.find((b) => b.path === path);
      return f === undefined ? undefined : this.sink.contentOf(f.output);
    }, this.ctx);
    if ("error" in back) return back;
    if (back.length !== owners.length || back.some((p, i) => spec.pieceKey?.(p) !== owners[i]!.key)) {
      return { error: `it reads back as ${back.length} entries, not as the ${owners.length} this run wrote` };
    }
    return back.map((piece, i) => ({ piece, source: owners[i]!.source }));
  }
}
