/**
 * Each target's bundle files as the rules come: a target that can stream its bundle
 * (TargetSpec.streamBundle) has each piece appended to its file at once; one that cannot (a
 * user's bundle template, read back whole) has its pieces held and rendered at the end.
 */
import type { BundleFileStream, BundlePiece, RenderedFile } from "../targets/target.js";
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

export class BundleWriter {
  private readonly streams = new Map<string, Streamed[]>();
  private readonly held = new Map<string, BundlePiece[]>();

  constructor(
    private readonly targets: readonly string[],
    private readonly ctx: ConvertContext,
    private readonly sink: OutputSink,
  ) {
    for (const t of targets) {
      const files = targetNamed(ctx, t).streamBundle?.(ctx);
      if (files) this.streams.set(t, files.map((file) => ({ file })));
      else this.held.set(t, []);
    }
  }

  add(target: string, pieces: readonly BundlePiece[]): void {
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
    return out;
  }
}
